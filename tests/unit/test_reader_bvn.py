"""Basivertebral nerve ablation as the reader takes it from a request's notes: the consecutive
months of supervised care (in a clinic note or the therapy program's own discharge, the longest
said to be consecutive, never an earlier course's weeks) and other pain sources ruled out (a
radiology report that finds no fracture, tumour or infection). Positive and negated forms."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, value

_BVN = "64628"
_NOTE = "HPI: midline LBP x 3 yrs, Modic 1 at L4-5.\nPlan: BVN ablation L4, L5."


@pytest.mark.parametrize(
    ("history", "months"),
    [
        ("- Supervised program 10/2025-04/2026, weekly PT; 6 consecutive mo; no change.", 6.0),
        ("- PT 08/2024-10/2024 (12 wks, supervised); then 9 consecutive months of PT.", 9.0),
        # a course not said to be consecutive gives no count of consecutive months
        ("- PT 08/2024-10/2024 (12 wks, supervised) - minimal benefit.", None),
        # a length said to be of supervised care meets the six months; a shorter one is one
        # kind of care's, not a count of all of it
        ("She has had > 6 mo of supervised conservative care (PT/HEP 10/2025-04/2026).", 6.0),
        ("No better after seven weeks of supervised physical therapy.", None),
    ],
)
def test_the_consecutive_months_of_supervised_care(history: str, months: float | None) -> None:
    found = documents_facts(("Spine consult", "2026-05-01", f"{_NOTE}\n{history}"), code=_BVN)
    assert value(found, "bvn.supervised_care_months") == months


def test_a_therapy_programs_discharge_counts_its_consecutive_months() -> None:
    discharge = (
        "Supervised spine program - discharge",
        "2026-04-07",
        "Program dates: 10/06/2025 - 04/06/2026 (6 consecutive months)\nNo meaningful change.",
    )
    found = documents_facts(("Spine consult", "2026-05-01", _NOTE), discharge, code=_BVN)
    assert value(found, "bvn.supervised_care_months") == 6.0


@pytest.mark.parametrize(
    ("impression", "ruled_out"),
    [
        ("3. No fracture, spondylolisthesis, spondylolysis, tumor or infection.", True),
        ("3. No fracture. Possible infection at L4-5 endplates; tumor not excluded.", None),
        # each ruled out in its own words
        ("3. No fracture, no listhesis, no suspicious marrow lesion. No MRI evidence of "
         "discitis-osteomyelitis.", True),
        ("3. No fracture, no listhesis, no suspicious marrow lesion.", None),
    ],
)  # fmt: skip
def test_a_radiology_report_rules_out_other_sources(
    impression: str, ruled_out: bool | None
) -> None:
    mri = ("MRI lumbar spine report", "2026-03-01", f"IMPRESSION:\n{impression}")
    found = documents_facts(("Spine consult", "2026-05-01", _NOTE), mri, code=_BVN)
    assert value(found, "bvn.other_sources_ruled_out") is ruled_out


_MRI = (
    "MRI LUMBAR SPINE\nRADIOLOGY REPORT\nFINDINGS: {finding}\n"
    "IMPRESSION: {impression}\nElectronically signed: A. Reader, MD, Diagnostic Radiology"
)


@pytest.mark.parametrize(
    ("impression", "modic"),
    [
        # the radiologist's words for a Modic change, without the name
        ("Type 1 (fibrovascular/edematous) degenerative endplate marrow changes at L4-5.", 1),
        ("Fatty degenerative endplate marrow change at L5-S1.", 2),
        ("Modic type 2 change at L5-S1.", 2),
        ("Mild degenerative disc disease at L4-5, no endplate change.", None),
    ],
)
def test_a_modic_change_in_the_radiologists_words(impression: str, modic: int | None) -> None:
    report = _MRI.format(finding="Alignment normal.", impression=impression)
    found = documents_facts(
        ("Spine consult", "2026-05-01", _NOTE), ("MRI lumbar spine", "2026-04-01", report),
        code=_BVN,
    )  # fmt: skip
    studies = found.imaging.studies or []
    types = {f.modic_type for s in studies for f in s.findings or [] if f.modic_type}
    assert types == ({modic} if modic else set())


@pytest.mark.parametrize(
    ("line", "fracture"),
    [
        # a risk estimate or a test named after fractures is no fracture found
        ("FRAX (with femoral neck BMD): 10-year probability major osteoporotic fracture 7.9%.",
         False),
        ("Vertebral fracture assessment (VFA), T4-L4: no compression deformity.", False),
        ("L1 compression fracture, new since March.", True),
    ],
)  # fmt: skip
def test_a_fracture_risk_is_no_fracture(line: str, fracture: bool) -> None:
    from drafting.extraction.clinical_nlp import annotate

    mentions = [
        m for s in annotate(line).sentences for m in s.concepts
        if m.category == "contra.spinal_fracture"
    ]  # fmt: skip
    assert any(m.affirmed for m in mentions) is fracture


@pytest.mark.parametrize(
    ("line", "radicular", "ruled_out"),
    [
        # radiation in a list of cancer treatments is no pain radiating; a symptom set against
        # an earlier one is not today's; a clinician's list of what she does not have rules them out
        ("Breast cancer 2016 treated with lumpectomy, radiation, and five years of anastrozole. "
         "She does not have pain in either leg, and says this is \"nothing like the sciatica I "
         "had before.\" She does not have radicular pain, infection, fracture, or tumor.",
         False, True),
        ("Pain radiates down the left leg to the foot. Modic 1 L4-5.", True, None),
    ],
)  # fmt: skip
def test_what_she_does_not_have_now(line: str, radicular: bool, ruled_out: bool | None) -> None:
    note = f"HPI: midline LBP x 3 yrs, Modic 1 at L4-5. {line}\nPlan: BVN ablation L4, L5."
    found = documents_facts(("Spine consult", "2026-05-01", note), code=_BVN)
    assert value(found, "neuro.radicular_pain") is radicular
    assert value(found, "bvn.other_sources_ruled_out") is ruled_out


@pytest.mark.parametrize(
    ("finding", "fracture"),
    [
        # a healed fracture is united, not a fracture now; an acute one is
        ("L1: Healed burst fracture with approximately 20% loss of anterior height.", None),
        ("L1: Acute burst fracture with 20% loss of anterior height and marrow edema.", True),
    ],
)
def test_a_healed_fracture_is_no_fracture_now(finding: str, fracture: bool | None) -> None:
    report = _MRI.format(finding=finding, impression="Modic type 1 change at L4-5.")
    found = documents_facts(
        ("Spine consult", "2026-05-01", _NOTE), ("MRI lumbar spine", "2026-04-01", report),
        code=_BVN,
    )  # fmt: skip
    rows = [f for s in found.imaging.studies or [] for f in s.findings or [] if f.level == "L1"]
    assert (rows[0].fracture if rows else None) is fracture


def test_a_numbered_request_line_is_the_request_not_a_prior_procedure() -> None:
    form = (
        "PRIOR AUTHORIZATION REQUEST\nServices requested:\n"
        "1) 64628  Intraosseous basivertebral nerve ablation, first 2 vertebral bodies -- L4, L5\n"
    )
    found = documents_facts(
        ("Prior authorization request", "2026-05-02", form), ("Spine consult", "2026-05-01", _NOTE),
        code=_BVN,
    )  # fmt: skip
    assert not [e for e in found.procedures.prior or [] if e.type == "bvn_ablation"]
