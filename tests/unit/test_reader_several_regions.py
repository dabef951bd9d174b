"""Records that tell of more than one region, side or service, and follow-ups told in calls,
portal messages and logs (in words of our own): a result goes to the procedure of the region it
names, a form's field to its own service block, a score of the other side or a duration of
another region is not the request's; a recurrence month ends the relief, "(2 wk)" is a time
point; each with a form that must not be read so."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reader_facts import documents_facts, facts, value


def _events(*documents: tuple[str, str, str], code: str = "62321") -> dict[str, dict[str, object]]:
    found = documents_facts(*documents, code=code).procedures.prior or []
    return {
        f"{e.region}": e.model_dump(include={"relief_percent", "relief_duration_months"})
        for e in found
    }


_TWO_REGIONS = (
    "Office visit",
    "2026-06-20",
    "Interval: C5-6 ILESI on 02/10/2026. R L4-5 TFESI on 05/12/2026.\n"
    "NECK/ARM: about 80 percent better, back to full shifts.\n"
    "BACK/LEG: can't say yet, no real change so far.",
)


def test_a_result_goes_to_the_procedure_of_the_region_it_names() -> None:
    events = _events(_TWO_REGIONS)
    assert events["cervical"]["relief_percent"] == 80.0
    assert events["lumbar"]["relief_percent"] != 80.0


def test_a_result_naming_no_region_goes_to_the_latest_procedure() -> None:
    note = (
        _TWO_REGIONS[0],
        _TWO_REGIONS[1],
        _TWO_REGIONS[2].split("\n")[0] + "\nAbout 80% better.",
    )
    assert _events(note)["lumbar"]["relief_percent"] == 80.0


_FORM = (
    "Prior authorization request",
    "2026-06-01",
    "PRIOR AUTHORIZATION REQUEST\n"
    "SERVICE 1\nCPT 27096 - SI joint injection w/ image guidance  Side: [x] Right\n"
    "Injectate: [x] Steroid + local anesthetic  [ ] Local anesthetic only\n\n"
    "SERVICE 2\nCPT 64493 - Paravertebral facet (MBB)  Levels: L4-L5\n"
    "Injectate: [x] Local anesthetic only  [ ] Steroid\n",
)


def test_a_forms_field_belongs_to_its_own_service_block() -> None:
    found = documents_facts(
        ("Office visit", "2026-05-28", "Plan: right SI joint injection under fluoroscopy."),
        _FORM,
        code="27096",
    )
    assert "steroid" in (value(found, "planned.injectate") or [])


def test_a_form_with_one_service_keeps_its_fields() -> None:
    one = (
        _FORM[0],
        _FORM[1],
        _FORM[2]
        .split("\n\nSERVICE 2")[0]
        .replace("[x] Steroid + local anesthetic", "[ ] Steroid + local anesthetic")
        .replace("[ ] Local anesthetic only", "[x] Local anesthetic only"),
    )
    found = documents_facts(
        ("Office visit", "2026-05-28", "Plan: right SI joint injection under fluoroscopy."),
        one,
        code="27096",
    )
    assert value(found, "planned.injectate") == ["anesthetic"]


@pytest.mark.parametrize(
    ("note", "score"),
    [
        ("HPI: L low back ache 7/10. R side low back is 1-2/10 now, not bothering him.", 7.0),
        ("HPI: low back ache, now 2/10 on the left, 7/10 before.", 2.0),
    ],
)
def test_a_score_of_the_side_not_requested_is_not_todays(note: str, score: float) -> None:
    assert value(facts(note), "pain.score") == score  # the request is left-sided


@pytest.mark.parametrize(
    ("note", "months"),
    [
        ("HPI: low back pain for 8 months. Also R hand numbness since 4 weeks ago.", 8.0),
        ("HPI: low back pain. The right RFA gave maybe 30% for 2 months.", None),
        ("HPI: low back pain for 2 months.", 2.0),
    ],
)
def test_a_duration_of_another_region_or_a_relief_is_not_the_pains(
    note: str, months: float | None
) -> None:
    assert value(facts(note), "symptoms.duration_months") == months  # a lumbar request


def _relief_months(follow_up: str) -> float | None:
    found = documents_facts(
        ("Procedure note", "2026-02-10", "PROCEDURE: Left L5-S1 transforaminal epidural steroid "
         "injection under fluoroscopy."),
        ("Office visit", "2026-07-20", follow_up),
        code="64483",
    )  # fmt: skip
    events = [e for e in found.procedures.prior or [] if e.type == "esi"]
    return events[0].relief_duration_months if events else None


def test_relief_ends_when_the_pain_came_back() -> None:
    months = _relief_months(
        "After the 02/10 injection she was about 70% better and walking again; the leg pain "
        "started coming back around the middle of June."
    )
    assert months is not None and 4.0 <= months <= 4.5


def test_a_hope_of_when_it_comes_back_is_no_length() -> None:
    months = _relief_months(
        "After the 02/10 injection she was about 70% better; we hope it will not come back in "
        "June like last year."
    )
    assert months is None or months < 3


def test_a_log_rows_weeks_in_brackets_are_a_time_point() -> None:
    months = _relief_months("Response to 02/10/26 TFESI:\n - 02/24/26 (2 wk) call: ~50% better")
    assert months is None


@pytest.mark.parametrize(
    ("note", "plan"),
    [
        ("Plan: 1. L L5-S1 TFESI. 2. C6-7 ILESI on a separate DOS, two weeks later.", []),
        ("Plan: 1. L L5-S1 TFESI. 2. C6-7 ILESI the same day.", None),
    ],
)
def test_another_date_of_service_is_another_session(note: str, plan: list[str] | None) -> None:
    assert value(facts(note, code="64483"), "planned.same_session_procedures") == plan


@pytest.mark.parametrize(
    ("line", "taken"),
    [
        ("Old lists show apixaban - it is no longer taking it, per med rec today.", False),
        ("Med rec today: apixaban 5 mg BID, still taking it.", True),
    ],
)
def test_a_medicine_said_not_current_is_not_taken(line: str, taken: bool) -> None:
    note = f"HPI: leg pain. {line}"
    assert (value(facts(note, code="62323"), "contra.anticoagulant") is True) is taken


@pytest.mark.parametrize(
    ("sentence", "improved"),
    [
        ("After the block he was back to full routes and swimming.", True),
        ("After the block he had to cut back to local routes.", None),
    ],
)
def test_a_job_resumed_is_functional_gain(sentence: str, improved: bool | None) -> None:
    event = _after_procedure(
        ("2026-02-10", "Left L5-S1 transforaminal epidural steroid injection under fluoroscopy."),
        ("2026-03-20", f"After the 02/10/2026 TFESI: 70% better. {sentence}"),
        "esi",
    )
    assert event.functional_improvement is improved


def _after_procedure(done: tuple[str, str], visit: tuple[str, str], kind: str) -> Any:
    """The `kind` event a procedure note (date, procedure) and a later visit (date, text) give."""
    found = documents_facts(
        ("Procedure note", done[0], f"PROCEDURE: {done[1]}"),
        ("Office visit", visit[0], visit[1]),
        code="64483" if kind == "esi" else "64635",
    )
    return next(e for e in found.procedures.prior or [] if e.type == kind)


def test_a_healed_injury_in_brackets_leaves_the_pain_current() -> None:
    note = "CRPS right hand. Pain out of proportion to the (healed) wrist injury."
    assert value(facts(note, code="64510"), "pain.disproportionate") is True


@pytest.mark.parametrize(
    ("aside", "purpose"),
    [
        ("2. Skipping the dual MBB -> RFA pathway and going straight to IA injections.",
         "therapeutic"),
        ("2. IA injections rather than medial branch blocks, given her pacemaker.", "therapeutic"),
        ("2. Then bilateral C5-6 medial branch blocks next month.", None),  # a second plan
    ],
)  # fmt: skip
def test_a_pathway_set_aside_is_not_a_second_plan(aside: str, purpose: str | None) -> None:
    note = (
        "HPI: axial neck pain for a year.\nPLAN:\n1. Therapeutic intra-articular facet joint "
        "injections, bilateral C5-6, fluoroscopic guidance. Each joint: triamcinolone 10 mg + "
        f"bupivacaine 0.25%.\n{aside}"
    )
    assert value(facts(note, code="64490"), "planned.purpose") == purpose


@pytest.mark.parametrize(
    ("line", "stated"),
    [
        ("[X] Denervation contraindicated - explain: spondylolisthesis in a young athlete", True),
        ("[ ] Denervation contraindicated - explain: ____", None),
        ("Radiofrequency ablation is contraindicated because of her bleeding disorder.", True),
        ("No contraindication to RFA.", False),
    ],
)
def test_a_stated_contraindication_to_denervation(line: str, stated: bool | None) -> None:
    note = f"HPI: axial neck pain for a year.\n{line}\n"
    assert value(facts(note, code="64490"), "facet.denervation_contraindicated") is stated


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("Relief held until ~mid-August 2026 (about 8 1/2 mo), pain has crept back since.", 8.4),
        ("Warehouse associate x 12 yrs. About 70% better after the RFA.", None),
    ],
)
def test_a_reliefs_length_and_a_jobs(sentence: str, months: float | None) -> None:
    event = _after_procedure(
        (
            "2025-12-02",
            "Left L4-5 and L5-S1 medial branch radiofrequency ablation at 80 degrees C.",
        ),
        ("2026-09-10", f"S/p L L4-5, L5-S1 RFA 12/02/2025. {sentence}"),
        "rfa_medial_branch",
    )
    got = event.relief_duration_months
    assert (got is None and months is None) or (got is not None and abs(got - (months or 0)) < 0.3)


@pytest.mark.parametrize(
    ("item", "radiculopathy"),
    [
        ("3. S/p L3-4 microdiscectomy 2015 (per op note L4 radiculopathy), radicular sx resolved "
         "post-op.", None),
        ("3. L4 radiculopathy, symptoms worse this month.", True),
    ],
)  # fmt: skip
def test_an_operations_radiculopathy_whose_symptoms_resolved(
    item: str, radiculopathy: bool | None
) -> None:
    note = (
        f"HPI: axial low back pain for 17 months, nothing below the buttocks.\nPROBLEM LIST\n{item}"
    )
    assert value(facts(note, code="64493"), "neuro.radiculopathy") in (
        (None, False) if radiculopathy is None else (True,)
    )


@pytest.mark.parametrize(
    ("history", "side"),
    [
        # a history label with a date half a year back: that episode's side, not today's
        ("Previous treatment: caudal ESI 03/2024 for R sciatica, good result.", "left"),
        # the same label a month back tells of this episode
        ("Previous treatment: caudal ESI 08/2026 for R sciatica, no result.", "right"),
    ],
)
def test_a_side_under_a_history_label_is_an_earlier_episode(history: str, side: str) -> None:
    note = f"{history}\nHPI: L leg pain radiating to the foot for 3 months.\n"
    assert value(facts(note, code="62323"), "neuro.radicular_side") == side


@pytest.mark.parametrize(
    ("code", "dermatome"),
    [
        ("64483", "S1"),  # a lumbar request: today's S1, not the neck's separate C7
        ("64479", "C7"),  # a cervical one: the C7
    ],
)
def test_of_dermatomes_in_two_regions_the_requested_regions_stands(
    code: str, dermatome: str
) -> None:
    text = (
        "HPI: R leg pain.\nNECK / L ARM (separate problem): L C7 radiculopathy over the winter, "
        "treated elsewhere.\nA: R S1 radiculopathy due to L5-S1 disc extrusion."
    )
    assert value(facts(text, code=code), "neuro.radicular_dermatome") == dermatome
