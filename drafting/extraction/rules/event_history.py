"""The procedure history read from every document, made one: what several mentions of the same
procedure, an undated summary, a year's count and a form's bare row say, merged into the events
the criteria read (`events` collects them, this module merges them).

A procedure dated by its month alone is the one procedure of its kind dated on a day of that
month; an undated summary of a procedure fills the gaps of the one dated procedure of its kind; an
undated mention of a kind the record also dates is dropped; a procedure dated by its year alone
("3rd lumbar ESI of 2026") when procedures of its kind are dated on days of that year is one of
them; a procedure its mentions give different sides has no known side; an event with no side
takes the one side its kind's other events name, and a diagnostic block named without levels
takes its series' levels. The result is in date order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

# working key: the event is dated by its month alone ("after successful RFA 02/2025")
MONTH_ONLY = "_month_only"
# working key: the sides the record tells of one procedure ("s/p L L4-5/L5-S1 RFA" in one note,
# "s/p R L4-5/L5-S1 RFA 04/09/2024" in another): told as left and as right, its side is not known
SIDES_TOLD = "_sides_told"


def told_apart(kept: dict[str, Any], twin: dict[str, Any]) -> None:
    """Record the one-sided sides two mentions of one procedure give it (a bilateral procedure
    and its left half are not told apart)."""
    told = (e.get("side") for e in (kept, twin))
    kept[SIDES_TOLD] = {*kept.get(SIDES_TOLD, ()), *(s for s in told if s in ("left", "right"))}


def _side_if_one(events: list[dict[str, Any]]) -> set[int]:
    """A procedure whose mentions give it different sides has no known side (the ids of those)."""
    unknown: set[int] = set()
    for event in events:
        if len(event.pop(SIDES_TOLD, ())) > 1:
            event["side"] = None
            unknown.add(id(event))
    return unknown


def merged_history(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The collected events merged into one history, in date order."""
    events = _fold_month_only(events)
    _fold_undated(events)
    dated_types = {e["type"] for e in events if e.get("date")}
    kept = [e for e in events if e.get("date") or e["type"] not in dated_types]
    kept = _drop_year_only_repeats(kept)
    _share_sides(kept, _side_if_one(kept))
    _share_block_levels(kept)
    kept.sort(key=lambda e: e.get("date") or date.min)
    return kept


def _fold_month_only(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A procedure dated by its month alone ("recurrent after successful RFA 02/2025") when the
    record dates exactly one procedure of its kind on a day of that month (the 02/11/2025 note):
    the same procedure; what it says fills that event's gaps."""
    kept = []
    for event in events:
        when = event.get("date")
        month = (when.year, when.month) if when else None
        same_month = [
            e for e in events
            if e is not event and e["type"] == event["type"] and e.get("date")
            and (e["date"].year, e["date"].month) == month
        ] if event.get(MONTH_ONLY) else []  # fmt: skip
        if len(same_month) != 1 or same_month[0].get(MONTH_ONLY):  # one of each, or none folds
            kept.append(event)
            continue
        told_apart(same_month[0], event)
        for key, value in event.items():
            if key not in ("evidence", "date", MONTH_ONLY, SIDES_TOLD) and value is not None:
                same_month[0].setdefault(key, value)
                if same_month[0][key] is None:
                    same_month[0][key] = value
    return kept


def _fold_undated(events: list[dict[str, Any]]) -> None:
    """An undated summary of a procedure ("Prior TFESI: ~75% relief ... (more than 3 months)")
    when the record dates exactly one of that kind: what it says fills that event's gaps."""
    for undated in [e for e in events if not e.get("date")]:
        dated = [e for e in events if e.get("date") and e["type"] == undated["type"]]
        if len(dated) != 1:
            continue
        for key, value in undated.items():
            if key != "evidence" and value is not None and dated[0].get(key) is None:
                dated[0][key] = value


def _drop_year_only_repeats(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A procedure dated by its year alone ("3rd lumbar ESI of 2026", stored as 1 January) when
    the record dates procedures of that kind on days of that year: it names one of them, it is
    no further procedure."""

    def year_only(event: dict[str, Any]) -> bool:
        when = event.get("date")
        return when is not None and (when.month, when.day) == (1, 1)

    kept = []
    for event in events:
        same_year = [
            e for e in events
            if e is not event and e["type"] == event["type"] and e.get("date")
            and not year_only(e) and e["date"].year == event["date"].year
        ] if year_only(event) else []  # fmt: skip
        if not same_year:
            kept.append(event)
    return kept


def _share_sides(events: list[dict[str, Any]], unknown: set[int]) -> None:
    """An event of a type whose other events all name one side takes that side (not one whose
    own mentions disagree on it)."""
    for event in events:
        if event.get("side") is None and id(event) not in unknown:
            sides = {e["side"] for e in events if e["type"] == event["type"] and e.get("side")}
            if len(sides) == 1:
                event["side"] = sides.pop()


def _share_block_levels(events: list[dict[str, Any]]) -> None:
    """A diagnostic medial branch block named without levels ("MBB #1 >= 80% relief" on a form)
    takes the levels of its series: the one level set every other block within 6 months names."""
    blocks = [e for e in events if e["type"] == "mbb"]
    for event in blocks:
        if event.get("levels") or event.get("date") is None:
            continue
        sets = {
            tuple(e["levels"]) for e in blocks
            if e.get("levels") and e.get("date") and abs((e["date"] - event["date"]).days) <= 183
        }  # fmt: skip
        if len(sets) == 1:
            event["levels"] = list(sets.pop())
            event.setdefault("region", next(e.get("region") for e in blocks if e.get("levels")))
