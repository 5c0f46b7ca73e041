"""The digest's reading aids: three summary sentences, lists per plan folded into
counts when long, and changes worded with what they count."""

from __future__ import annotations

from typing import Any

FOLD = 3  # a plan's list longer than this becomes a count with a link

KINDS = ("new", "started", "finished", "ended")
COUNTED = {  # singular, plural: "1 nytt uppdrag", "5 nya uppdrag"
    "new": ("nytt uppdrag", "nya uppdrag"),
    "started": ("uppdrag har startat", "uppdrag har startat"),
    "finished": ("uppdrag blev klart", "uppdrag blev klara"),
    "ended": ("uppdrag avslutades", "uppdrag avslutades"),
    "milestones": ("milstolpe nåddes", "milstolpar nåddes"),
}


def change_text(change: int, previous_month: str) -> str:
    """'2 fler klara uppdrag än i oktober': says what is counted and against what."""
    if change > 0:
        return f"{change} fler klara uppdrag än i {previous_month}"
    if change < 0:
        return f"{-change} färre klara uppdrag än i {previous_month}"
    return f"lika många klara uppdrag som i {previous_month}"


def folded(rows: list[dict[str, Any]], kind: str, plan_url: str) -> dict[str, Any]:
    """A plan's list: the rows when short, else only the count and a link."""
    singular, plural = COUNTED[kind]
    count = len(rows)
    fold = count > FOLD
    return {
        "rows": [] if fold else rows,
        "count": count,
        "folded": fold,
        "text": f"{count} {singular if count == 1 else plural}",
        "url": plan_url,
    }


def per_plan(
    rows: dict[str, list[dict[str, Any]]], plan_id: int, plan_url: str
) -> dict[str, Any]:
    """The plan's new, started, finished and ended assignments and milestones."""
    return {
        kind: folded([r for r in found if r["plan_id"] == plan_id], kind, plan_url)
        for kind, found in rows.items()
    }


def sentences(facts: dict[str, Any]) -> list[str]:
    """Three sentences: what moved, what finished, what opens next."""
    month = facts["month_label"]
    counts = {k: facts["assignments"][k]["count"] for k in KINDS}
    groups_started = facts["groups_started"]["count"]
    moved = _join(
        [
            _n(counts["started"], "uppdrag startade", "uppdrag startade"),
            _n(counts["new"], "nytt uppdrag tillkom", "nya uppdrag tillkom"),
            _n(groups_started, "arbetsgrupp kom igång", "arbetsgrupper kom igång"),
        ]
    )
    finished = _join(
        [
            _n(counts["finished"], "uppdrag blev klart", "uppdrag blev klara"),
            _n(facts["milestones"]["count"], "milstolpe nåddes", "milstolpar nåddes"),
            _n(counts["ended"], "uppdrag avslutades", "uppdrag avslutades"),
        ]
    )
    return [
        f"Under {month}: {moved}." if moved else f"Under {month} startade inget nytt.",
        f"{finished[:1].upper()}{finished[1:]}."
        if finished
        else "Inget blev klart den här månaden.",
        _next(facts),
    ]


def _next(facts: dict[str, Any]) -> str:
    calls = [c for c in facts["open_calls"] if c.get("open_now", True)]
    coming = facts["coming"]
    parts = [
        _n(
            len(calls),
            "arbetsgrupp tar emot anmälningar",
            "arbetsgrupper tar emot anmälningar",
        ),
        _n(coming["milestones"]["count"], "milstolpe", "milstolpar"),
        _n(
            coming["groups_starting"]["count"],
            "arbetsgrupp startar",
            "arbetsgrupper startar",
        ),
    ]
    text = _join(parts)
    label = facts["next_month_label"]
    return (
        f"Härnäst i {label}: {text}." if text else f"Inget är inplanerat i {label} än."
    )


def _n(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}" if count else ""


def _join(parts: list[str]) -> str:
    present = [p for p in parts if p]
    if len(present) <= 1:
        return "".join(present)
    return ", ".join(present[:-1]) + " och " + present[-1]
