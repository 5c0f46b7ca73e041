"""A plan's board and its lists and labels: found, adopted or created, never twice."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync import snapshot
from sync.client import TrelloApi, TrelloError
from sync.context import PlanReport, SyncError
from sync.mapping import BoardMaps, marked_plan, plan_marker, recruiting
from tracker.models.assignments import Assignment
from tracker.models.groups import WorkingGroup
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.models.trello import TrelloBoard, TrelloLabel, TrelloList
from tracker.services.programme import stages

BoardsLoader = Callable[[], list[dict[str, Any]]]


def open_board(
    session: Session,
    api: TrelloApi,
    plan: ActionPlan,
    report: PlanReport,
    my_boards: BoardsLoader,
) -> tuple[TrelloBoard, snapshot.Board]:
    """The plan's board as read now (one request), created when it has none."""
    link = board_link(session, plan)
    if link is not None:
        board = read_board(api, link.board_id)
        if board.name != plan.title:  # the board is named after the plan
            api.update_board(board.id, {"name": plan.title})
            board.name = plan.title
            report.updated += 1
            report.note(_("Board renamed: %(name)s", name=plan.title))
        return link, board
    boards = my_boards()  # one request per run, shared by all unlinked plans
    for data in boards:
        if marked_plan(data.get("desc", "")) == plan.id:
            link = _link(session, plan, data["id"], data.get("url", ""))
            report.note(
                _("Board found again by its marker: %(name)s", name=data["name"])
            )
            return link, read_board(api, data["id"])
    if any(b["name"].casefold() == plan.title.casefold() for b in boards):
        raise SyncError(
            _(
                "A board named %(name)s already exists. Adopt it with "
                "'tracker sync trello link %(slug)s BOARD'.",
                name=plan.title,
                slug=plan.slug,
            )
        )
    desc = _("The assignments of this action plan, kept in step by the tracker.")
    data = api.create_board(plan.title, f"{desc}\n\n{plan_marker(plan.id)}")
    report.created += 1
    report.note(_("Board created: %(name)s", name=plan.title))
    link = _link(session, plan, data["id"], data.get("url", ""))
    return link, snapshot.Board(data["id"], plan.title, data.get("url", ""), False)


def board_link(session: Session, plan: ActionPlan) -> TrelloBoard | None:
    """The plan's board link, if it has one."""
    return session.scalars(
        select(TrelloBoard).where(TrelloBoard.plan_id == plan.id)
    ).one_or_none()


def read_board(api: TrelloApi, board_id: str) -> snapshot.Board:
    """One request; a board that is gone or archived stops the sync of this plan."""
    try:
        board = api.board(board_id)
    except TrelloError as error:
        if error.status == 404:
            raise SyncError(_("The Trello board no longer exists.")) from error
        raise
    if board.closed:
        raise SyncError(_("The Trello board is archived."))
    return board


def ensure_lists(
    session: Session,
    api: TrelloApi,
    link: TrelloBoard,
    board: snapshot.Board,
    settings: Mapping[str, Any],
    report: PlanReport,
) -> dict[int, str]:
    """A list per stage: kept, adopted by name, reopened, renamed or created."""
    rows = {row.stage_id: row for row in link.lists}
    used = {row.list_id for row in link.lists if row.list_id in board.lists}
    result = {}
    for stage in stages.list_stages(session):
        name = settings.get("LIST_NAMES", {}).get(stage.name, stage.name)
        row = rows.get(stage.id)
        found = board.lists.get(row.list_id) if row else None
        if found is None:
            found = _adopt_or_create_list(api, board, name, used, report)
            if row is None:
                link.lists.append(TrelloList(stage_id=stage.id, list_id=found.id))
            else:
                row.list_id = found.id
        fields: dict[str, Any] = {}
        if found.name != name:
            fields["name"] = name
        if found.closed:
            fields["closed"] = False
        if fields:
            api.update_list(found.id, fields)
            report.updated += 1
            report.note(_("List updated: %(name)s", name=name))
        used.add(found.id)
        result[stage.id] = found.id
    return result


def _adopt_or_create_list(
    api: TrelloApi,
    board: snapshot.Board,
    name: str,
    used: set[str],
    report: PlanReport,
) -> snapshot.TrelloList:
    for candidate in board.lists.values():
        if candidate.id not in used and candidate.name.casefold() == name.casefold():
            return candidate
    data = api.create_list(board.id, name, set(board.lists))
    found = snapshot.TrelloList(data["id"], name, False)
    board.lists[found.id] = found
    report.created += 1
    report.note(_("List created: %(name)s", name=name))
    return found


def ensure_labels(
    api: TrelloApi,
    link: TrelloBoard,
    board: snapshot.Board,
    assignments: Sequence[Assignment],
    settings: Mapping[str, Any],
    report: PlanReport,
) -> tuple[dict[int, str], str | None]:
    """A label per working group of the plan, and the open-call label when needed."""
    groups: dict[int, WorkingGroup] = {}
    for assignment in assignments:
        groups.update({group.id: group for group in assignment.groups})
    rows = {row.group_id: row for row in link.labels}
    by_group = {}
    for group_id, row in rows.items():
        if group_id is not None and row.label_id in board.labels:
            by_group[group_id] = row.label_id  # still managed, even if no longer used
    color = settings["GROUP_LABEL_COLOR"]
    for group in sorted(groups.values(), key=lambda g: g.name):
        by_group[group.id] = _ensure_label(
            api, link, board, rows.get(group.id), group.id, group.name, color, report
        )
    open_call = rows.get(None)
    wanted = any(recruiting(a) for a in assignments if not a.is_closed)
    if not wanted and (open_call is None or open_call.label_id not in board.labels):
        return by_group, None
    name, color = settings["OPEN_CALL_LABEL"], settings["OPEN_CALL_LABEL_COLOR"]
    label_id = _ensure_label(api, link, board, open_call, None, name, color, report)
    return by_group, label_id


def _ensure_label(
    api: TrelloApi,
    link: TrelloBoard,
    board: snapshot.Board,
    row: TrelloLabel | None,
    group_id: int | None,
    name: str,
    color: str,
    report: PlanReport,
) -> str:
    found = board.labels.get(row.label_id) if row else None
    if found is None:
        found = next(
            (
                lb
                for lb in board.labels.values()
                if lb.name.casefold() == name.casefold()
            ),
            None,
        )
        if found is None:
            data = api.create_label(board.id, name, color, set(board.labels))
            found = snapshot.Label(data["id"], name, color)
            board.labels[found.id] = found
            report.created += 1
            report.note(_("Label created: %(name)s", name=name))
        if row is None:
            link.labels.append(TrelloLabel(group_id=group_id, label_id=found.id))
        else:
            row.label_id = found.id
    elif found.name != name:
        api.update_label(found.id, name)
        found.name = name
        report.updated += 1
        report.note(_("Label renamed: %(name)s", name=name))
    return found.id


def board_maps(
    session: Session,
    board: snapshot.Board,
    lists: dict[int, str],
    labels: tuple[dict[int, str], str | None],
    public_url: str,
) -> BoardMaps:
    """The ids the mapping needs; members only those the tracker knows by username."""
    usernames = session.scalars(
        select(Person.trello_username).where(Person.trello_username.is_not(None))
    )
    known = {name.lower() for name in usernames if name}
    managed = frozenset(i for u, i in board.members.items() if u in known)
    return BoardMaps(
        list_by_stage=lists,
        label_by_group=labels[0],
        open_call_label=labels[1],
        member_by_username=board.members,
        managed_members=managed,
        public_url=public_url,
    )


def _link(session: Session, plan: ActionPlan, board_id: str, url: str) -> TrelloBoard:
    link = TrelloBoard(plan_id=plan.id, board_id=board_id, url=url)
    session.add(link)
    session.flush()
    return link
