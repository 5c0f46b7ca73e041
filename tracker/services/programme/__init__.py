"""The programme's structure: action plans, assignments, milestones, progress reports
and the workflow stages. Uses models, activity and groups' tables; used by everything.
"""
