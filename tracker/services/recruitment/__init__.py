"""How working groups fill their seats: applications to open calls, first come with a
waitlist, invitations, and the participation map. Uses models, activity, groups and
mail; the member selection (selection) builds on it.
"""
