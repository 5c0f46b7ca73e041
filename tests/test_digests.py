"""The digest workflow: draft, edit, refresh, hold, schedule, versions, template."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from factories import happened_at, make_assignment, make_person, make_plan
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.errors import DomainError
from tracker.markup import render_markdown
from tracker.models.digests import Digest, DigestState
from tracker.models.people import Role
from tracker.services.digest import drafts as digests
from tracker.services.digest import editing
from tracker.services.digest import template as digest_template
from tracker.services.digest.months import Month
from tracker.services.digest.template import FACTS_END, FACTS_START

MARCH = Month(2026, 3)
NOW = datetime(2026, 4, 2, 8, tzinfo=STOCKHOLM)
URL = "https://tracker.test"

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klicka](javascript:alert(1))",
    "[klicka](JaVaScRiPt:alert(1))",
    "[klicka](&#106;avascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onmouseover="alert(1)">x</p>',
    "<body onload=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](vbscript:msgbox(1))",
    "<scr<script>ipt>alert(1)</script>",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


def assert_safe(html: str) -> None:
    """No dangerous element, event handler or script address, whatever the text says."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.seen:
        assert tag not in {"script", "iframe", "object", "svg", "form", "style", "math"}
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name != "style"
            address = re.sub(r"\s", "", (value or "")).lower()
            assert not address.startswith(("javascript:", "vbscript:", "data:")), value
    assert "<script" not in html.lower()


def save_text(
    session: Session, actor: object, digest: Digest, *, title: str, body: str
) -> bool:
    """Save as an editor who opened the newest version."""
    newest = digests.newest_version(session, digest)
    return editing.save_text(
        session,
        actor,  # type: ignore[arg-type]
        digest,
        title=title,
        body=body,
        base_version=newest.number if newest else 0,
    )


def draft(session: Session, month: Month = MARCH) -> Digest:
    digest, _ = digests.draft_for_month(session, None, month, now=NOW, public_url=URL)
    return digest


def test_drafting_twice_returns_the_same_digest(session: Session) -> None:
    first, created = digests.draft_for_month(
        session, None, MARCH, now=NOW, public_url=URL
    )
    again, created_again = digests.draft_for_month(
        session, None, MARCH, now=NOW, public_url=URL
    )
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert first.title == "Månadsbrev mars 2026"
    assert first.state is DigestState.DRAFT
    assert [v.reason for v in digests.versions(session, first)] == ["drafted"]


def test_an_empty_month_says_so_plainly(session: Session) -> None:
    digest = draft(session, Month(2025, 11))
    assert "hände inget nytt" in digest.body


def test_the_draft_is_swedish_markdown_with_the_facts_between_markers(
    session: Session,
) -> None:
    plan = make_plan(session, title="Bättre mottagande")
    with happened_at(session, datetime(2026, 3, 5, tzinfo=STOCKHOLM)):
        make_assignment(session, plan, title="Ny rutin")
    digest = draft(session)
    section = digest_template.facts_section(digest.body)
    assert section is not None
    assert "## Så går det för handlingsplanerna" in section
    assert "[Ny rutin](https://tracker.test/assignments/" in section
    html = str(render_markdown(digest.body))
    assert "fakta:" not in html
    assert '<img alt="0 av 1 uppdrag klara' in html


def test_saving_text_makes_the_digest_edited_with_a_version(session: Session) -> None:
    digest = draft(session)
    author = make_person(session, role=Role.COMMUNICATOR)
    body = "Hej alla!\n\n" + digest.body
    assert save_text(session, author, digest, title="Mars", body=body)
    assert not save_text(session, author, digest, title="Mars", body=body)
    assert digest.state is DigestState.EDITED
    versions = digests.versions(session, digest)
    assert [v.reason for v in versions] == ["edited", "drafted"]
    assert versions[0].author_id == author.id


def test_refreshing_the_facts_keeps_the_communicators_text(session: Session) -> None:
    plan = make_plan(session)
    digest = draft(session)
    intro, outro = "Min egen inledning.", "Hälsningar, kommunikatören"
    save_text(
        session,
        None,
        digest,
        title=digest.title,
        body=f"{intro}\n\n{digest.body}\n{outro}\n",
    )
    with happened_at(session, datetime(2026, 3, 20, tzinfo=STOCKHOLM)):
        make_assignment(session, plan, title="Sent tillkommet")
    found = digests.refresh_facts(session, None, digest, now=NOW, public_url=URL)
    assert found
    assert digest.body.startswith(intro)
    assert digest.body.rstrip().endswith(outro)
    assert "Sent tillkommet" in digest.body
    assert digest.body.count(FACTS_START) == 1
    assert digest.facts["assignments"]["new"]["count"] == 1
    assert digests.versions(session, digest)[0].reason == "refreshed"


def test_refresh_without_markers_appends_and_loses_nothing(session: Session) -> None:
    digest = draft(session)
    save_text(session, None, digest, title="T", body="Bara min text.")
    assert not digests.refresh_facts(session, None, digest, now=NOW, public_url=URL)
    assert digest.body.startswith("Bara min text.")
    assert FACTS_START in digest.body and FACTS_END in digest.body


def test_hold_release_and_schedule(session: Session) -> None:
    digest = draft(session)
    digests.hold(session, None, digest)
    assert digest.state is DigestState.HELD
    digests.release(session, None, digest)
    assert digest.state is DigestState.EDITED
    at = NOW + timedelta(days=1)
    digests.schedule(session, None, digest, at=at, now=NOW)
    assert (digest.state, digest.publish_at) == (DigestState.SCHEDULED, at)
    with pytest.raises(DomainError):
        digests.schedule(session, None, digest, at=NOW - timedelta(days=1), now=NOW)


def test_a_published_digest_cannot_change(session: Session) -> None:
    digest = draft(session)
    digest.state = DigestState.PUBLISHED
    with pytest.raises(DomainError):
        save_text(session, None, digest, title="x", body="y")
    with pytest.raises(DomainError):
        digests.refresh_facts(session, None, digest, now=NOW, public_url=URL)
    with pytest.raises(DomainError):
        digests.hold(session, None, digest)


def test_restoring_a_version(session: Session) -> None:
    digest = draft(session)
    original = digest.body
    save_text(session, None, digest, title=digest.title, body="Fel text")
    (drafted,) = [v for v in digests.versions(session, digest) if v.number == 1]
    digests.restore_version(session, None, digest, drafted)
    assert digest.body == original
    assert digests.versions(session, digest)[0].reason == "restored"


def test_automatic_publication_is_two_working_days_after_the_first(
    session: Session,
) -> None:
    config = {"PUBLISH_AFTER_WEEKDAYS": 2, "PUBLISH_HOUR": 9}
    # May 2026 begins on Friday 1 May, Första maj: Mon 4 (first), Tue 5, Wed 6
    at = digests.automatic_publish_at(Month(2026, 4), config)
    assert at == datetime(2026, 5, 6, 9, tzinfo=STOCKHOLM)
    # January 2027: Fri 1 Nyårsdagen, Mon 4 (first), Tue 5, Wed 6 Trettondedag jul
    at = digests.automatic_publish_at(Month(2026, 12), config)
    assert at == datetime(2027, 1, 7, 9, tzinfo=STOCKHOLM)


def test_admins_template_is_used_for_new_drafts(session: Session) -> None:
    admin = make_person(session, role=Role.ADMIN)
    text = (
        f"Egen mall {{{{ facts.month_label }}}}\n\n{FACTS_START}\nFakta\n{FACTS_END}\n"
    )
    digest_template.save_template(session, admin, text)
    assert draft(session).body.startswith("Egen mall mars 2026")
    digest_template.reset_template(session, admin)
    assert (
        digest_template.current_template(session) == digest_template.default_template()
    )


@pytest.mark.parametrize(
    "text",
    [
        "{{ facts.__class__.__mro__[1].__subclasses__() }}" + FACTS_START + FACTS_END,
        "{{ ''.__class__.__mro__ }}" + FACTS_START + FACTS_END,
        "{{ facts.nothing_here }}" + FACTS_START + FACTS_END,
        "{% for x in %}" + FACTS_START + FACTS_END,
        "{{ 1 / 0 }}" + FACTS_START + FACTS_END,
        "{{ facts + 1 }}" + FACTS_START + FACTS_END,
        "{{ 'x' * 10000000000 }}" + FACTS_START + FACTS_END,
        "{{ 10 ** 10 ** 10 }}" + FACTS_START + FACTS_END,
        "Inga markörer alls",
    ],
)
def test_unsafe_or_broken_templates_are_refused(session: Session, text: str) -> None:
    with pytest.raises(DomainError):
        digest_template.save_template(session, None, text)


def test_a_broken_stored_template_never_stops_a_draft(session: Session) -> None:
    from tracker.models.digests import DigestTemplate

    session.add(DigestTemplate(body="{{ facts.missing.deeper }}"))
    session.flush()
    assert "Så går det för handlingsplanerna" in draft(session).body


@pytest.mark.parametrize("payload", XSS)
def test_no_script_reaches_the_published_html(session: Session, payload: str) -> None:
    make_plan(session, title=f"Plan {payload}"[:200])
    digest = draft(session)
    save_text(
        session, None, digest, title="x", body=f"{payload}\n\n{digest.body}\n{payload}"
    )
    assert_safe(str(render_markdown(digest.body)))


def test_names_cannot_inject_links_or_html(session: Session) -> None:
    make_plan(session, title="[fälla](javascript:alert(1)) <b>fet</b>")
    html = str(render_markdown(draft(session).body))
    assert "&lt;b&gt;fet&lt;/b&gt;" in html
    assert "[fälla]" in html
    assert_safe(html)


@pytest.mark.parametrize(
    "html",
    [
        '<a href=" JavaScript:alert(1)">x</a>',
        '<img src="x" onerror="alert(1)">',
        "<script>alert(1)</script>",
        '<img src="data:text/html,x">',
    ],
)
def test_the_xss_check_itself_catches_unsafe_html(html: str) -> None:
    with pytest.raises(AssertionError):
        assert_safe(html)


def test_an_early_preview_is_completed_when_the_month_is_over(
    session: Session,
) -> None:
    mid_march = datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM)
    preview, _ = digests.draft_for_month(
        session, None, MARCH, now=mid_march, public_url=URL
    )
    assert preview.facts["partial"] is True
    save_text(
        session, None, preview, title="Mars", body="Egen text.\n\n" + preview.body
    )
    again, created = digests.draft_for_month(
        session, None, MARCH, now=NOW, public_url=URL
    )
    assert (again.id, created) == (preview.id, False)
    assert again.facts["partial"] is False
    assert again.body.startswith("Egen text.")
    assert "Månaden pågår" not in again.body
