"""A diagnostic block's relief against its anesthetic: how long the relief lasted when the note
spells the hours out or hedges them ("lasting about six hours"), what the note says of the fit
("concordant with bupivacaine", "not consistent with the lidocaine"), the computed fit at the
edge of an agent's range, and a result told of "both blocks" reaching the blocks only."""

from __future__ import annotations

from typing import Any

import pytest

from criteria.facts import CaseFacts
from tests.reader_facts import documents_facts

_BLOCK = (
    "PROCEDURE NOTE\nDate of procedure: {day}\n"
    "Procedure: diagnostic medial branch blocks, right L4-5 and L5-S1 (right L3, L4 medial "
    "branches and L5 dorsal ramus), fluoroscopic guidance. Agent: {agent}. No steroid.\n{body}\n"
)
_PLAN = (
    "Pain clinic follow-up",
    "2026-08-20",
    "HPI: axial right low back pain, no radiation.\n{body}\n"
    "Plan: right L4-5 and L5-S1 radiofrequency neurotomy, fluoroscopic guidance.",
)


def _mbbs(
    first: str, second: str = "Peak relief 90%.", follow_up: str = ""
) -> list[dict[str, Any]]:
    found = documents_facts(
        ("Procedure note - MBB #1", "2026-07-01",
         _BLOCK.format(day="07/01/2026", agent="lidocaine 2%", body=first)),
        ("Procedure note - MBB #2", "2026-07-22",
         _BLOCK.format(day="07/22/2026", agent="bupivacaine 0.5%", body=second)),
        (_PLAN[0], _PLAN[1], _PLAN[2].format(body=follow_up)),
        code="64635",
    )  # fmt: skip
    events = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    return [e.model_dump(exclude_none=True) for e in sorted(events, key=lambda e: e.date)]


@pytest.mark.parametrize(
    ("body", "months"),
    [
        ("Peak relief 86% (seven to one), lasting about six hours.", round(6 / 730.56, 4)),
        ("Peak relief 90%, lasting approximately two hours.", round(2 / 730.56, 4)),
        ("Peak relief 90% for nearly 3 hrs.", round(3 / 730.56, 4)),
        # hours that are not how long relief lasted
        ("Peak relief 90%. Diary kept for six hours.", None),
        ("Peak relief 90%. Pain back two hours later than usual at work.", None),
    ],
)  # fmt: skip
def test_how_long_a_blocks_relief_lasted_in_hours(body: str, months: float | None) -> None:
    [_, second] = _mbbs("Peak relief 90% x 2 h.", body)
    assert second.get("relief_duration_months") == months


@pytest.mark.parametrize(
    ("body", "fit"),
    [
        ("Peak relief 86%, concordant with bupivacaine.", True),
        ("Peak relief 86%, in keeping with the local anesthetic.", True),
        ("Peak relief 86%, consistent with the agent.", True),
        ("Peak relief 86%, not consistent with bupivacaine.", False),
        ("Peak relief 86%, which is discordant with the agent used.", False),
        ("Peak relief 86%, inconsistent with the anesthetic.", False),
        # the agent named by how long it acts
        ("Peak relief 86%; duration concordant w/ long-acting local anesthetic.", True),
        ("Peak relief 86%, consistent with a long acting anesthetic.", True),
        ("Peak relief 86%, not consistent with a long-acting local anesthetic.", False),
        ("Peak relief 86%, short-acting relief only.", None),
        ("Peak relief 86%.", None),
        # "concordant" of the exam is no fit with the agent
        ("Peak relief 86%. Extension-rotation concordant on exam.", None),
    ],
)  # fmt: skip
def test_what_the_note_says_of_the_fit_with_the_agent(body: str, fit: bool | None) -> None:
    [_, second] = _mbbs("Peak relief 90%.", body)
    assert second.get("relief_consistent_with_agent") is fit


def _listed(second: str) -> dict[str, Any]:
    """Blocks listed in a consult, each line with its agent and its relief."""
    listing = (
        "Diagnostic blocks, right L4-5 (right L3, L4 MB), anesthetic only:\n"
        "  MBB #1 07/01/2026 (lidocaine): 90% relief x 1.5 hrs.\n"
        f"  MBB #2 07/22/2026 (bupivacaine): {second}\n"
    )
    found = documents_facts((_PLAN[0], _PLAN[1], _PLAN[2].format(body=listing)), code="64635")
    events = sorted(
        (e for e in found.procedures.prior or [] if e.type == "mbb"), key=lambda e: e.date
    )
    return events[1].model_dump(exclude_none=True)


def test_relief_at_the_edge_of_the_agents_range_fits_it() -> None:
    # bupivacaine relief of 2 to 12 hours: "about 2 hours" is kept as 0.0027 months (1.97 h)
    second = _listed("80% relief lasting about 2 hours.")
    assert second["relief_duration_months"] == 0.0027
    assert second["relief_consistent_with_agent"] is True


def test_relief_outside_the_agents_range_does_not_fit_it() -> None:
    second = _listed("80% relief lasting about 1 hour.")
    assert second["relief_consistent_with_agent"] is False


def _two_blocks_then(follow_up: str) -> CaseFacts:
    """Two procedure notes of medial branch blocks, then a follow-up note telling `follow_up`."""
    return documents_facts(
        ("Procedure note - MBB #1", "2026-07-01",
         _BLOCK.format(day="07/01/2026", agent="lidocaine 2%", body="Peak relief 90%.")),
        ("Procedure note - MBB #2", "2026-07-22",
         _BLOCK.format(day="07/22/2026", agent="bupivacaine 0.5%", body="Peak relief 88%.")),
        (_PLAN[0], _PLAN[1], _PLAN[2].format(body=follow_up)),
        code="64635",
    )  # fmt: skip


def test_a_result_told_of_both_blocks_reaches_both_blocks_only() -> None:
    follow_up = (
        "Prior L5-S1 interlaminar ESI 01/15/2026 gave 0% relief. "
        "Both blocks concordant with the agent used."
    )
    found = _two_blocks_then(follow_up)
    events = {e.type: e for e in found.procedures.prior or [] if e.type != "mbb"}
    blocks = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert [e.relief_consistent_with_agent for e in blocks] == [True, True]
    assert events["esi"].relief_consistent_with_agent is None
    assert events["esi"].relief_percent == 0


@pytest.mark.parametrize(
    ("heading", "dates"),
    [
        # the follow-up's own date on its heading is the visit's, not the block's
        ("FOLLOW-UP (post diagnostic MBB #1)  -  08/20/2026", ["2026-07-01", "2026-07-22"]),
        ("Visit after the medial branch block 08/20/2026", ["2026-07-01", "2026-07-22"]),
        # a block done on the day of the note is dated by it
        ("Medial branch block 08/20/2026 at the ASC, relief 90%.",
         ["2026-07-01", "2026-07-22", "2026-08-20"]),
    ],
)  # fmt: skip
def test_a_follow_ups_own_date_does_not_date_the_block_it_follows(
    heading: str, dates: list[str]
) -> None:
    found = _two_blocks_then(heading)
    blocks = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert sorted(str(e.date) for e in blocks) == dates


@pytest.mark.parametrize(
    ("said", "gain"),
    [
        ("Since the injection she is able to walk 2 miles.", True),
        ("After the TFESI she got back to her water aerobics class.", True),
        ("Post-injection he returned to full duty at work.", True),
        # an ability that is no gain, or a gain denied
        ("After the TFESI she is not able to walk more than a block.", None),
        ("Since the injection she is still not back to yoga.", None),
        ("Since the TFESI he hasn't returned to work.", None),
        ("We are able to assign this utilizing the rating guide.", None),
        ("The patient was alert and able to report pain throughout.", None),
    ],
)  # fmt: skip
def test_a_gain_in_function_after_a_procedure(said: str, gain: bool | None) -> None:
    found = documents_facts(
        ("Procedure note - TFESI", "2026-05-19",
         "PROCEDURE NOTE\nDate of procedure: 05/19/2026\nProcedure: left L5-S1 transforaminal "
         "epidural steroid injection, fluoroscopic guidance. Dexamethasone 10 mg.\n"),
        ("Follow-up", "2026-06-30", f"HPI: left L5 radicular pain.\n{said}\nPlan: follow up."),
        code="64483",
    )  # fmt: skip
    [event] = [e for e in found.procedures.prior or [] if e.type == "esi"]
    assert event.functional_improvement is gain


_NOTE_AGENT_APART = (
    "PROCEDURE NOTE\nDate of service: 07/01/2026\n"
    "Procedure: diagnostic medial branch blocks, right L4-5 and L5-S1, fluoroscopic guidance.\n"
    "Technique: needles to the L4 and L5 SAP-TP junctions. {agent} 0.5 mL at each target.\n"
    "Post: 1/10 at 15 min.\n"
)


@pytest.mark.parametrize(
    ("agent", "hours", "fit"),
    [
        ("Lidocaine 2%", 2, True),  # in lidocaine's range (15 min to 4 h)
        ("Bupivacaine 0.5%", 6, True),  # in bupivacaine's (2 to 12 h)
        ("Lidocaine 2%", 9, False),  # far past lidocaine's
        ("Contrast", 2, None),  # no anesthetic named: no fit to judge
    ],
)
def test_an_anesthetic_named_apart_from_the_procedure_line_judges_a_length_told_later(
    agent: str, hours: int, fit: bool | None
) -> None:
    found = documents_facts(
        ("Procedure note - MBB #1", "2026-07-01", _NOTE_AGENT_APART.format(agent=agent)),
        ("Nurse call", "2026-07-02", f"Phone f/u after MBB 07/01: 90% relief, lasted {hours} hrs."),
        code="64493",
    )
    blocks = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert len(blocks) == 1 and blocks[0].relief_duration_months == round(hours / 730.56, 4)
    assert blocks[0].relief_consistent_with_agent is fit


@pytest.mark.parametrize(
    ("reference", "dates"),
    [
        # an earlier block named inside the note's own procedure line keeps its own date
        (
            "diagnostic #2 (first block 07/01/26 at an outside IR suite)",
            ["2026-07-01", "2026-07-22"],
        ),
        ("confirmatory block (prior MBB 07/01/2026, 90%)", ["2026-07-01", "2026-07-22"]),
    ],
)
def test_the_procedure_line_of_a_second_block_dates_it_by_its_service(
    reference: str, dates: list[str]
) -> None:
    found = documents_facts(
        ("Procedure note - MBB #1", "2026-07-01", _BLOCK.format(
            day="07/01/2026", agent="lidocaine 2%", body="Peak relief 90%.")),
        ("Procedure note - MBB #2", "2026-07-22",
         "PROCEDURE NOTE\nDate of service: 07/22/2026\nProcedure: right L4-5 and L5-S1 medial "
         f"branch blocks, {reference}. Lidocaine 2% 0.5 mL per target; no steroid.\n"),
        code="64635",
    )  # fmt: skip
    blocks = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert sorted(str(e.date) for e in blocks) == dates
