"""Member selection for open calls: the breadth search, the fair lottery, the heuristic
for large calls (HiGHS solves the lottery's linear programmes), validation of the
criteria, stored runs, confirming them, and their reports; types holds the plain
dataclasses they share.
Uses models, activity, groups and recruitment; used by views and the CLI.
"""
