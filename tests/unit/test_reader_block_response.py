"""A sympathetic block's response as its procedure note records it, on the block's event: the
limb's warming, the sensory exam showing no somatic block, touch tolerated, pain medicine
spared, relief for the duration of the anaesthetic (positive and negated forms)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reader_facts import documents_facts

_NOTE = (
    "PROCEDURE NOTE\nDate of procedure: 05/05/2026\n"
    "Procedure: LEFT lumbar sympathetic block, L3, fluoroscopic guidance with contrast. "
    "Bupivacaine 0.25% 12 mL. No steroid.\n{body}\n"
)


def _block(body: str) -> dict[str, Any]:
    found = documents_facts(
        ("Procedure note - lumbar sympathetic block", "2026-05-07", _NOTE.format(body=body)),
        (
            "Pain clinic follow-up",
            "2026-05-20",
            "HPI: CRPS I left foot.\nPlan: left lumbar "
            "sympathetic block #2, fluoroscopic guidance, bupivacaine.",
        ),
        code="64520",
    )
    [event] = [e for e in found.procedures.prior or [] if e.type == "sympathetic_block"]
    return event.model_dump(exclude_none=True)


@pytest.mark.parametrize(
    ("body", "field", "value"),
    [
        ("L great toe rose 4.5 C from baseline (27.4 -> 31.9).", "temperature_rise_c", 4.5),
        ("Temp: L great toe 28.9 -> 31.8 C at 30 min (rise 2.9 C).", "temperature_rise_c", 2.9),
        ("Peak rise L foot: toe +1.6 C, dorsum +1.5 C.", "temperature_rise_c", 1.6),
        # an asymmetry measured before the block is no rise
        ("IR temp dorsum L 28.6 C vs R 30.4 C (1.8 C) at baseline.", "temperature_rise_c", None),
        ("Post-block sensory exam (30 min): pinprick intact L2-S1 - no somatic block.",
         "somatic_spread_excluded", True),
        ("Post-block sensory exam not done.", "somatic_spread_excluded", None),
        ("Allodynia: tolerated cotton swab and a sock at 30 min.", "objective_improvement", True),
        ("Allodynia unchanged at 30 min.", "objective_improvement", None),
        ("Oxycodone use down to 2-3/day.", "medication_reduced", True),
        ("Hydrocodone fell from 4/day to 1/day.", "medication_reduced", True),
        ("Oxycodone 3-4/day, unchanged.", "medication_reduced", None),
        ("Pain 8 -> 1 for ~6 h, for the duration of the bupivacaine.",
         "relief_consistent_with_agent", True),
    ],
)  # fmt: skip
def test_a_blocks_response_in_its_note(body: str, field: str, value: object) -> None:
    assert _block(body).get(field) == value


def test_the_response_is_quoted_with_the_block() -> None:
    event = _block("L great toe rose 4.5 C from baseline (27.4 -> 31.9).")
    assert any("rose 4.5 C" in e["quote"] for e in event["evidence"])


def test_a_therapy_records_dates_are_not_the_blocks_relief() -> None:
    pt_note = "PT discharge summary.\nSOC: 06/15/2026  D/C: 07/27/2026  Visits: 12 (2x/wk x 6 wks)"
    found = documents_facts(
        ("Procedure note - lumbar sympathetic block", "2026-05-07", _NOTE.format(body="")),
        ("Physical therapy discharge summary", "2026-07-27", pt_note),
        ("Pain clinic follow-up", "2026-08-02", "HPI: CRPS I left foot.\nPlan: left lumbar "
         "sympathetic block #2, fluoroscopic guidance, bupivacaine."),
        code="64520",
    )  # fmt: skip
    [event] = [e for e in found.procedures.prior or [] if e.type == "sympathetic_block"]
    assert event.relief_duration_months is None


@pytest.mark.parametrize(
    ("follow_up", "rise"),
    [
        # the limbs' asymmetry on the CRPS exam at the follow-up is not the block's warming
        ("Reason: f/u after L lumbar sympathetic block 05/05/2026 | Budapest signs: vasomotor Y "
         "(1.4 C) | sudomotor Y", None),
        ("Reason: f/u after L lumbar sympathetic block 05/05/2026 | L foot 1.6 C cooler than R",
         None),
        # a rise said as such is the block's
        ("Reason: f/u after L lumbar sympathetic block 05/05/2026: skin temp up 2.5 C after it.",
         2.5),
    ],
)  # fmt: skip
def test_a_limb_asymmetry_is_no_blocks_rise(follow_up: str, rise: float | None) -> None:
    found = documents_facts(
        ("Procedure note - lumbar sympathetic block", "2026-05-07", _NOTE.format(body="")),
        ("Pain clinic follow-up", "2026-05-20", f"HPI: CRPS I left foot. {follow_up}\n"
         "Plan: left lumbar sympathetic block #2, fluoroscopic guidance, bupivacaine."),
        code="64520",
    )  # fmt: skip
    [event] = [e for e in found.procedures.prior or [] if e.type == "sympathetic_block"]
    assert event.temperature_rise_c == rise
