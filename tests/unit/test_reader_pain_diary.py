"""A procedure note's post-block pain diary (drafting.extraction.rules.pain_diary): its rows in the
ways offices write them, the peak relief and the hours relief of at least half lasted, nothing
from a diary that is not plain, and on the block's event only what no note stated."""

from __future__ import annotations

from typing import Any

import pytest

from drafting.extraction.rules.pain_diary import read_diary
from tests.reader_facts import documents_facts

_TABLE = """POST-BLOCK PAIN DIARY
| Time | Pain (0-10) | Activity |
| Pre | 8 | standing |
| 30 min | 1 | walking |
| 1 hr | 0 | |
| 3 hr | 2 | shopping |
| 6 hr | 3 | |
| 8 hr | 7 | back to usual |
"""
_SPACED = """Pain diary:
   Before   7
   15 min   1
   1 h      1
   2 h      2
   3 h      5
   Bedtime  7
"""
_INLINE = "PAIN DIARY\nPre 8/10 | 20 min 1/10 | 1 h 0/10 | 2 h 0/10 | 6 h 4/10 | 8 h 7/10\n"
_CLOCK = """PATIENT PAIN DIARY
| Clock | After block | Pain | Doing |
| 09:55 | pre | 9 | waiting |
| 10:15 | 20 min | 1 | turning head |
| 12:00 | 2 h | 1 | work |
| 15:30 | 5.5 h | 2 | end of shift |
| 17:00 | 7 h | 6 | |
"""


@pytest.mark.parametrize(
    ("text", "baseline", "peak", "hours"),
    [
        (_TABLE, 8, 100.0, 6.0),
        (_SPACED, 7, 85.7, 2.0),
        (_INLINE, 8, 100.0, 6.0),
        (_CLOCK, 9, 88.9, 5.5),
        # no baseline row: the note's own pre-procedure pain
        ("Pre-procedure pain: 6/10 standing.\n" + _TABLE.replace("| Pre | 8 | standing |\n", ""),
         6, 100.0, 6.0),
    ],
)  # fmt: skip
def test_a_diary_read_in_the_ways_offices_write_it(
    text: str, baseline: float, peak: float, hours: float
) -> None:
    reading = read_diary(text)
    assert reading is not None
    assert (reading.baseline, reading.peak_relief, reading.relief_hours) == (baseline, peak, hours)
    assert "min" in text[reading.start : reading.end]  # the rows, quoted from the first


@pytest.mark.parametrize(
    "text",
    [
        _TABLE.replace("| Pre | 8 | standing |\n", ""),  # no pain before the block anywhere
        "Pain diary:\n Pre 7\n 30 min 1\n 1 h 2\n",  # two timed rows only
        "Pain diary:\n Pre 7\n 2 h 1\n 30 min 1\n 4 h 6\n",  # times out of order
        _TABLE + "\nBLOCK #2 DIARY\n" + _SPACED,  # two diaries in one note: which is whose
        "Lidocaine 2% 0.5 mL at 6 sites.\nPre-procedure pain: 7/10.\n",  # no diary at all
    ],
)
def test_a_diary_that_is_not_plain_gives_nothing(text: str) -> None:
    assert read_diary(text) is None


@pytest.mark.parametrize(
    ("rows", "hours"),
    [
        ("| Pre | 8 |\n| 30 min | 1 |\n| 2 h | 1 |\n| 4 h | 2 |\n", None),  # not worn off yet
        ("| Pre | 8 |\n| 30 min | 6 |\n| 2 h | 5 |\n| 4 h | 7 |\n", None),  # never half
        ("| Pre | 8 |\n| 30 min | 4 |\n| 2 h | 4 |\n| 4 h | 5 |\n", 2.0),  # exactly half counts
    ],
)
def test_how_long_relief_of_at_least_half_lasted(rows: str, hours: float | None) -> None:
    reading = read_diary("PAIN DIARY\n| Time | Pain |\n" + rows)
    assert reading is not None
    assert reading.relief_hours == hours


_NOTE = (
    "PROCEDURE NOTE\nDate of procedure: 07/22/2026\n"
    "Procedure: diagnostic medial branch blocks, right L4-5 and L5-S1 (right L3, L4 medial "
    "branches and L5 dorsal ramus), fluoroscopic guidance.\n"
    "Local: skin wheal with lidocaine 1%. {agent} 0.5 mL per nerve. {steroid}\n"
    "Pre-procedure pain: 7/10.\n\n{diary}\n"
)
_DIARY = "PAIN DIARY\n| Time | Pain |\n| 30 min | {low} |\n| 1 h | 1 |\n| 3 h | 2 |\n| 5 h | 6 |\n"


def _block(agent: str = "Bupivacaine 0.5%", steroid: str = "No steroid.", low: int = 0,
           follow_up: str = "") -> dict[str, Any]:  # fmt: skip
    note = _NOTE.format(agent=agent, steroid=steroid, diary=_DIARY.format(low=low))
    found = documents_facts(
        ("Procedure note - MBB", "2026-07-22", note),
        ("Pain clinic follow-up", "2026-08-05",
         f"HPI: axial right low back pain. {follow_up}\nPlan: right L4-5, L5-S1 RF neurotomy."),
        code="64635",
    )  # fmt: skip
    [event] = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    return event.model_dump(exclude_none=True)


def test_the_diary_gives_the_blocks_relief_and_its_fit_with_the_agent() -> None:
    event = _block()
    assert event["relief_percent"] == 100.0
    assert event["relief_duration_months"] == round(3 / 730.56, 4)
    assert event["relief_consistent_with_agent"] is True  # 3 h of bupivacaine (2-12 h)
    assert any(e["quote"].startswith("| 30 min | 0 |") for e in event["evidence"])


def test_the_agent_at_the_target_judges_the_diary_hours() -> None:
    # the skin's lidocaine is not the block's agent: 3 h of lidocaine 2% at the target fits
    # (0.25-4 h); with two agents at the target the hours cannot be judged
    assert _block(agent="Lidocaine 2%")["relief_consistent_with_agent"] is True
    mixed = _block(agent="Lidocaine 2% and bupivacaine 0.5%")
    assert mixed.get("relief_consistent_with_agent") is None


def test_a_stated_figure_outranks_the_diarys() -> None:
    event = _block(low=3, follow_up="MBB 07/22/2026: 90% relief.")
    assert event["relief_percent"] == 90.0


def test_a_steroid_block_takes_nothing_from_a_diary() -> None:
    event = _block(steroid="Dexamethasone 4 mg added.")
    assert event.get("relief_percent") is None
    assert event.get("relief_consistent_with_agent") is None


def test_diary_hours_outside_the_agents_range_do_not_fit_it() -> None:
    # lidocaine lasts up to 4 h: relief of at least half for 6 h is not its relief
    note = _NOTE.format(
        agent="Lidocaine 2%",
        steroid="No steroid.",
        diary="PAIN DIARY\n| Pre | 7 |\n| 30 min | 1 |\n| 6 h | 2 |\n| 8 h | 6 |\n",
    )
    found = documents_facts(("Procedure note - MBB", "2026-07-22", note), code="64635")
    [event] = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert event.relief_consistent_with_agent is False
