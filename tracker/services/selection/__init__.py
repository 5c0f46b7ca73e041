"""Member selection for open calls: the breadth search, the fair lottery, the heuristic
for large calls, validation of the criteria, stored runs and their reports; types holds
the plain dataclasses they share.
Uses models, activity, groups and recruitment; used by views and the CLI.
"""
