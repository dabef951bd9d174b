"""The offline fact extractor: hand-written notes, gold quotes, rules from the gold review.

The annotations it reads (ConText verdicts, sections, procedure levels) are
tests/unit/test_extract_context.py.

The gold test runs the extractor over every case in eval/gold/cases and checks that every quote
it returns is in its document (after whitespace normalisation) and that its span holds exactly it.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from criteria.facts import CaseFacts, Evidence
from drafting.case.contract import Case
from drafting.case.loaders import parse_case_json
from drafting.extraction.rules import extract_facts, extract_facts_timed
from guideline_corpus.corpus import normalize_ws
from tests.reader_facts import note_case

GOLD_CASES = sorted(
    (Path(__file__).resolve().parents[2] / "eval" / "gold" / "cases").glob("*.json")
)


# ------------------------------------------------------------------ hand-written notes
def _case(*documents: tuple[str, str, str], code: str = "64483") -> Case:
    return note_case(*documents, code=code, patient=(52, "F"), diagnosis="M54.16", case_id="T1")


CONSULT = """PAIN CLINIC CONSULTATION
DOS: 09/02/2026

CC: L leg pain x 4 mos
HPI: LBP radiating to the L lateral calf and foot. VAS 7/10 today, 9/10 at worst. Unable to sit \
> 20 min, cannot put on socks, sleep disrupted. Denies bowel/bladder changes. No hx of cancer.
Conservative: PT 06/01/2026-07/27/2026 (8 wks) + HEP; naproxen 500 mg BID; gabapentin. \
Re-eval today: no significant improvement.
Prior L5-S1 TFESI on 03/02/2026 gave 80% relief lasting 4 months.
No prior spine surgery. No NSAID allergy.

EXAM: L EHL 4/5, otherwise 5/5. Decreased sensation L dorsum of foot. Achilles 2+ symmetric. \
Denies numbness of the hands.

A/P: L L5 radiculopathy.
Plan: L L5-S1 TFESI under fluoroscopy w/ contrast, dexamethasone 10 mg.
If relief >= 80%, will consider repeat. Consider MBB if axial pain persists.
"""

MRI = """MRI LUMBAR SPINE WITHOUT CONTRAST - 08/11/2026
FINDINGS:
L4-5: Mild disc bulge. No stenosis.
L5-S1: Left paracentral disc extrusion measuring 7 mm compressing the traversing left S1 nerve \
root. Moderate left foraminal stenosis.
IMPRESSION: L5-S1 left extrusion with S1 root compression.
Read by: A. Reader, MD, Radiologist
"""


@cache
def _facts() -> CaseFacts:
    case = _case(
        ("Consultation", "2026-09-02", CONSULT), ("MRI lumbar spine report", "2026-08-11", MRI)
    )
    return extract_facts(case)


def test_current_state_facts() -> None:
    facts = _facts()
    assert facts.pain.score is not None and facts.pain.score.value == 7  # not the worst rating
    assert facts.pain.side is not None and facts.pain.side.value == "left"
    assert facts.symptoms.duration_months is not None and facts.symptoms.duration_months.value == 4
    assert facts.function.adls_impaired is not None
    assert set(facts.function.adls_impaired.value) == {"sitting", "dressing", "sleep"}
    assert facts.neuro.radicular_pain is not None and facts.neuro.radicular_pain.value is True
    assert facts.neuro.myotomal_weakness is not None and facts.neuro.myotomal_weakness.value
    assert facts.neuro.reflex_change is not None and facts.neuro.reflex_change.value is False
    assert facts.neuro.radicular_dermatome is not None
    assert facts.neuro.radicular_dermatome.value == "L5"


def test_negations_are_false_only_where_absence_matters() -> None:
    facts = _facts()
    assert facts.contra.cauda_equina is not None and facts.contra.cauda_equina.value is False
    assert facts.contra.malignancy is not None and facts.contra.malignancy.value is False
    # "No NSAID allergy" is not a statement that NSAIDs were not taken; naproxen was.
    analgesics = facts.conservative.anti_inflammatory_analgesics
    assert analgesics is not None and analgesics.value is True
    # a positive exam finding beats a denial about another body part
    sensory = facts.neuro.dermatomal_sensory_change
    assert sensory is not None and sensory.value is True


def test_conservative_care() -> None:
    facts = _facts()
    assert facts.conservative.pt_formal is not None and facts.conservative.pt_formal.value
    assert facts.conservative.pt_weeks is not None and facts.conservative.pt_weeks.value == 8
    improvement = facts.conservative.no_significant_improvement
    assert improvement is not None and improvement.value is True
    reevaluation = facts.conservative.reevaluation_date
    assert reevaluation is not None and reevaluation.value == date(2026, 9, 2)


def test_prior_procedure_event_and_no_surgery() -> None:
    facts = _facts()
    assert facts.procedures.prior is not None
    [event] = facts.procedures.prior  # the planned and hypothetical procedures are not events
    assert (event.type, event.approach, event.date) == ("esi", "transforaminal", date(2026, 3, 2))
    assert event.levels == ["L5-S1"]
    assert event.relief_percent == 80
    assert event.relief_duration_months == 4
    assert facts.surgery.prior == []


def test_imaging_study_with_findings() -> None:
    facts = _facts()
    assert facts.imaging.studies is not None
    [study] = facts.imaging.studies
    assert (study.modality, study.date, study.region) == ("mri", date(2026, 8, 11), "lumbar")
    assert study.independent_radiologist is True
    by_level = {f.level: f for f in study.findings}
    assert by_level["L5-S1"].herniation and by_level["L5-S1"].root_compression
    assert by_level["L5-S1"].stenosis == "foraminal"
    assert by_level["L5-S1"].side == "left"
    assert by_level["L5-S1"].disc_protrusion_mm == 7
    assert "L4-L5" not in by_level or not by_level["L4-L5"].herniation


def test_planned_procedure() -> None:
    planned = _facts().planned
    assert planned.procedure_type is not None and planned.procedure_type.value == "esi"
    assert planned.approach is not None and planned.approach.value == "transforaminal"
    assert planned.levels is not None and planned.levels.value == ["L5-S1"]
    assert planned.side is not None and planned.side.value == "left"
    assert planned.guidance is not None and planned.guidance.value == "fluoroscopy"
    assert planned.contrast is not None and planned.contrast.value is True
    assert planned.injectate is not None and "steroid" in planned.injectate.value


def test_request_facts_come_from_the_request() -> None:
    request = _facts().request
    assert request.codes == ["64483"] and request.age == 52
    assert request.date == date(2026, 9, 14)


def test_silent_record_gives_no_facts() -> None:
    facts = extract_facts(_case(("Note", "2026-09-01", "Follow up. Doing about the same.")))
    assert facts.procedures.prior is None and facts.surgery.prior is None
    assert facts.pain.score is None and facts.contra.anticoagulant is None


def test_timing_reports_each_stage() -> None:
    _, timing = extract_facts_timed(_case(("Note", "2026-09-01", CONSULT)))
    assert timing.annotate >= 0 and timing.rules >= 0
    assert timing.total >= timing.annotate + timing.rules


# ------------------------------------------------------------------ gold quotes
def _evidence(node: Any) -> list[Evidence]:
    if isinstance(node, Evidence):
        return [node]
    if isinstance(node, list):
        return [e for item in node for e in _evidence(item)]
    if hasattr(type(node), "model_fields"):
        return [e for key in type(node).model_fields for e in _evidence(getattr(node, key))]
    return []


@pytest.mark.parametrize("path", GOLD_CASES, ids=[p.stem for p in GOLD_CASES])
def test_every_gold_quote_is_verbatim(path: Path) -> None:
    case = parse_case_json(path.read_text(encoding="utf-8"), str(path))
    facts = extract_facts(case)
    evidence = _evidence(facts)
    assert evidence, "the extractor found nothing to quote"
    for item in evidence:
        text = case.documents[item.document].text
        assert normalize_ws(item.quote) in normalize_ws(text)
        assert item.start is not None and item.end is not None
        assert text[item.start : item.end] == item.quote


# ------------------------------------------------------------------ rules from the gold review
def _note(text: str, *more: tuple[str, str, str], code: str = "64483") -> CaseFacts:
    return extract_facts(_case(("Consultation", "2026-09-02", text), *more, code=code))


def test_contrast_alone_does_not_document_the_injectate() -> None:
    plain = _note("HPI: LBP to L leg.\nPlan: L L4-5 TFESI under fluoroscopy with contrast.").planned
    assert plain.contrast is not None and plain.contrast.value is True
    assert plain.injectate is None and plain.purpose is None  # not "diagnostic" by contrast
    named = _note("Plan: L L4-5 TFESI, fluoroscopy with contrast, dexamethasone 10 mg.").planned
    assert named.injectate is not None
    assert set(named.injectate.value) == {"steroid", "contrast"}


@pytest.mark.parametrize(
    ("plan", "injectate"),
    [
        # the skin or the needle's track numbed is not what is injected at the target
        (
            "Plan: L L4-5 TFESI. The skin was anesthetized with 1% lidocaine. Then 40 mg "
            "of Kenalog was injected.",
            {"steroid"},
        ),
        (
            "Plan: L L4-5 TFESI. 1% lidocaine was used for local infiltration. Kenalog 40 mg "
            "and 1 mL of 1% lidocaine were injected into the epidural space.",
            {"steroid", "anesthetic"},
        ),
        (
            "Plan: L L4-5 TFESI with Kenalog 40 mg and 1 mL of 1% lidocaine.",
            {"steroid", "anesthetic"},
        ),
        # sedation is not the injectate; an opioid given epidurally is
        ("Plan: L L4-5 TFESI, Kenalog 40 mg. IV sedation with Versed and fentanyl.", {"steroid"}),
        ("Plan: L L4-5 TFESI with Kenalog 40 mg and fentanyl 50 mcg.", {"steroid", "opioid"}),
    ],
)
def test_what_numbs_the_skin_or_sedates_is_not_the_injectate(
    plan: str, injectate: set[str]
) -> None:
    planned = _note(f"HPI: LBP to L leg.\n{plan}").planned
    assert planned.injectate is not None and set(planned.injectate.value) == injectate


def test_two_planned_procedures_leave_per_procedure_attributes_open() -> None:
    text = (
        "HPI: neck pain to L arm; axial LBP.\nPlan:\n"
        "1. C7-T1 interlaminar ESI, fluoroscopy w/ contrast, dexamethasone.\n"
        "2. Bilateral L4-5 diagnostic MBB, lidocaine only, on a separate date.\n"
    )
    planned = _note(text).planned
    assert planned.procedure_type is not None and planned.procedure_type.value == "esi"
    assert planned.target is None and planned.purpose is None and planned.injectate is None
    single = _note("Plan:\n1. C7-T1 interlaminar ESI, fluoroscopy w/ contrast, dexamethasone.\n")
    assert single.planned.target is not None and single.planned.target.value == "epidural"


def test_sacral_lateral_branch_plan_keeps_its_foramina() -> None:
    text = (
        "Requested procedure: transection of bilateral S1, S2, and S3 spinal lateral branch "
        "nerves under direct visualization and endoscopic neurectomies.\n"
    )
    planned = _note(text, code="64772").planned
    assert planned.target is not None and planned.target.value == "sacral_lateral_branches"
    assert planned.levels is not None and planned.levels.value == ["S1", "S2", "S3"]
    assert planned.technique is not None
    assert set(planned.technique.value) == {"open_surgical", "endoscopic"}


def test_a_recurrence_is_not_the_symptom_duration() -> None:
    recurred = _note("HPI: Known R SI joint pain. Pain recurred over the past 3 weeks: now 6/10.")
    assert recurred.symptoms.duration_months is None
    lasting = _note("HPI: R buttock pain for the past 5 months, 6/10.")
    assert lasting.symptoms.duration_months is not None
    assert lasting.symptoms.duration_months.value == 5


def test_clinicians_own_read_leaves_the_radiologist_undocumented() -> None:
    own = _note(
        "Imaging: MRI 05/2026 at an outside facility, report not available. I reviewed the "
        "images: large R L5-S1 disc herniation compressing the R S1 root.\nPlan: R L5-S1 TFESI."
    )
    assert own.imaging.studies
    assert all(s.independent_radiologist is None for s in own.imaging.studies)
    read = _note("Imaging: MRI 05/2026 (radiologist): L5-S1 herniation compressing the S1 root.")
    assert read.imaging.studies and read.imaging.studies[0].independent_radiologist is True


@pytest.mark.parametrize(
    ("sentence", "completed"),
    [
        ("Conservative: PT 02/2026-03/2026 (7 wks), naproxen; no improvement.", True),
        ("Known SI pain; failed 8 wks PT + naproxen.", True),
        ("Conservative: PT 05/04/2026-present (14 visits), gabapentin.", None),
        ("Conservative: PT 08/01/2026-09/30/2026 scheduled, naproxen.", None),
    ],
)
def test_a_finished_pt_course_is_completed(sentence: str, completed: bool | None) -> None:
    fact = _note(f"HPI: LBP.\n{sentence}").conservative.completed
    assert (fact.value if fact else None) is completed


def test_a_conditional_threshold_in_the_plan_is_not_a_block_result() -> None:
    consult = (
        "HPI: axial LBP.\nPlan: Diagnostic bilateral L3-4 and L4-5 MBB #1 (lidocaine), then "
        "confirmatory MBB #2 if >= 80% relief; then RFA."
    )
    procedure = (
        "Procedure: Bilateral L3-4 and L4-5 medial branch blocks, fluoroscopic guidance.\n"
        "Medication: lidocaine. Pain diary given with instructions to record pain q30 min x 6 hrs."
    )
    facts = _note(consult, ("Procedure note", "2026-09-16", procedure), code="64493")
    assert facts.procedures.prior is not None
    [block] = facts.procedures.prior
    assert block.relief_percent is None and block.relief_duration_months is None
    reported = _note(
        consult,
        ("Procedure note", "2026-09-16", procedure),
        ("Follow up", "2026-09-29", "Follow up: reports 85% relief lasting 5 hours."),
        code="64493",
    )
    assert reported.procedures.prior is not None
    assert reported.procedures.prior[0].relief_percent == 85


def test_a_negative_maneuver_result_documents_the_maneuvers() -> None:
    done = _note("Diagnostic MBB #2: 90% relief. Provocative maneuvers negative post-block.")
    fact = done.facet.provocative_maneuvers_documented
    assert fact is not None and fact.value is True
    missing = _note("MBB #2: 90% relief. Provocative maneuvers not documented before or after.")
    fact = missing.facet.provocative_maneuvers_documented
    assert fact is not None and fact.value is False


def test_an_assessment_attributing_radiculopathy_to_a_finding_correlates() -> None:
    attributed = _note("Assessment: R L5 radiculopathy due to R L4-5 facet synovial cyst.")
    fact = attributed.imaging.correlates_with_clinical
    assert fact is not None and fact.value is True
    denied = _note("Assessment: R L5 radiculopathy, not due to the small L4-5 disc bulge.")
    assert denied.imaging.correlates_with_clinical is None


@pytest.mark.parametrize(
    ("sentence", "correlates"),
    [
        # history, exam and imaging said to agree
        ("Assessment: her history, examination and MRI findings are consistent with L5 "
         "radiculopathy.", True),
        ("The history, physical examination, and radiographic findings are compatible with "
         "C5-6 stenosis with radiculopathy.", True),
        # a finding said to explain the symptoms, and one said not to
        ("MRI showed a left L5-S1 herniation which would explain her S1 numbness.", True),
        ("MRI showed a small L5-S1 protrusion which does not explain her foot numbness.", None),
        # a negative study beside radiating symptoms is discordant
        ("The MRI came back essentially negative, but he still has pain radiating down the leg.",
         False),
        ("The MRI came back negative and his back pain has settled.", None),
        # a radiology impression alone says nothing of the clinical picture
        ("MRI impression: findings compatible with L4-5 degenerative disc disease.", None),
    ],
)  # fmt: skip
def test_imaging_said_to_agree_or_disagree_with_the_clinical_picture(
    sentence: str, correlates: bool | None
) -> None:
    fact = _note(f"HPI: low back and leg pain for 6 months.\n{sentence}").imaging
    got = fact.correlates_with_clinical
    assert (got.value if got is not None else None) is correlates


def test_an_open_pt_course_counts_until_the_note() -> None:
    facts = _note("HPI: CRPS L foot.\nConservative care: PT 05/04/2026-present, gabapentin.")
    weeks = facts.conservative.duration_weeks
    assert weeks is not None and abs(weeks.value - 17.3) < 0.2  # to the note of 09/02/2026
    assert facts.conservative.completed is None


@pytest.mark.parametrize(
    ("sentence", "radicular"),
    [
        ("Hx L4-S1 fusion 2022 with resolution of leg pain.", False),
        ("Hx L4-S1 fusion 2022; leg pain resolved after surgery.", False),
        ("Leg pain not resolved with PT.", True),
    ],
)
def test_resolved_pain_is_not_present(sentence: str, radicular: bool) -> None:
    fact = _note(f"HPI: L buttock pain. {sentence}").neuro.radicular_pain
    assert fact is not None and fact.value is radicular


def test_no_adequate_improvement_is_a_failed_course() -> None:
    facts = _note("Conservative: PT (8 wks) + HEP; naproxen; no adequate improvement on re-eval.")
    fact = facts.conservative.no_significant_improvement
    assert fact is not None and fact.value is True


@pytest.mark.parametrize(
    ("sentence", "onset"),
    [
        ("HPI: R buttock pain since a fall on ice 04/2026.", date(2026, 4, 1)),
        ("S: Known R SI joint pain (initial workup 03/2026: R buttock pain).", date(2026, 3, 1)),
        ("HPI: R buttock pain since the injection 04/2026.", None),
    ],
)
def test_onset_from_an_injury_or_a_first_workup(sentence: str, onset: date | None) -> None:
    fact = _note(sentence).symptoms.onset_date
    assert (fact.value if fact else None) == onset


def test_pt_weeks_written_before_pt() -> None:
    facts = _note("S: Known R SI joint pain; failed 8 wks PT + naproxen.")
    assert facts.conservative.pt_weeks is not None and facts.conservative.pt_weeks.value == 8
    assert _note("S: R SI joint pain x 8 wks; PT + naproxen.").conservative.pt_weeks is None


def test_continuous_multimodal_care_is_ongoing_and_budapest_signs_are_objective() -> None:
    text = (
        "CRPS I R lower limb. Budapest criteria (documented 10/2025 and today): burning pain; "
        "signs today - allodynia to brush, R foot 2.3 deg C cooler.\n"
        "Multimodal care since 09/2025 (continuous, > 9 months): PT, gabapentin, psychology.\n"
        "Plan: 7-day percutaneous SCS trial."
    )
    facts = _note(text, code="63650")
    assert facts.conservative.ongoing is not None and facts.conservative.ongoing.value is True
    basis = facts.stimulator.objective_basis
    assert basis is not None and basis.value is True
    plain = _note(
        "CRPS I R foot. Multimodal care since 09/2025: PT.\nPlan: SCS trial.", code="63650"
    )
    assert plain.conservative.ongoing is None and plain.stimulator.objective_basis is None


def test_a_block_named_as_a_date_reference_keeps_the_figures_with_the_injection() -> None:
    text = (
        "Bilateral L5-S1 TFESI performed on the same date as the first diagnostic facet block: "
        '50% sustained improvement.\nFirst diagnostic facet block: "no relief".\n'
        "Request: bilateral MBB L4-5 and L5-S1 (second set of blocks)."
    )
    events = _note(text, code="64493").procedures.prior
    assert events is not None
    by_type = {e.type: e for e in events}
    assert by_type["esi"].relief_percent == 50
    assert by_type["mbb"].relief_percent == 0


@pytest.mark.parametrize(
    ("plan", "volume"),
    [
        # the volume of each injection, not the session's total
        ("Per joint: triamcinolone 1 mL plus bupivacaine 1 mL = 2 mL per joint, 4 mL total.", 2.0),
        ("Triamcinolone 40 mg with 1 mL bupivacaine, 2 mL total.", 2.0),
        ("Triamcinolone 1 mL and bupivacaine 1.5 mL.", 2.5),
    ],
)
def test_the_injected_volume_is_each_injections(plan: str, volume: float) -> None:
    found = _note(f"HPI: bilateral SI joint pain.\nPlan: bilateral SI joint injections. {plan}",
                  code="27096")  # fmt: skip
    assert found.planned.volume_cc is not None and found.planned.volume_cc.value == volume


@pytest.mark.parametrize(
    ("allergies", "allergic"),
    [
        ("ALLERGIES: IODINATED CONTRAST - anaphylaxis with CT contrast in 2019.", True),
        ("Because of her anaphylaxis to iodinated contrast we will not use contrast.", True),
        ("Allergies: NKDA. No contrast allergy.", False),
    ],
)
def test_a_contrast_reaction_named_with_its_agent(allergies: str, allergic: bool) -> None:
    found = _note(f"HPI: bilateral SI joint pain.\n{allergies}", code="27096")
    fact = found.contra.contrast_allergy
    assert (fact is not None and fact.value is True) is allergic
