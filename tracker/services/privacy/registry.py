"""Every table and column that can hold a person's or an applicant's data.

The purge (purge.py) and the export (export.py) are written from this one list.
tests/test_privacy_registry.py fails when a table has a column that refers to people,
applications or activity events, or is named like personal data, that the list does
not cover. A new table is one line here; a table that keeps such data in a shape
of its own (JSON by application id, say) also names its own purge and export.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from tracker.db import Base
from tracker.models.activity import ActivityEvent
from tracker.models.applications import SelectionRun
from tracker.models.digests import Digest, DigestState, DigestVersion
from tracker.services.privacy import shapes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models.people import Person
    from tracker.services.privacy.targets import Mine, Purged


class Holds(enum.Enum):
    """What a column holds, as far as personal data goes."""

    PERSON = "person"  # a foreign key to people: whose row this is, or who did it
    APPLICATION = "application"  # a foreign key to applications (or their own id)
    EVENT = "event"  # a foreign key to activity_events
    DETAIL = "detail"  # a value about the row's person or application
    TEXT = "text"  # free text or JSON that may name people
    WITHHELD = "withheld"  # about the person, but not exported (see the comment)
    NOT_PERSONAL = "not personal"  # named like personal data, but is not (see why)


PERSON, APPLICATION, EVENT = Holds.PERSON, Holds.APPLICATION, Holds.EVENT
DETAIL, TEXT, WITHHELD = Holds.DETAIL, Holds.TEXT, Holds.WITHHELD
NOT_PERSONAL = Holds.NOT_PERSONAL

Purger = Callable[["Session", "Purged"], int]
Exporter = Callable[["Session", "Person", "Mine"], sa.ColumnElement[bool]]


@dataclass(frozen=True)
class Entry:
    """One table: its columns with someone's data and how purge and export treat it.

    Rows linked to a purged application (an APPLICATION or EVENT column) lose
    their DETAIL and TEXT values and the applicant in their PERSON columns. Rows
    matching *scrub* (drafts, the purged applications' groups) lose the applicants'
    names and e-mail addresses from their TEXT.
    A person's export holds every row whose PERSON column is theirs, whose
    APPLICATION column is one of their applications or whose EVENT column is about
    them, plus the rows *export* adds; every column but WITHHELD ones.
    """

    table: str
    columns: Mapping[str, Holds]
    why: str = ""  # why the NOT_PERSONAL columns are not
    scrub: Callable[[Purged], sa.ColumnElement[bool]] | None = None
    purge: Purger | None = None  # a purge of its own, after the linked rows'
    export: Exporter | None = None  # more rows of the person's
    # instead of whole rows, only the person's part (a row of many people's data)
    export_rows: Callable[[Session, Person, Mine], list[dict[str, Any]]] | None = None

    @property
    def sa_table(self) -> sa.Table:
        """The table in the schema."""
        return Base.metadata.tables[self.table]

    def holding(self, *kinds: Holds) -> list[sa.Column[Any]]:
        """The columns of these kinds."""
        return [self.sa_table.c[n] for n, kind in self.columns.items() if kind in kinds]


VOCABULARY = "the name of a term in a vocabulary or of the programme's own objects"

REGISTRY: tuple[Entry, ...] = (
    Entry(
        "people",
        {
            "id": PERSON,
            "name": DETAIL,
            "email": DETAIL,
            "department_id": DETAIL,
            "years_experience": DETAIL,
            "trello_username": DETAIL,
            "role": DETAIL,
            # never exported: a hash proves nothing to the person and helps guessing
            "password_hash": WITHHELD,
            "consent_on": DETAIL,
            "consent_note": TEXT,
            "digest_opt_out": DETAIL,
            "publication_consent_on": DETAIL,
            "login_enabled": DETAIL,
            "session_generation": DETAIL,
            "oidc_subject": DETAIL,
            "password_link_sent_at": DETAIL,
        },
    ),
    Entry("person_competences", {"person_id": PERSON, "competence_id": DETAIL}),
    Entry(
        "applications",
        {
            "id": APPLICATION,
            "person_id": PERSON,
            "department": DETAIL,
            "former_departments": DETAIL,  # a work history can point to a person
            "competences": DETAIL,
            "years_experience": DETAIL,
            "motivation": DETAIL,
        },
    ),
    Entry(
        "selection_runs",
        {
            "created_by_id": PERSON,
            "confirmed_by_id": PERSON,
            "inputs": TEXT,  # each applicant's snapshot, by application id
            "proposal": TEXT,  # chances by application id
            "changes": TEXT,  # leadership's reasons for swaps
        },
        # a reason for a swap of two others may still name a purged applicant
        scrub=lambda purged: SelectionRun.group_id.in_(purged.groups),
        purge=shapes.purge_runs,
        export_rows=shapes.run_rows,
    ),
    Entry(
        "activity_events",
        {
            "actor_id": PERSON,
            "subject_id": PERSON,
            "actor_label": DETAIL,
            "object_label": TEXT,
            "before": TEXT,
            "after": TEXT,
        },
        scrub=lambda purged: ActivityEvent.group_id.in_(purged.groups),
        purge=shapes.purge_events,
        export=shapes.events_about,
    ),
    Entry(
        "outbox_messages",
        {
            "person_id": PERSON,
            "application_id": APPLICATION,
            "recipients": DETAIL,
            "subject": TEXT,
            "body": TEXT,
            "html": TEXT,
        },
        purge=shapes.purge_old_mail,
        export=shapes.mail_to,
    ),
    Entry(
        "digests",
        {"title": TEXT, "body": TEXT, "facts": TEXT},
        scrub=lambda _purged: Digest.state != DigestState.PUBLISHED,
    ),
    Entry(
        "digest_versions",
        {"author_id": PERSON, "title": TEXT, "body": TEXT, "note": TEXT},
        scrub=lambda _purged: DigestVersion.reason != "published",
    ),
    Entry("memberships", {"person_id": PERSON}),
    Entry("assignments", {"responsible_id": PERSON}),
    Entry("progress_reports", {"author_id": PERSON, "body": TEXT}),
    Entry("action_plans", {"owner_id": PERSON}),
    Entry("digest_templates", {"updated_by_id": PERSON}),
    Entry(
        "login_failures",
        # the address an attempt came from may be someone else's: not exported
        {"email": DETAIL, "remote_addr": WITHHELD},
        export=shapes.failures_for,
    ),
    Entry(
        "login_sessions",
        # a session key's hash and the identity provider's token are credentials
        {"person_id": PERSON, "key_hash": WITHHELD, "id_token": WITHHELD},
    ),
    Entry(
        "password_link_requests",
        {"email": DETAIL, "remote_addr": WITHHELD},
        export=shapes.link_requests_for,
    ),
    Entry("follows", {"person_id": PERSON}),
    Entry(
        "notification_settings",
        {"person_id": PERSON, "schedule": DETAIL, "open_calls": DETAIL},
    ),
    Entry("mail_summaries", {"person_id": PERSON}),
    # a notification of an event about a purged application loses its wording
    Entry("notifications", {"person_id": PERSON, "event_id": EVENT, "params": TEXT}),
    # the feed address's secret: a credential, not exported
    Entry(
        "feed_tokens",
        {"person_id": PERSON, "nonce": WITHHELD, "token_hash": WITHHELD},
    ),
    # personal API tokens: the label and dates are the person's; the hash a credential
    Entry(
        "api_tokens",
        {"person_id": PERSON, "name": DETAIL, "token_hash": WITHHELD},
    ),
    Entry(
        "check_ins",
        {"organizer_id": PERSON, "title": TEXT, "location": TEXT, "agenda": TEXT},
    ),
    # governance: a decision's owner and recorder, its text may name people
    Entry(
        "decisions",
        {
            "owner_id": PERSON,
            "recorded_by_id": PERSON,
            "title": TEXT,
            "text": TEXT,
            "reference": NOT_PERSONAL,
        },
        why="a registry number (diarienummer) of the decision",
    ),
    Entry(
        "evaluations",
        {
            "author_id": PERSON,
            "worked": TEXT,
            "did_not_work": TEXT,
            "adjust": TEXT,
            "interview_roles": TEXT,
        },
    ),
    Entry("evaluation_findings", {"text": TEXT}),
    Entry("plan_steps", {"recorded_by_id": PERSON, "purpose": TEXT, "goal": TEXT}),
    # that a person answered a round; what they answered is only in the counts
    # (maturity_tallies), which hold no person
    Entry("maturity_participations", {"person_id": PERSON}),
    Entry(
        "maturity_tallies",
        {"department_id": NOT_PERSONAL},
        why="counts of answers per department, never shown under [MATURITY] MIN_GROUP",
    ),
    Entry(
        "maturity_round_departments",
        {"department_id": NOT_PERSONAL},
        why="the departments a round asks",
    ),
    Entry("deciding_bodies", {"name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("method_steps", {"name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("maturity_models", {"name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("maturity_dimensions", {"name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("departments", {"name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("competences", {"name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("stages", {"name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("working_groups", {"name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("scheduler_locks", {"name": NOT_PERSONAL}, why="a job's name"),
    Entry("change_stamps", {"name": NOT_PERSONAL}, why="a table's name"),
    Entry("notification_cursors", {"name": NOT_PERSONAL}, why="a job's name"),
    Entry("trello_match_proposals", {"card_name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("trello_check_items", {"synced_name": NOT_PERSONAL}, why=VOCABULARY),
    Entry("trello_cards", {"off_list_name": NOT_PERSONAL}, why="a Trello list's name"),
)
