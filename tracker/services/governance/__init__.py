"""Governance: decisions, method steps, evaluations and maturity measurement.

Owns the decision register (decisions.py), the plans' method steps (steps.py),
evaluations and their lessons (evaluations.py), maturity models, rounds, answers
and results (maturity.py, answers.py, results.py), the round mails (invitations.py)
and the demo's governance data (demo.py). Uses models and tracker.services.activity;
used by views, jobs and the digest.
"""
