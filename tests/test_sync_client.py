"""The Trello client: base URL, key and token, timeouts, retries, pacing, no resends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes.trello import FakeTrello
from trello import TrelloClient

from sync.client import TrelloApi, TrelloError, make_api


@pytest.fixture
def fake() -> Iterator[FakeTrello]:
    with FakeTrello() as server:
        yield server


def api_for(fake: FakeTrello, **overrides: object) -> TrelloApi:
    config = {
        "API_KEY": fake.key,
        "TOKEN": fake.token,
        "API_URL": fake.url,
        "BACKOFF_SECONDS": 0.01,
        "TIMEOUT": 2,
        "MAX_RETRIES": 3,
    } | overrides
    return make_api(config)


def board_with_list(api: TrelloApi) -> tuple[str, str]:
    board = api.create_board("Plan", "")
    return board["id"], api.create_list(board["id"], "Planerad")["id"]


def test_every_call_goes_to_the_configured_url_with_key_and_token(
    fake: FakeTrello,
) -> None:
    api = api_for(fake)
    board_id, _ = board_with_list(api)
    api.board(board_id)
    # py-trello's own helpers use https://trello.com/1 too; they land on the fake
    client = TrelloClient(api_key=fake.key, api_secret=fake.token)
    client.http_service = api.session
    assert client.get_board(board_id).name == "Plan"
    assert fake.request_count == api.requests_made == 4
    assert all(entry.status == 200 for entry in fake.log)


def test_reading_a_board_is_one_request_with_nested_resources(
    fake: FakeTrello,
) -> None:
    api = api_for(fake)
    board_id, list_id = board_with_list(api)
    card = api.create_card({"idList": list_id, "name": "Uppdrag", "desc": "Text"})
    checklist = api.create_checklist(card["id"], "Milstolpar")
    api.add_check_item(checklist["id"], "Startmöte", True)
    mark = fake.request_count
    board = api.board(board_id)
    [entry] = fake.requests_since(mark)
    assert entry.params["cards"] == "all" and entry.params["checklists"] == "all"
    assert "desc" in entry.params["card_fields"]
    [found] = board.cards.values()
    assert (found.name, found.desc, found.list_id) == ("Uppdrag", "Text", list_id)
    assert [(i.name, i.done) for i in found.checklists[0].items] == [
        ("Startmöte", True)
    ]


def test_wrong_token_is_a_401_whose_message_holds_no_secret(fake: FakeTrello) -> None:
    api = api_for(fake, TOKEN="f" * 64)
    with pytest.raises(TrelloError) as caught:
        api.my_boards()
    assert caught.value.status == 401
    assert "invalid token" in str(caught.value)
    assert "f" * 64 not in str(caught.value)


def test_unknown_board_is_404_and_bad_id_400(fake: FakeTrello) -> None:
    api = api_for(fake)
    with pytest.raises(TrelloError) as missing:
        api.board("0" * 24)
    with pytest.raises(TrelloError) as bad:
        api.board("nope!")
    assert (missing.value.status, bad.value.status) == (404, 400)


def test_a_slow_answer_times_out_and_is_retried(fake: FakeTrello) -> None:
    api = api_for(fake, TIMEOUT=0.3)
    board_id, _ = board_with_list(api)
    fake.delay_next(1, 1.0, method="GET")
    assert api.board(board_id).name == "Plan"
    assert api.session.retries == 1


def test_a_burst_of_429s_is_waited_out(fake: FakeTrello) -> None:
    api = api_for(fake)
    board_id, _ = board_with_list(api)
    mark = fake.request_count
    fake.rate_limit_next(3)
    assert api.board(board_id).name == "Plan"
    assert [e.status for e in fake.requests_since(mark)] == [429, 429, 429, 200]


def test_server_errors_are_retried_then_reported(fake: FakeTrello) -> None:
    api = api_for(fake, MAX_RETRIES=2)
    board_id, _ = board_with_list(api)
    fake.fail_next(10, 503)
    with pytest.raises(TrelloError) as caught:
        api.board(board_id)
    assert caught.value.status == 503
    assert api.session.retries == 2


def test_a_post_is_never_resent_when_it_may_have_arrived(fake: FakeTrello) -> None:
    api = api_for(fake)
    board_id, list_id = board_with_list(api)
    fake.drop_next(method="POST", path="/1/cards")
    with pytest.raises(TrelloError) as caught:
        api.create_card({"idList": list_id, "name": "Bara en"})
    assert "token" not in str(caught.value).lower()
    assert [c["name"] for c in fake.cards(board_id)] == ["Bara en"]


def test_a_post_answered_500_without_a_marker_is_not_resent(fake: FakeTrello) -> None:
    api = api_for(fake)
    _, list_id = board_with_list(api)
    fake.fail_next(1, 500, method="POST")
    with pytest.raises(TrelloError) as caught:
        api.create_card({"idList": list_id, "name": "X"})
    assert caught.value.transient and caught.value.unknown
    assert api.session.retries == 0


def test_a_post_answered_500_is_looked_for_then_sent_again(fake: FakeTrello) -> None:
    api = api_for(fake)
    board_id, _ = board_with_list(api)
    fake.fail_next(2, 502, method="POST", path="/1/lists")
    made = api.create_list(board_id, "Pågår", known=set())
    names = [x["name"] for x in fake.store.lists.values()]
    assert names.count("Pågår") == 1 and made["name"] == "Pågår"
    reads = [e for e in fake.log if e.path.endswith("/lists") and e.method == "GET"]
    assert len(reads) == 2  # looked for after each unanswered POST


def test_a_post_whose_answer_is_lost_is_found_not_made_twice(fake: FakeTrello) -> None:
    api = api_for(fake)
    board_id, list_id = board_with_list(api)
    card = api.create_card(
        {
            "idList": list_id,
            "name": "K",
            "desc": "[tracker:footer]\n\n[tracker:assignment:7]",
        }
    )
    fake.drop_next(method="POST", path="/1/checklists")
    checklist = api.create_checklist(card["id"], "Milstolpar")
    fake.drop_next(method="POST", path="/1/checklists")
    item = api.add_check_item(checklist["id"], "Start", False, known=set())
    fake.drop_next(method="POST", path="/1/labels")
    label = api.create_label(board_id, "Grupp", "green", known=set())
    assert len(fake.check_items(card["id"])) == 1
    assert fake.check_items(card["id"])[0]["id"] == item["id"]
    named = [x for x in fake.store.labels.values() if x["name"] == "Grupp"]
    assert [x["id"] for x in named] == [label["id"]]


def test_retry_after_is_honoured_on_a_429(fake: FakeTrello) -> None:
    api = api_for(fake)
    board_id, _ = board_with_list(api)
    fake.rate_limit_next(1, retry_after=1)
    api.board(board_id)
    assert api.session.slept >= 1.0


def test_lasting_and_passing_errors_are_told_apart(fake: FakeTrello) -> None:
    api = api_for(fake, MAX_RETRIES=1)
    board_id, _ = board_with_list(api)
    fake.fail_next(2, 503)
    with pytest.raises(TrelloError) as passing:
        api.board(board_id)
    with pytest.raises(TrelloError) as gone:
        api.board("0" * 24)
    assert passing.value.transient and not gone.value.transient


def test_a_malformed_answer_is_a_lasting_error_not_a_crash(fake: FakeTrello) -> None:
    api = api_for(fake)
    board_id, _ = board_with_list(api)
    fake.garble_next(1, method="GET")
    with pytest.raises(TrelloError) as caught:
        api.board(board_id)
    assert not caught.value.transient


def test_requests_are_paced_by_the_rate_limit_headers() -> None:
    with FakeTrello(rate_limit=5, interval_ms=400) as fake:
        api = api_for(fake)
        board_id, _ = board_with_list(api)
        for _ in range(12):
            api.board(board_id)
        assert all(entry.status == 200 for entry in fake.log)
        assert fake.max_in_any_window(0.4) <= 5
        assert api.session.slept > 0


def test_never_more_than_100_requests_in_ten_seconds_even_if_configured(
    fake: FakeTrello,
) -> None:
    api = api_for(fake, RATE_LIMIT=1000)
    assert api.session.pacer.windows["local"].limit == 100


def test_missing_configuration_is_refused() -> None:
    with pytest.raises(TrelloError):
        make_api({"API_KEY": "", "TOKEN": "", "API_URL": "http://127.0.0.1:9/1"})


def test_sessions_on_one_token_share_the_pacing() -> None:
    with FakeTrello(rate_limit=4, interval_ms=300) as fake:
        first, second = api_for(fake), api_for(fake)
        board_id, _ = board_with_list(first)
        for _ in range(8):
            first.board(board_id)
            second.board(board_id)
        assert all(entry.status == 200 for entry in fake.log)
        assert fake.max_in_any_window(0.3) <= 4
