"""How working groups fill their seats: applications to open calls, first come with a
waitlist, invitations, freed seats (seats: who moves up from the waitlist or the
replacement order) and the participation map. Uses models, activity, groups and mail;
the member selection (selection) builds on it.
"""
