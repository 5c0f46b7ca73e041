"""Search finds people, milestones, reports, decisions and digests, ranked."""

from __future__ import annotations

from datetime import date

from conftest import login
from factories import (
    make_assignment,
    make_competence,
    make_department,
    make_person,
    make_plan,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db import get_session
from tracker.models.assignments import ProgressReport
from tracker.models.decisions import DecidingBody, Decision
from tracker.models.digests import BlogPost
from tracker.services import search
from tracker.services.programme import milestones


def world(session: Session) -> None:
    """Sara Olsson of Vägledning, a milestone, a report and a published digest."""
    vagledning = make_department(session, "Vägledning")
    make_person(
        session,
        name="Sara Olsson",
        department=vagledning,
        competences=[make_competence(session, "Motiverande samtal")],
    )
    make_person(session, name="Per Olsén", department=make_department(session, "IT"))
    make_person(session, name="Olle Gammal").active = False
    plan = make_plan(session, title="Bli en processorganisation")
    assignment = make_assignment(session, plan, title="Kartlägg processerna")
    milestones.add_milestone(
        session, None, assignment, title="Delrapport till ledningen", due_on=None
    )
    session.add(
        ProgressReport(
            assignment=assignment,
            body="Vi har hållit tre workshoppar med medborgare och handläggare.",
            reported_on=date(2026, 10, 1),
        )
    )
    session.add(
        BlogPost(
            slug="manadsbrev-2026-10",
            title="Månadsbrev oktober",
            body="Under oktober blev kartläggningen av processerna klar.",
        )
    )
    session.flush()


def test_finds_a_person_by_surname_department_and_competence(
    session: Session,
) -> None:
    """People are found by name, department and competence; inactive are not."""
    world(session)
    by_surname = search.search(session, "Olsson").of_kind("person")
    assert [h.title for h in by_surname] == ["Sara Olsson"]
    assert by_surname[0].context == "Vägledning"
    by_department = search.search(session, "vägledning").of_kind("person")
    assert [h.title for h in by_department] == ["Sara Olsson"]
    skills = search.search(session, "motiverande").of_kind("person")
    assert [h.title for h in skills] == ["Sara Olsson"]
    assert ("Motiverande", True) in skills[0].snippet
    assert search.search(session, "Gammal").count == 0


def test_finds_a_milestone_a_report_word_and_a_digest(session: Session) -> None:
    """Milestones, progress report text and published digests are searched."""
    world(session)
    milestone = search.search(session, "delrapport").hits
    assert [(h.kind, h.title) for h in milestone] == [
        ("milestone", "Delrapport till ledningen")
    ]
    assert milestone[0].context == "Kartlägg processerna"
    report = search.search(session, "workshoppar").hits
    assert [h.kind for h in report] == ["report"]
    assert ("workshoppar", True) in report[0].snippet
    assert report[0].values["_anchor"] == "timeline"
    digest = search.search(session, "kartläggningen").hits
    assert [(h.kind, h.title) for h in digest] == [("digest", "Månadsbrev oktober")]


def test_a_title_match_ranks_above_a_text_match(session: Session) -> None:
    """The assignment titled with the word comes before the texts that mention it."""
    world(session)
    hits = search.search(session, "processerna").hits
    assert hits[0].kind == "assignment"
    assert hits[0].title == "Kartlägg processerna"
    assert {h.kind for h in hits[1:]} == {"digest"}


def test_every_word_must_match_and_snippets_mark_each(session: Session) -> None:
    """Two words narrow the search; both are marked in the snippet."""
    world(session)
    hits = search.search(session, "workshoppar medborgare").hits
    assert len(hits) == 1
    marked = [text for text, is_match in hits[0].snippet if is_match]
    assert marked == ["workshoppar", "medborgare"]
    assert search.search(session, "workshoppar ekonomi").count == 0
    assert search.search(session, "   ").count == 0


def test_wildcards_are_plain_text(session: Session) -> None:
    """% and _ in a query match themselves only."""
    world(session)
    assert search.search(session, "%").count == 0
    assert search.search(session, "_").count == 0


def test_search_page_lists_ranked_hits_with_marked_words(
    app: Flask, client: FlaskClient
) -> None:
    """The page shows each hit's kind, link and snippet with <mark>."""
    with app.app_context():
        world(get_session())
        make_person(get_session(), email="sokare@test.se")
        get_session().commit()
    login(client, "sokare@test.se")
    page = client.get("/search/?q=workshoppar").get_data(as_text=True)
    assert "1 träff" in page
    assert "Lägesrapport" in page
    assert "<mark>workshoppar</mark>" in page
    assert "#timeline" in page
    person_page = client.get("/search/?q=Olsson").get_data(as_text=True)
    assert ">Sara Olsson</a>" in person_page
    assert "Person" in person_page
    empty = client.get("/search/?q=finnsinte").get_data(as_text=True)
    assert "0 träffar" in empty
    assert "Inget innehåller alla orden" in empty


def decision(session: Session) -> None:
    """A decision about the workshops."""
    session.add(
        Decision(
            decided_on=date(2026, 11, 5),
            body=DecidingBody(name="Förvaltningsledning"),
            title="Fler medborgardialoger",
            text="Förvaltningsledningen beslutar att workshopparna ska fortsätta.",
        )
    )
    session.flush()


def test_decisions_are_found_by_title_and_text_for_logins(session: Session) -> None:
    """Decisions come up by title and text, but only when asked for (logins)."""
    world(session)
    decision(session)
    by_title = search.search(session, "medborgardialoger", with_decisions=True)
    assert [(h.kind, h.title) for h in by_title.hits] == [
        ("decision", "Fler medborgardialoger")
    ]
    assert by_title.hits[0].endpoint == "decisions.show"
    by_text = search.search(session, "fortsätta", with_decisions=True).hits
    assert [h.kind for h in by_text] == ["decision"]
    assert ("fortsätta", True) in by_text[0].snippet
    assert search.search(session, "medborgardialoger").count == 0


def test_full_text_follows_updates_and_deletes(session: Session) -> None:
    """A changed report is found by its new words only; a deleted one not at all."""
    world(session)
    report = session.scalars(select(ProgressReport)).one()
    report.body = "Enkäten till arbetsgivarna är utskickad."
    session.flush()
    assert search.search(session, "workshoppar").count == 0
    assert [h.kind for h in search.search(session, "enkäten").hits] == ["report"]
    session.delete(report)
    session.flush()
    assert search.search(session, "enkäten").count == 0


def test_a_word_finds_its_longer_forms_and_postgresql_stems(session: Session) -> None:
    """ "workshop" finds "workshoppar"; on PostgreSQL Swedish stemming finds more."""
    world(session)
    report = search.search(session, "workshop").of_kind("report")
    assert len(report) == 1
    assert ("workshop", True) in report[0].snippet
    inflected = search.search(session, "workshopen medborgarna").of_kind("report")
    if session.get_bind().dialect.name == "postgresql":
        # 'workshopen' and 'medborgarna' share stems with 'workshoppar', 'medborgare'
        assert len(inflected) == 1
        marked = [text for text, is_match in inflected[0].snippet if is_match]
        assert marked == ["workshoppar", "medborgare"]
    else:
        assert inflected == []  # FTS5 matches prefixes, not stems


def test_operators_phrases_and_exclusions(session: Session) -> None:
    """Quoted phrases and -word work; the rest of the syntax is plain text."""
    world(session)
    assert search.search(session, '"tre workshoppar"').of_kind("report")
    assert search.search(session, "workshoppar -medborgare").of_kind("report") == []
    assert search.search(session, "workshoppar -ekonomi").of_kind("report")


BAD_QUERIES = [
    '"',
    '"""',
    "'",
    "workshoppar\"'",
    "-",
    "- -",
    "-workshoppar",
    "or",
    "workshoppar OR",
    "AND NOT",
    "!:*&|()",
    "<->",
    "*",
    "^",
    "NEAR(a b)",
    "col:value",
    "work\x00shop",
    "\x00",
    "_",
    "x" * 5000,
    " ".join(["workshoppar"] * 500),
    "och",
    "²",
]


def test_bad_queries_never_fail(session: Session) -> None:
    """Quotes, operators, NUL and very long queries give hits or none, no error."""
    world(session)
    decision(session)
    for query in BAD_QUERIES:
        results = search.search(session, query, with_decisions=True)
        assert results.count >= 0, query
    assert search.search(session, "workshoppar\x00").of_kind("report")


def test_search_page_survives_bad_input_and_hides_decisions_from_visitors(
    app: Flask, client: FlaskClient
) -> None:
    """No 500 for odd queries; a login sees the decision, a visitor must log in."""
    with app.app_context():
        world(get_session())
        decision(get_session())
        make_person(get_session(), email="beslutslasare@test.se")
        get_session().commit()
    visitor = client.get("/search/?q=medborgardialoger")
    assert visitor.status_code == 302
    assert "/login" in visitor.headers["Location"]
    login(client, "beslutslasare@test.se")
    page = client.get("/search/?q=medborgardialoger").get_data(as_text=True)
    assert "1 träff" in page
    assert "Beslut" in page
    for query in BAD_QUERIES:
        response = client.get("/search/", query_string={"q": query})
        # NUL in a URL is refused for every page before the view (400, not 500)
        assert response.status_code == (400 if "\x00" in query else 200), query
