"""Who may call what: ONE table, endpoint + method (+ case) -> outcome per role.

Outcomes: OK (allowed; a POST without real form data may be refused as bad input),
LOGIN (sent to the login page), DENY (403 page), NOTFOUND (404: hidden).
Cases in brackets are other objects of the same route (see route_samples.CASES):
by default an object belongs to someone else ("Olle Annan"); [member] is an
assignment whose group every login belongs to.
"""

from __future__ import annotations

OK, LOGIN, DENY, NOTFOUND, UNSIGNED = "ok", "login", "403", "404", "401"


def by_role(
    anonymous: str, staff: str, communicator: str, leadership: str, admin: str
) -> dict[str, str]:
    """One row of the table."""
    return {
        "anonymous": anonymous,
        "staff": staff,
        "communicator": communicator,
        "leadership": leadership,
        "admin": admin,
    }


EVERYONE = by_role(OK, OK, OK, OK, OK)
LOGGED_IN = by_role(LOGIN, OK, OK, OK, OK)
COMMUNICATORS = by_role(LOGIN, DENY, OK, DENY, OK)
LEADERS = by_role(LOGIN, DENY, DENY, OK, OK)
LEADERS_AND_COMMUNICATORS = by_role(LOGIN, DENY, OK, OK, OK)
ADMINS = by_role(LOGIN, DENY, DENY, DENY, OK)
OWNER_ONLY = by_role(LOGIN, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND)
STAFF_OWNER = by_role(LOGIN, OK, NOTFOUND, NOTFOUND, NOTFOUND)
UNSIGNED_ONLY = by_role(UNSIGNED, UNSIGNED, UNSIGNED, UNSIGNED, UNSIGNED)
NOWHERE = by_role(NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND)

TABLE: dict[str, dict[str, str]] = {
    # login, logout, password, language
    "auth.login GET": EVERYONE,
    "auth.login POST": EVERYONE,
    "auth.logout POST": LOGGED_IN,
    "auth.change_password GET": LOGGED_IN,
    "auth.change_password POST": LOGGED_IN,
    "auth.language POST": EVERYONE,
    "auth.logout_everywhere POST": LOGGED_IN,
    # choosing one's own password: a link from an e-mail is the only key needed
    "accounts.forgot GET": EVERYONE,
    "accounts.forgot POST": EVERYONE,
    "accounts.set_password GET": EVERYONE,
    "accounts.set_password POST": EVERYONE,
    # single sign-on: 404 until [OIDC] ISSUER is set (tests/test_sso.py covers it on)
    "sso.start GET": NOWHERE,
    "sso.callback GET": NOWHERE,
    "pages.accessibility GET": EVERYONE,
    "pages.healthz GET": EVERYONE,
    "pages.favicon GET": EVERYONE,
    # reading: every login sees everything of the programme
    "overview.index GET": LOGGED_IN,
    "plans.list GET": LOGGED_IN,
    "plans.show GET": LOGGED_IN,
    "plans.assignments_csv GET": LOGGED_IN,
    "assignments.show GET": LOGGED_IN,
    "groups.list GET": LOGGED_IN,
    "groups.show GET": LOGGED_IN,
    "groups.show GET [open call]": LOGGED_IN,
    "groups.members_csv GET": LOGGED_IN,
    "selection.applications_csv GET": LEADERS,
    "people.list GET": LOGGED_IN,
    "people.show GET": LOGGED_IN,
    "people.show GET [external]": LOGGED_IN,
    "people.show GET [self]": LOGGED_IN,
    "activity.list GET": LOGGED_IN,
    "activity.csv_file GET": LOGGED_IN,
    "search.index GET": LOGGED_IN,
    "me.index GET": LOGGED_IN,
    # one's own profile only: there is no route to edit someone else's
    "me.profile GET": LOGGED_IN,
    "me.profile POST": LOGGED_IN,
    # leadership creates, edits and closes plans, assignments, groups, milestones
    "plans.new GET": LEADERS,
    "plans.new POST": LEADERS,
    "plans.edit GET": LEADERS,
    "plans.edit POST": LEADERS,
    "plans.close POST": LEADERS,
    "plans.reopen POST": LEADERS,
    "assignments.new GET": LEADERS,
    "assignments.new POST": LEADERS,
    "assignments.edit GET": LEADERS,
    "assignments.edit POST": LEADERS,
    "assignments.move POST": LEADERS,
    "assignments.move POST [member]": LOGGED_IN,
    "board.stage_access GET": LEADERS,
    "board.stage_access POST": LEADERS,
    "assignments.close GET": LEADERS,
    "assignments.close POST": LEADERS,
    "assignments.reopen POST": LEADERS,
    "assignments.add_milestone POST": LEADERS,
    "assignments.delete_milestone POST": LEADERS,
    "groups.new GET": LEADERS,
    "groups.new POST": LEADERS,
    "groups.edit GET": LEADERS,
    "groups.edit POST": LEADERS,
    "groups.set_state POST": LEADERS,
    "groups.add_member POST": LEADERS,
    "groups.remove_member POST": LEADERS,
    "people.new_external GET": LEADERS,
    "people.new_external POST": LEADERS,
    # an external participant's consent to be named in what is published
    "people.publication_consent POST": LEADERS,
    "people.publication_consent POST [external]": LEADERS,
    # progress on someone else's assignment: only its members (and leaders)
    "assignments.add_report POST": LEADERS,
    "assignments.add_report POST [member]": LOGGED_IN,
    "assignments.toggle_milestone POST": LEADERS,
    "assignments.toggle_milestone POST [member]": LOGGED_IN,
    # administration
    "admin.users GET": ADMINS,
    "admin.new_user GET": ADMINS,
    "admin.new_user POST": ADMINS,
    "admin.set_role POST": ADMINS,
    "admin.grant_login POST": ADMINS,
    "admin.send_invitation POST": ADMINS,
    "admin.switch_off POST": ADMINS,
    "admin.switch_on POST": ADMINS,
    "admin.vocabulary GET": ADMINS,
    "admin.vocabulary POST": ADMINS,
    "outbox.list_messages GET": ADMINS,
    # recruitment
    "applications.open_calls GET": LOGGED_IN,
    "applications.apply GET": LOGGED_IN,
    "applications.apply POST": LOGGED_IN,
    # one's own application only; someone else's is hidden
    "applications.edit GET": OWNER_ONLY,
    "applications.edit POST": OWNER_ONLY,
    "applications.edit GET [own]": STAFF_OWNER,
    "applications.edit POST [own]": STAFF_OWNER,
    "applications.withdraw POST": OWNER_ONLY,
    "applications.withdraw POST [own]": STAFF_OWNER,
    "applications.answer POST": OWNER_ONLY,
    "applications.answer POST [own]": STAFF_OWNER,
    "applications.receipt GET": by_role(LOGIN, NOTFOUND, NOTFOUND, OK, OK),
    "applications.receipt GET [own]": by_role(LOGIN, OK, NOTFOUND, OK, OK),
    "applications.invite POST": LEADERS,
    "selection.select GET": LEADERS,
    "selection.select POST": LEADERS,
    "selection.swap POST": LEADERS,
    "selection.confirm GET": LEADERS,
    "selection.confirm POST": LEADERS,
    "selection.application GET": LEADERS,
    "selection.participation_map GET": LEADERS,
    # anyone may recompute a draw
    "selection.verify GET": LOGGED_IN,
    "me.export GET": LOGGED_IN,
    # the monthly digest belongs to the communicators; its template to admins
    "digests.list GET": COMMUNICATORS,
    "digests.draft POST": COMMUNICATORS,
    "digests.edit GET": COMMUNICATORS,
    "digests.edit POST": COMMUNICATORS,
    "digests.refresh POST": COMMUNICATORS,
    "digests.hold POST": COMMUNICATORS,
    "digests.release POST": COMMUNICATORS,
    "digests.schedule POST": COMMUNICATORS,
    "digests.publish POST": COMMUNICATORS,
    "digests.retry POST": COMMUNICATORS,
    "digests.correct POST": COMMUNICATORS,
    "digests.test_mail POST": COMMUNICATORS,
    "digests.mail_preview GET": COMMUNICATORS,
    "digests.versions.list GET": COMMUNICATORS,
    "digests.versions.show GET": COMMUNICATORS,
    "digests.versions.restore POST": COMMUNICATORS,
    "digests.settings.wordpress_test GET": COMMUNICATORS,
    "digests.settings.wordpress_test POST": COMMUNICATORS,
    "digests.settings.template GET": ADMINS,
    "digests.settings.template POST": ADMINS,
    "digests.settings.reset_template POST": ADMINS,
    # the staff blog; its bar image carries no data and must work in WordPress too
    "blog.index GET": LOGGED_IN,
    "blog.show GET": LOGGED_IN,
    "blog.feed GET": LOGGED_IN,
    "blog.bar GET": EVERYONE,
    "blog.burnup_chart GET": EVERYONE,
    # Trello sync: leadership; the webhook proves itself by Trello's signature
    "sync.status GET": LEADERS,
    "sync.decide_proposal POST": LEADERS,
    "sync.decide_proposal POST [reject]": LEADERS,
    "sync.dismiss_conflict POST": LEADERS,
    "sync.resume_board POST": LEADERS,
    "sync.request_sync POST": LEADERS,
    "sync.recreate_card POST": LEADERS,
    "sync.restore_card POST": LEADERS,
    "sync.request_sync_all POST": LEADERS,
    "sync.trello_webhook GET": UNSIGNED_ONLY,
    "sync.trello_webhook POST": UNSIGNED_ONLY,
    # following and notifications: every login, each only their own
    "follows.follow POST": LOGGED_IN,
    "follows.unfollow POST": LOGGED_IN,
    "notifications.index GET": LOGGED_IN,
    "notifications.mark_all_read POST": LOGGED_IN,
    "notifications.mark_read POST": OWNER_ONLY,
    "notifications.mark_read POST [own]": STAFF_OWNER,
    "notifications.save_settings POST": LOGGED_IN,
    # an unsubscribe link works without a login: its signed token is the proof
    "notifications.unsubscribe GET": EVERYONE,
    "notifications.unsubscribe_one_click POST": EVERYONE,
    # check-ins: leadership, the responsible person and group leads book them
    "checkins.new_for_assignment GET": LEADERS,
    "checkins.new_for_assignment POST": LEADERS,
    "checkins.new_for_group GET": LEADERS,
    "checkins.new_for_group POST": LEADERS,
    "checkins.show GET": LOGGED_IN,
    "checkins.edit GET": LEADERS,
    "checkins.edit POST": LEADERS,
    "checkins.cancel POST": LEADERS,
    "checkins.save_notes POST": LEADERS,
    "checkins.save_notes POST [member]": LOGGED_IN,
    # feeds: the personal token in the address is the login
    "feeds.person_calendar GET": EVERYONE,
    "feeds.plan_calendar GET": EVERYONE,
    "feeds.blog_atom GET": EVERYONE,
    "feeds.plan_atom GET": EVERYONE,
    "feeds.create_address POST": LOGGED_IN,
    "feeds.revoke_address POST": LOGGED_IN,
    # governance: everyone reads decisions, leadership records them
    "decisions.list GET": LOGGED_IN,
    "decisions.show GET": LOGGED_IN,
    "decisions.new GET": LEADERS,
    "decisions.new POST": LEADERS,
    "decisions.edit GET": LEADERS,
    "decisions.edit POST": LEADERS,
    "decisions.bodies GET": LEADERS,
    "decisions.bodies POST": LEADERS,
    # evaluations: the responsible person or group lead (here someone else) and
    # leadership evaluate; every login reads the lessons
    "evaluations.list GET": LOGGED_IN,
    "evaluations.show GET": LOGGED_IN,
    "evaluations.for_assignment GET": LEADERS,
    "evaluations.for_assignment POST": LEADERS,
    "evaluations.for_group GET": LEADERS,
    "evaluations.for_group POST": LEADERS,
    "evaluations.make_assignment POST": LEADERS,
    "steps.enter GET": LEADERS,
    "steps.enter POST": LEADERS,
    # maturity: staff answer and read results, admins run rounds and models
    "maturity.index GET": LOGGED_IN,
    "maturity.show GET": LOGGED_IN,
    "maturity.answer GET": LOGGED_IN,
    "maturity.answer POST": LOGGED_IN,
    "maturity.new_round GET": ADMINS,
    "maturity.new_round POST": ADMINS,
    "maturity.close POST": ADMINS,
    "maturity.models GET": ADMINS,
    "maturity.model GET": ADMINS,
    "maturity.model POST": ADMINS,
    "maturity.plan_dimensions POST": LEADERS,
    # personal API tokens: each login only their own
    "api_tokens.index GET": LOGGED_IN,
    "api_tokens.index POST": LOGGED_IN,
    "api_tokens.revoke POST": OWNER_ONLY,
    "api_tokens.revoke POST [own]": STAFF_OWNER,
    # the JSON API: a bearer token is the only login (tests/test_api.py has the
    # role checks with tokens); its document and documentation page show no data
    "api-docs.openapi_json GET": EVERYONE,
    "api_docs_page GET": EVERYONE,
    "api.list_plans GET": UNSIGNED_ONLY,
    "api.get_plan GET": UNSIGNED_ONLY,
    "api.list_assignments GET": UNSIGNED_ONLY,
    "api.get_assignment GET": UNSIGNED_ONLY,
    "api.move_assignment PUT": UNSIGNED_ONLY,
    "api.add_report POST": UNSIGNED_ONLY,
    "api.set_milestone PUT": UNSIGNED_ONLY,
    "api.list_stages GET": UNSIGNED_ONLY,
    "api.list_groups GET": UNSIGNED_ONLY,
    "api.get_group GET": UNSIGNED_ONLY,
    "api.list_memberships GET": UNSIGNED_ONLY,
    "api.list_activity GET": UNSIGNED_ONLY,
    "api.list_decisions GET": UNSIGNED_ONLY,
    "api.get_decision GET": UNSIGNED_ONLY,
    "api.my_needs GET": UNSIGNED_ONLY,
    # recruit (issue #17): open sign-up in one step; undo one's own withdrawal
    "groups.open_signup POST": LEADERS,
    "groups.show GET [planned]": LOGGED_IN,
    "applications.undo_withdrawal POST": OWNER_ONLY,
    "applications.undo_withdrawal POST [own]": STAFF_OWNER,
}
