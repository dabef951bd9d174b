"""The clinical-NLP annotations the rules read: ConText negation, hypothetical, planned and history
cues, sections, verbatim offsets, and the levels a procedure names.
"""

from __future__ import annotations

import pytest

from drafting.extraction.clinical_nlp import ConceptMention, annotate
from drafting.extraction.clinical_nlp.sections import detect_sections
from drafting.extraction.rules.procedure_terms import levels_named


def _mentions(text: str, category: str) -> list[ConceptMention]:
    return [m for s in annotate(text).sentences for m in s.mentions(category)]


# ------------------------------------------------------------------ ConText
# (sentence, concept category, whether ConText negates it: every mention, or none)
NEGATION = [
    ("He denies numbness.", "neuro.dermatomal_sensory_change", True),
    ("No evidence of radiculopathy on EMG.", "neuro.radiculopathy", True),
    ("Findings: No disc herniation.", "IMG_HERNIATION", True),
    ("L1-L2, L2-L3: No disc herniation.", "IMG_HERNIATION", True),
    ("No prior spinal injections.", "PROC_GENERIC", True),
    ("Not on anticoagulants.", "contra.anticoagulant", True),
    ("Denies bowel/bladder changes, denies saddle anesthesia.", "contra.cauda_equina", True),
    ("Hoffmann neg bilat.", "neuro.myelopathy", True),
    ("Plan: lumbar epidural at L3-4, preservative-free morphine 2 mg.", "PROC_ESI", False),
    ("Enoxaparin prophylaxis held per protocol.", "contra.anticoagulant", False),
    ("Exam: TTP R sacral sulcus, + FABER. Neuro intact, SLR neg.", "si.sulcus_tenderness", False),
    ("Suspect C7 radiculopathy clinically despite unremarkable MRI.", "neuro.radiculopathy", False),
    ("Numbness in the foot; denies fever.", "neuro.dermatomal_sensory_change", False),
    ("Re-eval: no significant improvement with PT.", "conservative.pt_formal", False),
    # an abbreviation's period ends no sentence, so the negation reaches past it
    ("ROS: 12 point negative incl. fever and chills.", "contra.systemic_infection", True),
    # "ruled out" after the finding negates it, within its few words ("M46.1 ruled out" in an
    # aside leaves the diagnosis before it)
    ("Metastasis ruled out.", "IMG_TUMOR", True),
    ("Tumor, infection and fracture were ruled out.", "IMG_TUMOR", True),
    ("Fracture is not ruled out.", "IMG_FRACTURE", False),
    (
        "SI joint dysfunction, recurrent (M53.3, M46.1 ruled out - HLA-B27 neg).",
        "symptoms.recurrent",
        False,
    ),
    (
        "Pt denies leg pain. Numbness approx. 3 wks, incl. the toes.",
        "neuro.dermatomal_sensory_change",
        False,
    ),
]


@pytest.mark.parametrize(("text", "category", "negated"), NEGATION)
def test_negation(text: str, category: str, negated: bool) -> None:
    found = _mentions(text, category)
    assert found and all(m.negated is negated for m in found)


def test_negation_does_not_cross_a_header_line() -> None:
    text = "Diagnostic blocks (no steroid):\n- MBB #1 01/20/2026 (lidocaine): 88% relief."
    [block] = _mentions(text, "PROC_MBB")
    assert not block.negated


def test_hypothetical_and_planned() -> None:
    text = "If relief is 80% or more, will proceed to RFA. Plan: L4-5 TFESI."
    [relief] = _mentions(text, "RELIEF")
    assert relief.hypothetical
    [rfa] = _mentions(text, "PROC_RFA")
    assert rfa.hypothetical and not rfa.affirmed
    [esi] = _mentions(text, "PROC_ESI")
    assert esi.planned and esi.affirmed


def test_history() -> None:
    [fusion] = _mentions("Hx of L4-5 fusion in 2019.", "SURGERY")
    assert fusion.historical and fusion.affirmed
    [scheduled] = _mentions("RFA was scheduled for 03/2026 but postponed.", "PROC_RFA")
    assert scheduled.planned


def test_phrases_that_state_absence() -> None:
    [radiating] = _mentions("Pain is non-radiating.", "neuro.radicular_pain")
    assert radiating.negated and radiating.stated_absent
    [strength] = _mentions("Strength 5/5 throughout LE.", "neuro.myotomal_weakness")
    assert strength.negated


def test_sections() -> None:
    text = "CC: LBP\nHPI: pain x 3 mos.\nEXAM: SLR neg.\nA/P: plan TFESI.\nS: returns.\nO: gait ok."
    names = [s.name for s in detect_sections(text)]
    assert names == ["hpi", "hpi", "exam", "plan", "hpi", "exam"]
    assert detect_sections("CLINIC NOTE\nHPI: x")[0].name == "preamble"


_PROSE = "Many thanks for referring Mrs A, whom I met today. " * 5


@pytest.mark.parametrize(
    ("text", "body_section"),
    [
        # a letter's heading fields do not run into its first paragraph
        (f"Re: Mrs A\nDiagnosis: SI joint pain.\nPlan: SI joint injection.\n\n{_PROSE}", "hpi"),
        # a long line in the heading: not a letter's heading block; a plan paragraph stays plan
        (f"HPI: {_PROSE}\nPlan: SI joint injection.\n\n{_PROSE}", "plan"),
        (f"Re: Mrs A\nPlan: SI joint injection.\n\nEXAM: {_PROSE}", "exam"),
    ],
)
def test_a_letters_first_paragraph_is_its_history(text: str, body_section: str) -> None:
    last = text.rindex(_PROSE[:30])
    sections = detect_sections(text)
    assert next(s.name for s in sections if s.start <= last < s.end) == body_section


def test_annotated_offsets_are_verbatim() -> None:
    text = "HPI: Pain 7/10.\n\nEXAM:  Strength 4/5 EHL.  "
    for sentence in annotate(text).sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        for mention in sentence.concepts:
            assert text[mention.start : mention.end] == mention.text


# ------------------------------------------------------------------ procedure levels
@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("Bilateral L4-5 and L5-S1 medial branch blocks (L3, L4 MB and L5 dorsal ramus)",
         ["L4-L5", "L5-S1"]),
        ("Dual diagnostic MBBs (R C5, C6, C7 medial branches; no steroid)", ["C5-C6", "C6-C7"]),
        ("Diagnostic blocks (L L3, L4 medial branches, no steroid)", ["L4-L5"]),
        ("R L5-S1 and S1 TFESI", ["L5-S1", "S1"]),
        ("L L5 SNRB at the L5-S1 foramen", ["L5-S1"]),
        ("BVN ablation L5 and S1", ["L5", "S1"]),
        # the L5 dorsal ramus beside sacral lateral branches: nerves named, not facet joints
        ("Bilateral L5 dorsal ramus block and bilateral S1, S2, and S3 lateral branch block.",
         ["L5", "S1", "S2", "S3"]),
        ("L4 medial branch and L5 dorsal ramus blocks", ["L5-S1"]),
    ],
)  # fmt: skip
def test_levels_a_procedure_names(text: str, levels: list[str]) -> None:
    assert levels_named(text) == levels


@pytest.mark.parametrize(
    ("header", "section"),
    [
        ("Physical Exam", "exam"),
        ("Review of Systems", "ros"),
        ("Assessment/Plan", "plan"),
        ("Patient Active Problem List", "pmh"),
        ("Results", "imaging"),
    ],
)
def test_an_ehr_exports_header_on_its_own_line(header: str, section: str) -> None:
    text = f"HPI: neck pain.\n{header}\nSpurling + R."
    assert [s.name for s in detect_sections(text)][-1] == section


@pytest.mark.parametrize(
    "line",
    ["Patient", "Neck pain getting worse", "Exam findings reviewed today", "Pt"],
)
def test_a_line_that_is_no_sections_exact_name_is_no_header(line: str) -> None:
    text = f"HPI: neck pain.\n{line}\nSpurling + R."
    assert [s.name for s in detect_sections(text)][-1] == "hpi"


def test_a_page_header_repeated_mid_document_keeps_the_section_it_interrupts() -> None:
    text = (
        "HPI: neck pain.\nPLAN:\n - Repeat C6-7 ESI.\n"
        "Patient: DOE, JANE   MRN: 0001   Page 2 of 3\n"
        " - under fluoroscopy with contrast (epidurogram).\n"
    )
    assert [s.name for s in detect_sections(text)][-1] == "plan"


@pytest.mark.parametrize(
    ("text", "last"),
    [
        (
            "HPI: back pain now.\n"
            "HISTORY OF PRESENT ILLNESS  [carried forward from visit 06/14/2023]\n"
            "Right leg pain 6/10.",
            "copied",
        ),
        (
            "EXAM: SLR neg.\n[EXAM carried forward 06/14/2023 - for reference]\n"
            "SLR positive right.",
            "copied",
        ),
        ("HPI: back pain.\nPHYSICAL EXAMINATION (02/17/2026)\nSLR negative.", "exam"),
        ("HPI: back pain.\nPROCEDURE HISTORY (this practice)\nRFA 04/15/2025.", "treatment"),
        (
            "[Carried forward from 03/12/2024]\nold text\n[Interval update 11/04/2026]\nnew text",
            "hpi",
        ),
        # today's update on a line of its own ends the copied paragraph before it
        (
            "[copied from 04/21/2026 note] Pain 8/10.\n"
            "Interval Hx 10/06/2026: s/p ILESI. Now 6/10.",
            "hpi",
        ),
        ("[copied from 04/21/2026 note] Pain 8/10.\nToday's visit: arm pain 6/10.", "hpi"),
        # an interval mentioned inside the copied text is no header
        ("[copied from 04/21/2026 note] Pain 8/10; interval hx: none. Plan ILESI.", "copied"),
        # the marker in parentheses after a header; one brought up to date is today's
        ("HPI: leg pain.\n--- Exam (carried forward from 03/04/2025 office visit) ---\nSLR neg.",
         "copied"),
        ("HPI [carried forward from 06/14/2023 - not updated]\nRight leg pain 6/10.", "copied"),
        # a "PE:" header ends a copied line before it
        ("ROS: neg except as per HPI. [copied from intake 04/28/2026]\nPE:\nSLR neg.", "exam"),
    ],
)  # fmt: skip
def test_copied_forward_blocks_and_dated_headers(text: str, last: str) -> None:
    assert [s.name for s in detect_sections(text)][-1] == last


@pytest.mark.parametrize(
    ("text", "uncertain"),
    [
        ("Large facet effusions can accompany segmental instability.", True),
        ("Findings may represent early discitis.", True),
        ("There is segmental instability at L4-5.", False),
    ],
)
def test_a_radiologists_hedge_is_uncertain(text: str, uncertain: bool) -> None:
    found = [m for s in annotate(text).sentences for m in s.concepts if m.category in (
        "facet.dynamic_instability", "contra.spine_infection", "IMG_INFECTION")]  # fmt: skip
    assert found and all(m.uncertain is uncertain for m in found)


@pytest.mark.parametrize(
    ("text", "category", "uncertain"),
    [
        # a hedge after the finding, or an indeterminate one: a question, not a finding
        ("An osseous metastasis cannot be excluded.", "IMG_TUMOR", True),
        ("Fracture is not ruled out.", "IMG_FRACTURE", True),
        ("Indeterminate 7 mm T1 hypointense lesion in the L5 vertebral body.", "IMG_TUMOR", True),
        ("Metastatic lesion in the L5 vertebral body.", "IMG_TUMOR", False),
    ],
)
def test_a_hedged_finding_is_uncertain(text: str, category: str, uncertain: bool) -> None:
    found = _mentions(text, category)
    assert found and all(m.uncertain is uncertain for m in found)


def test_a_candidate_for_a_procedure_is_planned_not_hypothetical() -> None:
    [scs] = _mentions(
        "Candidate for SCS trial: percutaneous leads T9-T10, 7-day trial.", "PROC_SCS"
    )
    assert scs.planned and not scs.hypothetical


@pytest.mark.parametrize(
    ("text", "copied"),
    [
        ("HPI (copied forward from 07/15/2026 - updated 09/09/2026):\nLBP x 14 mo.", False),
        ("HPI (copied forward from 03/02/2026 note, reviewed):\nthigh pain.", False),
        ("HPI (copied forward from 03/02/2026 note):\nthigh pain.", True),
    ],
)
def test_a_copied_history_brought_up_to_date_is_todays(text: str, copied: bool) -> None:
    assert ("copied" in [s.name for s in detect_sections(text)]) is copied


def test_a_problem_header_opens_that_problems_history() -> None:
    text = (
        "#2 NECK / R ARM (interval)\nC7-T1 ILESI 06/02: 70% better.\n"
        "Exam: Spurling neg bilat today.\n\n#1 LOW BACK / LEGS\n"
        "What he can't do now: walk the dog, do yard work."
    )
    sections = [s for s in annotate(text).sentences if "walk the dog" in s.text]
    assert [s.section for s in sections] == ["hpi"]
