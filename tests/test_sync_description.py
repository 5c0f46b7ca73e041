"""Card texts round-trip: the footer is found by its tags, never by a Markdown rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from factories import make_assignment, make_group, make_plan
from fakes.trello import FakeTrello
from fakes.trello_app import run_sync, sync_app
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from sync.description import (
    TRELLO_DESC_MAX,
    compose,
    merged_body,
    parse,
    utf16_len,
)
from tracker.models.assignments import Assignment
from tracker.models.plans import ActionPlan
from tracker.models.trello import TrelloCard

LINES = ["Uppdrag i trackern: https://t.test/assignments/7", "Arbetsgrupper: A, B"]
NOTE = "Texten är för lång för Trello: https://t.test/assignments/7"

# Markdown-ish text: rules, headings, code fences, our own tags, emoji, line breaks.
PIECES = st.sampled_from(
    [
        "---",
        "\n",
        "\n\n",
        "***",
        "# Rubrik",
        "```",
        "[tracker:footer]",
        "[tracker:footer:cut]",
        "[tracker:assignment:7]",
        "[tracker:assignment:99]",
        "Uppdrag i trackern: https://t.test/assignments/7",
        "- punkt",
        "😀",
        " ",
    ]
)
BODIES = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=25).map("".join)


def card_body(body: str) -> str:
    """What a body is once on a card (Trello keeps \\n line ends)."""
    return body.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=400, deadline=None)
@given(BODIES)
def test_any_body_round_trips_through_the_footer(body: str) -> None:
    text = compose(body, LINES, 7, NOTE)
    parsed = parse(text)
    assert parsed.body == card_body(body)
    assert parsed.assignment_id == 7 and not parsed.cut


@settings(max_examples=200, deadline=None)
@given(BODIES)
def test_any_body_without_a_footer_is_all_body(body: str) -> None:
    if "[tracker:assignment:" in body:
        return  # a text ending in a marker is covered below
    assert parse(body).body == card_body(body)


@settings(max_examples=200, deadline=None)
@given(BODIES, BODIES)
def test_an_edit_in_trello_round_trips_back_to_the_card(body: str, edit: str) -> None:
    """Tracker -> card -> person edits the body -> tracker -> card: nothing lost."""
    first = compose(body, LINES, 7, NOTE)
    edited = compose(edit, LINES, 7, NOTE)  # the person changed the text above
    taken = merged_body(edited, first, body)
    assert taken == card_body(edit)
    assert parse(compose(taken, LINES, 7, NOTE)).body == card_body(edit)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30), st.integers(16_000, 40_000))
def test_a_long_body_is_cut_on_the_card_and_kept_whole(word: str, size: int) -> None:
    body = card_body((word * (size // len(word) + 1))[:size])
    text = compose(body, LINES, 7, NOTE)
    assert utf16_len(text) <= TRELLO_DESC_MAX
    parsed = parse(text)
    if not parsed.cut:  # it fits whole: then it is on the card whole
        assert parsed.body == body
        return
    footer = utf16_len(compose("x", LINES, 7, NOTE)) - 1
    assert utf16_len(body) + footer > TRELLO_DESC_MAX  # cut only when needed
    assert body.startswith(parsed.body)
    assert NOTE in text
    # A person edits the start of the card: the tracker keeps all the rest
    edited = compose("Ny början. " + parsed.body, LINES, 7, NOTE)
    assert merged_body(edited, text, body) == "Ny början. " + body


def test_a_body_of_exactly_the_room_left_is_not_cut() -> None:
    footer = len(compose("x", LINES, 7, NOTE)) - 1
    body = "å" * (TRELLO_DESC_MAX - footer)
    text = compose(body, LINES, 7, NOTE)
    assert len(text) == TRELLO_DESC_MAX and parse(text) == parse(text)
    assert parse(text).body == body and not parse(text).cut


def test_emoji_count_twice_and_are_never_cut_in_half() -> None:
    body = "😀" * 9000  # 18 000 UTF-16 units
    text = compose(body, LINES, 7, NOTE)
    assert utf16_len(text) <= TRELLO_DESC_MAX
    assert set(parse(text).body) == {"😀"}


@pytest.mark.parametrize(
    ("text", "body", "assignment_id"),
    [
        # only a footer
        ("---\n[tracker:footer]\nUppdrag\n\n[tracker:assignment:3]", "", 3),
        # only a marker: people's text, kept
        ("[tracker:assignment:3]", "[tracker:assignment:3]", None),
        # two markers: the footer's is the last one; the other stays text
        (
            "Se [tracker:assignment:9]\n\n---\n[tracker:footer]\nX\n\n"
            "[tracker:assignment:3]",
            "Se [tracker:assignment:9]",
            3,
        ),
        # a marker inside a code block, with no footer: all of it is text
        ("```\n[tracker:assignment:3]\n```", "```\n[tracker:assignment:3]\n```", None),
        # text written below the footer is kept
        (
            "Ovan\n\n---\n[tracker:footer]\nX\n\n[tracker:assignment:3]\n\nUnder",
            "Ovan\n\nUnder",
            3,
        ),
        # the footer of before (no start tag) is still recognised
        (
            "Text\n\n---\nUppdrag i trackern: https://t/assignments/3\n"
            "Arbetsgrupper: A\n\n[tracker:assignment:3]",
            "Text",
            3,
        ),
        (
            "---\nUppdrag i trackern: https://t/assignments/3\n\n[tracker:assignment:3]",
            "",
            3,
        ),
    ],
)
def test_odd_card_texts_lose_nothing(
    text: str, body: str, assignment_id: int | None
) -> None:
    parsed = parse(text)
    assert (parsed.body, parsed.assignment_id) == (body, assignment_id)


# -- through the fake Trello ------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeTrello]:
    with FakeTrello() as server:
        yield server


@pytest.fixture
def app(db_url: str, connection: Connection, fake: FakeTrello) -> Flask:
    return sync_app(db_url, connection, fake)


def plan_with(session: Session, text: str) -> tuple[ActionPlan, Assignment]:
    plan = make_plan(session, title="Texter")
    assignment = make_assignment(session, plan, description=text)
    session.commit()
    return plan, assignment


def the_card(fake: FakeTrello) -> dict:  # type: ignore[type-arg]
    [card] = fake.cards(fake.board_by_name("Texter")["id"])
    return card


def reread(session: Session, assignment: Assignment) -> Assignment:
    session.expire_all()
    found = session.get(Assignment, assignment.id)
    assert found is not None
    return found


def test_b1_a_description_starting_with_a_rule_survives_a_trello_edit(
    app: Flask, fake: FakeTrello, session: Session
) -> None:
    text = "---\nInledning under ett streck.\n\n---\n\nMer text."
    _plan, assignment = plan_with(session, text)
    run_sync(app)
    fake.update_card(the_card(fake)["id"], name="Nytt namn")
    [report] = run_sync(app)
    assert report.error == ""
    assert reread(session, assignment).description == text
    assert the_card(fake)["desc"].startswith(text + "\n\n---\n[tracker:footer]")


def test_b2_text_pasted_over_the_whole_card_is_kept_whole(
    app: Flask, fake: FakeTrello, session: Session
) -> None:
    _plan, assignment = plan_with(session, "Gammal text.")
    run_sync(app)
    pasted = "Del ett\n\n---\n\nDel två, viktig"
    fake.update_card(the_card(fake)["id"], desc=pasted)
    run_sync(app)
    assert reread(session, assignment).description == pasted
    card = the_card(fake)["desc"]
    assert card.startswith(pasted + "\n\n---\n[tracker:footer]")
    assert card.endswith(f"[tracker:assignment:{assignment.id}]")


def test_b3_sixteen_thousand_characters_fit_whole_and_survive_an_edit(
    app: Flask, fake: FakeTrello, session: Session
) -> None:
    text = "".join(f"Stycke {n}. " + "ord " * 30 + "\n\n" for n in range(121))
    assert 16_000 <= len(text) <= 16_200
    _plan, assignment = plan_with(session, text)
    run_sync(app)
    card = the_card(fake)
    assert parse(card["desc"]).body == text
    fake.update_card(card["id"], desc=card["desc"].replace("Stycke 0.", "Del 0.", 1))
    [report] = run_sync(app)
    assert report.error == ""
    assert reread(session, assignment).description == text.replace(
        "Stycke 0.", "Del 0.", 1
    )


def test_a_description_longer_than_a_card_is_cut_on_the_card_only(
    app: Flask, fake: FakeTrello, session: Session
) -> None:
    text = "".join(f"Stycke {n}. " + "ord " * 30 + "\n\n" for n in range(160))
    _plan, assignment = plan_with(session, text)
    [report] = run_sync(app)
    assert report.error == ""
    card = the_card(fake)
    assert len(card["desc"]) == 16_384
    assert "för lång för Trello" in card["desc"]  # the card says where the rest is
    assert f"/assignments/{assignment.id}" in card["desc"]
    assert session.scalars(select(TrelloCard)).one().desc_cut is True
    # A person corrects the first word in Trello: nothing at the end is lost
    fake.update_card(card["id"], desc=card["desc"].replace("Stycke 0.", "Del 0.", 1))
    [report] = run_sync(app)
    assert report.error == ""
    assert reread(session, assignment).description == text.replace(
        "Stycke 0.", "Del 0.", 1
    )
    # ... and when a person pastes over all of the card, the rest is still kept
    fake.update_card(the_card(fake)["id"], desc="Kort ny text.")
    run_sync(app)
    kept = reread(session, assignment).description
    assert kept.startswith("Kort ny text.") and kept.endswith(text[-500:])


def test_a_description_that_fits_exactly_is_not_cut(
    app: Flask, fake: FakeTrello, session: Session
) -> None:
    _plan, assignment = plan_with(session, "x")
    run_sync(app)
    room = 16_384 - (len(the_card(fake)["desc"]) - 1)
    text = "y" * room
    assignment = reread(session, assignment)
    assignment.description = text
    session.commit()
    [report] = run_sync(app)
    assert report.error == ""
    assert len(the_card(fake)["desc"]) == 16_384
    assert parse(the_card(fake)["desc"]).body == text


def test_a_footer_the_tracker_rewrites_never_outvotes_an_edit_in_trello(
    app: Flask, fake: FakeTrello, session: Session
) -> None:
    _plan, assignment = plan_with(session, "Första texten.")
    run_sync(app)
    # Meanwhile: a person edits the text in Trello, and a working group is added in
    # the tracker (the footer gains a line).
    card = the_card(fake)
    fake.update_card(card["id"], desc=card["desc"].replace("Första", "Rättad"))
    make_group(session, name="Ny grupp", assignments=[reread(session, assignment)])
    session.commit()
    [report] = run_sync(app)
    assert report.error == "" and report.conflicts == 0
    assert reread(session, assignment).description == "Rättad texten."
    desc = the_card(fake)["desc"]
    assert desc.startswith("Rättad texten.") and "Ny grupp" in desc
