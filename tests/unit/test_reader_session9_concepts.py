"""Concepts read from the blind batches of session 9, each with the form that must not be read so:
a request's own code line is no prior procedure, a plan on a separate session is no combined
injection, activity-provoked pain is today's, a diary's period or a count of days is no pain
duration, bone mass is no tumour, a differential set aside and a ruled-out label are no finding,
an unticked box is no care, an operation's indication is not its level, a report still requested
is no radiologist's read."""

from __future__ import annotations

import pytest

from drafting.extraction.rules import extract_facts
from tests.reader_facts import documents_facts, facts, note_case, value


@pytest.mark.parametrize(
    ("line", "events"),
    [
        ("[X] 27096  Sacroiliac joint injection w/ image guidance            Units: 1", 0),
        ("  64483 Transforaminal epidural injection, lumbar/sacral, single level   Units: 1", 0),
        ("First SIJ injection:  [X] Yes   [ ] No  (date of last: ________ )", 0),
        # a prior injection told on the form stays one
        ("Prior SIJ injection: right, 03/10/2026, 70% relief", 1),
    ],
)
def test_a_request_forms_own_lines_are_no_prior_procedure(line: str, events: int) -> None:
    found = documents_facts(
        ("Prior authorization request form", "2026-09-10", f"REQUEST\n{line}\nDx: M53.3\n"),
        ("Office note", "2026-09-01", "HPI: right SI joint pain.\nPlan: right SI joint injection."),
        code="27096",
    )
    assert len([e for e in found.procedures.prior or [] if e.type == "si_injection"]) == events


@pytest.mark.parametrize(
    ("sentence", "separate"),
    [
        (
            "Disc supplementation at L3-4 as a separate session at least 6 weeks after the ESI.",
            True,
        ),
        ("Adhesiolysis to be scheduled as a separate date only if the caudal is not enough.", True),
        ("Adhesiolysis at the same session as the caudal injection.", False),
    ],
)
def test_a_plan_on_a_separate_session(sentence: str, separate: bool) -> None:
    found = facts(f"HPI: L5 radicular pain.\nPlan: caudal ESI. {sentence}", code="62323")
    same = found.planned.same_session_procedures
    assert (same is not None and same.value == []) is separate


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("HPI: stenosis. Legs 7/10 after walking, 1-2/10 sitting.", 7.0),
        ("HPI: stenosis. Leg pain 7/10 after the injection, 3/10 today.", 3.0),
        ("HPI: buttock and posterior thigh ache 7/10 after about five minutes on his feet.", 7.0),
        ("HPI: posterior thigh ache 7/10 post-procedure, 4/10 today.", 4.0),
    ],
)
def test_pain_an_activity_brings_on_is_todays(text: str, score: float) -> None:
    assert value(facts(text, code="62323"), "pain.score") == score


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("HPI: low back pain. Pain diary reviewed (4 wks): at least 4/10 on 26 of 28 days.", None),
        ("HPI: low back pain for 10 months. Pain diary reviewed (4 wks): avg 6/10.", 10.0),
    ],
)
def test_a_diarys_period_and_a_count_of_days_are_no_pain_duration(
    text: str, months: float | None
) -> None:
    assert value(facts(text, code="64628"), "symptoms.duration_months") == months


def _flags(report: str, flag: str) -> list[bool | None]:
    case = note_case(
        ("Office note", "2026-09-01", "HPI: LBP."), ("MRI lumbar spine", "2026-08-01", report)
    )
    studies = extract_facts(case).imaging.studies or []
    return [getattr(f, flag) for s in studies for f in s.findings if getattr(f, flag)]


@pytest.mark.parametrize(
    ("report", "tumor"),
    [
        ("IMPRESSION: Low bone mass (osteopenia), lowest T-score -1.7 at L1-L4.", []),
        ("FINDINGS: L4-5 disc bulge without mass effect on the thecal sac.", []),
        ("FINDINGS: Enhancing mass in the L3 vertebral body.", [True]),
    ],
)
def test_bone_mass_and_mass_effect_are_no_tumour(report: str, tumor: list[bool]) -> None:
    assert _flags(report, "tumor") == tumor


@pytest.mark.parametrize(
    ("report", "infection"),
    [
        ("FINDINGS: Differential for the L4-5 endplate signal includes early discitis; however "
         "the disc is T2 dark, favoring degenerative Modic type 1 change.", []),
        ("FINDINGS: L4-5 discitis with paraspinal phlegmon.", [True]),
    ],
)  # fmt: skip
def test_a_differential_is_no_finding(report: str, infection: list[bool]) -> None:
    assert _flags(report, "infection") == infection


@pytest.mark.parametrize(
    ("text", "infection"),
    [
        ("A: Modic 1. Radiology raised discitis in the differential, but ESR/CRP normal -- "
         "infection not a concern.", None),
        ("A: L4-5 discitis on MRI, started IV antibiotics.", True),
    ],
)  # fmt: skip
def test_a_condition_set_aside_is_not_counted(text: str, infection: bool | None) -> None:
    assert value(facts(text, code="64628"), "contra.spine_infection") is infection


@pytest.mark.parametrize(
    ("line", "fracture"),
    [
        ("[X] Fracture / tumor / infection ruled out", None),
        ("[X] Fracture at L1 on CT", True),
    ],
)
def test_a_ruled_out_label_is_no_finding(line: str, fracture: bool | None) -> None:
    found = documents_facts(
        ("Prior authorization request form", "2026-09-10", f"BVN ABLATION REQUEST\n{line}\n"),
        code="64628",
    )
    assert value(found, "contra.spinal_fracture") is fracture


@pytest.mark.parametrize(
    ("line", "months"),
    [
        ("[ ] >= 6 consecutive months supervised conservative care documented", None),
        ("[X] >= 6 consecutive months supervised conservative care documented", 6.0),
        ("Failed > 7 consecutive months of supervised multimodal care.", 7.0),
    ],
)
def test_an_unticked_box_is_no_supervised_care(line: str, months: float | None) -> None:
    found = documents_facts(
        ("Office note", "2026-09-01", f"HPI: LBP 2 years.\n{line}\n"), code="64628"
    )
    assert value(found, "bvn.supervised_care_months") == months


@pytest.mark.parametrize(
    ("sentence", "levels"),
    [
        ("Surgical hx: C4-5 ACDF 2019 for left C5 radiculopathy, solid fusion.", ["C4-C5"]),
        ("Surgical hx: C4-5 and C5 corpectomy with fusion 2019.", ["C4-C5", "C5"]),
        ("S/p C5-6 ALIF (2019) for spondylolisthesis C5-6 w/ C6 radiculopathy.", ["C5-C6"]),
    ],
)
def test_an_operations_indication_is_not_its_level(sentence: str, levels: list[str]) -> None:
    found = facts(f"HPI: axial neck pain.\n{sentence}", code="64490")
    assert next(e.levels for e in found.surgery.prior or []) == levels


@pytest.mark.parametrize(
    ("text", "independent"),
    [
        ("Imaging: MRI L-spine 08/29/2026 at Bayview Open MRI; I reviewed the CD, formal report "
         "not yet received, requested by fax.", None),
        ("Imaging: MRI L-spine 08/29/2026 at Bayview Open MRI, read by the radiologist as severe "
         "L4-5 central stenosis.", True),
    ],
)  # fmt: skip
def test_a_report_still_requested_is_no_radiologists_read(
    text: str, independent: bool | None
) -> None:
    studies = facts(text, code="62323").imaging.studies or []
    assert [s.independent_radiologist for s in studies] == [independent]
