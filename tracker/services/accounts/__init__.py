"""Logins of one's own: the password check and its throttle (login), sessions that
end (sessions), set-password links for invitations and "forgot password" (links),
the admins' logins (logins) and single sign-on identities linked to people (sso).

Uses models and services.people, activity and mail; used by the auth, accounts, sso
and admin views and by tracker.auth.
"""
