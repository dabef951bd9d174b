"""Reader concepts added for notes the project did not write: each tested on phrasings that are
not taken from the case that prompted it, in positive and negated (or open) form: radicular pain
kept in the spine, facet and sacroiliac exam findings, finished and ongoing therapy, pain
scores, failed stimulators, document kinds, CRPS signs, imaging cited in dictation.
"""

from __future__ import annotations

from typing import Any

import pytest

from drafting.extraction.rules import extract_facts
from tests.reader_facts import facts as _facts
from tests.reader_facts import note_case
from tests.reader_facts import si_facts as _si_facts
from tests.reader_facts import value as _value

# (concept, the note with {} where each phrasing goes, request code, fact read,
#  [(phrasing, the value the reader must read)])
CONCEPTS: list[tuple[str, str, str, str, list[tuple[str, Any]]]] = [
    (
        "pain_kept_in_the_spine_is_radicular_pain_absent",
        "HPI: 3 years of low back pain. {}",
        "64493",
        "neuro.radicular_pain",
        [
            ("Her back pain never spreads to the legs.", False),
            ("The ache is confined to the lower back.", False),
            ("He has no radiating symptoms.", False),
            ("Pain remains localised to the neck; it doesn't shoot into his arms.", False),
        ],
    ),
    (
        "pain_reaching_a_limb_is_radicular_pain",
        "HPI: low back pain. {}",
        "64493",
        "neuro.radicular_pain",
        [
            ("Pain travels into the left leg to the ankle.", True),
            ("Back pain radiating down the posterior thigh.", True),
        ],
    ),
    (
        "facet_exam_findings",  # a tender spinous process is not one
        "HPI: axial low back pain for a year.\n{}",
        "64493",
        "facet.exam_consistent",
        [
            ("Exam: marked tenderness at the right L3-4 facet joints.", True),
            ("Exam: zygapophyseal joint tenderness bilaterally at L5-S1.", True),
            ("Exam: symptoms are reproduced by oblique extension to the left.", True),
            ("Exam: tenderness over the coccyx.", None),
        ],
    ),
    (
        "finished_physical_therapy_course",
        "HPI: axial low back pain. {} Takes ibuprofen.",
        "64493",
        "conservative.completed",
        [
            ("She completed a course of physical therapy with no lasting benefit.", True),
            ("Physical therapy for six weeks in the spring did not help.", True),
            ("Discharged from physical therapy last month without improvement.", True),
        ],
    ),
    (
        "pain_placed_over_the_sacroiliac_joint",
        "HPI: buttock pain for 5 months. {}",
        "27096",
        "si.pain_over_si_joint",
        [
            ("The ache is centred across the right SI joint area.", True),
            ("Typical SIJ-mediated pain on the left.", True),
        ],
    ),
    (
        "radiation_as_a_treatment_is_not_radiating_pain",
        "HPI: low back pain for a year. {}",
        "62323",
        "neuro.radicular_pain",
        [
            ("Breast cancer treated with radiation in 2019.", None),
            ("He completed radiation therapy for prostate cancer.", None),
            ("The pain has radiation into the right calf.", True),
        ],
    ),
    (
        "response_to_conservative_care",
        "HPI: back pain. Eight weeks of physical therapy. {}",
        "64493",
        "conservative.no_significant_improvement",
        [
            ("Her symptoms have steadily improved with therapy.", False),
            ("None of it has helped her.", True),
            ("Physical therapy did not change the pain.", True),
        ],
    ),
    (
        "ongoing_care",
        "HPI: back pain. {}",
        "64493",
        "conservative.ongoing",
        [
            ("She is enrolled in a functional restoration program.", True),
            ("He is currently doing physio twice a week.", True),
            ("She was discharged from physio in May.", None),
        ],
    ),
    (
        "a_fracture_at_a_limb_is_not_a_spinal_fracture",
        "HPI: low back pain radiating to the left calf. {}",
        "62323",
        "contra.spinal_fracture",
        [
            ("PMH: right distal radius fracture after a fall in 2024, healed.", None),
            ("PMH: left ankle fracture, 2019.", None),
            ("PMH: L1 compression fracture two weeks ago.", True),
            ("Imaging: acute fracture of the T12 vertebral body.", True),
        ],
    ),
]


@pytest.mark.parametrize(
    ("note", "code", "fact", "expected"),
    [
        pytest.param(note.format(phrasing), code, fact, expected, id=f"{concept}: {phrasing}")
        for concept, note, code, fact, phrasings in CONCEPTS
        for phrasing, expected in phrasings
    ],
)
def test_a_phrasing_reads_as(note: str, code: str, fact: str, expected: bool | None) -> None:
    assert _value(_facts(note, code=code), fact) is expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Currently attending physical therapy for four weeks so far.",
        "We will start physical therapy for six weeks.",
        "Referred to physical therapy for eight weeks.",
    ],
)
def test_open_or_planned_physical_therapy_is_not_finished(sentence: str) -> None:
    facts = _facts(f"HPI: axial low back pain. {sentence} Takes ibuprofen.")
    assert _value(facts, "conservative.completed") is not True


# --- sacroiliac exam and history; physiotherapy records ------------------------------------


def test_lumbar_pain_is_not_placed_over_the_sacroiliac_joint() -> None:
    facts = _si_facts("HPI: central lumbar pain at L3 for 5 months.")
    assert _value(facts, "si.pain_over_si_joint") is None


@pytest.mark.parametrize(
    ("exam", "expected"),
    [
        (
            "Exam: FABER and Gaenslen manoeuvres were both positive on the right.",
            {"faber", "gaenslen"},
        ),
        ("Exam: sacral thrust provokes the familiar buttock pain.", {"sacral_thrust"}),
        ("Exam: FABER and Gaenslen were negative.", None),
    ],
)
def test_provocative_tests_named_in_a_list(exam: str, expected: set[str] | None) -> None:
    found = _value(_si_facts(f"HPI: right buttock pain.\n{exam}"), "si.provocative_tests_positive")
    assert (
        None if found is None else {n.lower().replace(" ", "_").removesuffix("'s") for n in found}
    ) == expected


def test_a_physiotherapy_discharge_letter_is_a_finished_course() -> None:
    case = note_case(
        ("Clinic letter", "2026-09-01", "Buttock pain for 6 months."),
        (
            "Physiotherapy summary",
            "2026-08-01",
            "Seen for 7 sessions over nine weeks. Discharged with a home programme.",
        ),
        code="27096",
        patient=(60, "F"),
        diagnosis="M53.3",
        case_id="T3",
    )
    facts = extract_facts(case)
    assert _value(facts, "conservative.completed") is True


# --- more concepts met on notes the project did not write ---------------------------------


@pytest.mark.parametrize(
    ("sentence", "score"),
    [("Today he rates it a 4.", 4.0), ("She rated her back pain at eight.", 8.0)],
)
def test_a_rating_verb_gives_a_pain_score(sentence: str, score: float) -> None:
    assert _value(_facts(f"HPI: low back pain. {sentence}"), "pain.score") == score


def test_a_rating_of_days_is_not_a_pain_score() -> None:
    assert _value(_facts("HPI: low back pain. He rates it a 3 day problem."), "pain.score") is None


def test_a_failed_stimulator_is_read_when_a_stimulator_is_requested() -> None:
    facts = _facts(
        "HPI: leg pain after two fusions. A spinal cord stimulator placed in 2022 did not help.",
        code="63650",
    )
    assert _value(facts, "stimulator.trial_failed") is True


def test_a_stimulator_that_helped_is_not_a_failed_trial() -> None:
    facts = _facts("HPI: leg pain. His stimulator trial gave 70% relief.", code="63650")
    assert _value(facts, "stimulator.trial_failed") is not True


@pytest.mark.parametrize(
    ("title", "text", "kind"),
    [
        ("Office note", "Completed 6 weeks of physical therapy.", "clinic"),
        ("Physiotherapy discharge summary", "Seen 8 times.", "pt"),
        ("Scan", "MRI LUMBAR SPINE REPORT\nFindings: ...", "imaging"),
        # a payer's earlier decision is no clinical record; a request or an appeal is the office's
        (
            "Prior authorization determination - adverse (initial denial)",
            "Outcome: DENIED",
            "legal",
        ),
        ("Notice of utilization review decision - Sierra Claims", "Non-certified.", "legal"),
        ("Utilization review request form", "Procedure: 64483", "clinic"),
        ("Provider appeal letter", "We ask you to reconsider the denial.", "clinic"),
    ],
)
def test_document_kind_from_title_then_header(title: str, text: str, kind: str) -> None:
    from drafting.extraction.rules.reader import document_kind

    assert document_kind(title, text) == kind


def test_crps_signs_are_read_when_the_request_is_a_sympathetic_block() -> None:
    text = (
        "HPI: burning left foot pain since an ankle sprain; she reports swelling, colour change.\n"
        "Exam: allodynia over the dorsum of the left foot; the left foot is visibly swollen."
    )
    facts = _facts(text, code="64520")
    assert _value(facts, "crps.sign_sensory") is True
    assert _value(facts, "crps.symptom_sudomotor_edema") is True


# --- imaging cited in dictation ----------------------------------------------------------------


def _findings(text: str) -> dict[str, dict[str, Any]]:
    facts = _facts(text, code="62323")
    studies = facts.imaging.studies or []
    return {
        f.level or "": {
            k: v for k, v in f.model_dump().items() if v not in (None, []) and k != "evidence"
        }
        for study in studies
        for f in study.findings
    }


def test_findings_described_after_a_cited_study_belong_to_it() -> None:
    text = (
        "HPI: back and leg pain. He brings an MRI of the lumbar spine from 03/02/2026. "
        "At L3-L4 there is moderate neural foraminal narrowing on the left. "
        "L4-L5 shows a broad-based protrusion compressing the right L5 root."
    )
    found = _findings(text)
    assert found["L3-L4"]["stenosis"] == "foraminal"
    assert found["L4-L5"]["root_compression"] is True


def test_a_new_paragraph_continues_the_study_only_when_it_refers_back() -> None:
    cited = "HPI: neck pain. Cervical MRI dated 02/10/2026 is reviewed.\n\n"
    refers = cited + "It shows severe foraminal stenosis at C5-C6 on the right."
    unrelated = cited + "At C5-C6 she had a fusion in 2015 with foraminal stenosis before it."
    assert _findings(refers)["C5-C6"]["stenosis"] == "foraminal"
    assert "C5-C6" not in _findings(unrelated)


@pytest.mark.parametrize(
    ("sentence", "level", "mm"),
    [
        ("Grade 1 anterolisthesis of L4 on L5 measuring 4 mm.", "L4", 4.0),
        ("Grade 1 degenerative anterolisthesis L4 on L5, 4 mm.", "L4", 4.0),
        ("L4-L5: 3 mm anterolisthesis.", "L4-L5", 3.0),
        # another finding's millimetres are not the slip's
        ("Anterolisthesis of L4 on L5 with a 3 mm disc bulge.", "L4", None),
    ],
)
def test_the_millimetres_of_a_slip_are_read_where_reports_put_them(
    sentence: str, level: str, mm: float | None
) -> None:
    text = f"HPI: back pain. MRI of the lumbar spine 03/02/2026: {sentence}"
    assert _findings(text)[level].get("spondylolisthesis_mm") == mm


@pytest.mark.parametrize(
    "sentence",
    [
        "Endplates: T1 hypointense / T2 and STIR hyperintense signal at the L4-5 endplates.",
        "T2/STIR bright marrow signal at the L4-5 endplates (Modic 1).",
    ],
)
def test_mri_sequences_named_with_stir_are_not_thoracic_levels(sentence: str) -> None:
    text = f"HPI: back pain. MRI of the lumbar spine 03/02/2026: {sentence}"
    assert not [level for level in _findings(text) if level.startswith("T")]


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("HPI: log shows 2/10 from late April thru mid-Aug. Now L leg 7/10, back 3/10.", 7.0),
        ("HPI: 2/10 from late April thru mid-August, creeping back since. Now L leg 7/10.", 7.0),
        ("HPI: Pain 7/10 today, 9/10 worst.", 7.0),
        ("HPI: NPRS 6/10 today (7/10 on 07/15).", 6.0),
        # with no score dated to today, the first current one stands
        ("HPI: leg pain 5/10. It was 8/10 before the injection.", 5.0),
        # "now" after a word of the earlier relief still dates the score; sites named after it
        ("HPI: four months of good relief - and it is now 6/10 in the arm, 2/10 in the neck.",
         6.0),
        ("HPI: after the block the relief held, pain 2/10.", None),
    ],
)  # fmt: skip
def test_a_score_dated_to_today_outranks_an_earlier_one(text: str, score: float) -> None:
    assert _value(_facts(text), "pain.score") == score


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("HPI: after the block she stayed 0-1/10 for about 6 hours. She rates it 6/10.", 6.0),
        ("HPI: after the block she stayed 0-1/10 for about 6 hours.", None),
        ("HPI: she is to come with her usual pain (at least 3/10). Pain 5/10 at rest.", 5.0),
    ],
)  # fmt: skip
def test_a_timed_response_or_a_threshold_is_not_todays_score(
    text: str, score: float | None
) -> None:
    assert _value(_facts(text), "pain.score") == score


@pytest.mark.parametrize(
    ("exam", "tests"),
    [
        ("Provocation on the right: thigh thrust positive, distraction positive, FABER positive "
         "for posterior pain - three of three positive on the right, none on the left.",
         ["thigh thrust", "distraction", "FABER"]),
        ("Thigh thrust negative; FABER negative.", None),
        # maneuvers told by what the examiner does, and a "(+)" after the response
        ("SI provocation (R side):\n- supine, posterior pressure on both ASIS -> reproduced R "
         "buttock pain (+)\n- R hip flexed 90, posterior shear through the femur -> sharp pain "
         "(+)\n- R figure-4 with overpressure -> posterior (not groin) pain (+)\n- R leg dropped "
         "off the side of the table -> no pain (-)",
         ["distraction", "thigh thrust", "FABER"]),
        ("- R figure-4 -> groin pain only (-)\n- posterior shear through the femur -> no pain (-)",
         None),
    ],
)  # fmt: skip
def test_a_maneuver_stated_positive_stands(exam: str, tests: list[str] | None) -> None:
    assert (
        _value(
            _si_facts(f"HPI: right buttock pain.\nEXAM: {exam}"), "si.provocative_tests_positive"
        )
        == tests
    )


def test_a_function_header_holds_the_limits() -> None:
    text = (
        "HPI: right neck pain for 2 years.\nTREATMENT: PT x 8 wks.\nFUNCTION: unable to drive > "
        "20 min, can't hang laundry, sleep interrupted 3-4x/night."
    )
    found = _facts(text, code="64490")
    assert _value(found, "function.impairment") is True
    assert "driving" in (_value(found, "function.adls_impaired") or [])


@pytest.mark.parametrize(
    ("plan", "months"),
    [
        ("A/P: Left SI joint pain, post-traumatic, more than eight months, failed 8 wks of PT.",
         8.0),
        ("A/P: Left SI joint pain. Will reassess the pain in 3 months after the injection.",
         None),
    ],
)  # fmt: skip
def test_an_assessment_under_a_p_tells_how_long_the_pain_has_lasted(
    plan: str, months: float | None
) -> None:
    assert (
        _value(_si_facts(f"HPI: left buttock pain.\n{plan}"), "symptoms.duration_months") == months
    )


@pytest.mark.parametrize(
    ("sentence", "tumor"),
    [
        ("Lytic lesion in the L4 vertebral body concerning for metastasis.", True),
        # a lesion the report calls a cyst or a hemangioma is not a tumour
        ("L4-L5: a 9 mm cystic lesion arises from the left facet, consistent with a synovial cyst.",
         None),
        ("L4-L5: small lesion in the L4 body consistent with a hemangioma.", None),
    ],
)  # fmt: skip
def test_a_lesion_the_report_calls_a_cyst_is_not_a_tumour(
    sentence: str, tumor: bool | None
) -> None:
    text = f"HPI: back pain. MRI of the lumbar spine 03/02/2026: {sentence}"
    found = [row.get("tumor") for row in _findings(text).values() if row.get("tumor")]
    assert (found[0] if found else None) is tumor


@pytest.mark.parametrize(
    ("sentence", "level", "roots"),
    [
        ("L5-S1: left paracentral extrusion compressing the traversing left S1 nerve root.",
         "L5-S1", ["S1"]),
        ("L4-5: foraminal protrusion with impingement of the exiting left L4 nerve root.",
         "L4-L5", ["L4"]),
        # a root said to be spared, or one that cannot be at the level, is not named as pressed
        ("L4-5: foraminal protrusion; lateral recesses patent, traversing L5 roots not compressed.",
         "L4-L5", None),
        ("L4-5: protrusion compressing the S1 nerve root.", "L4-L5", None),
    ],
)  # fmt: skip
def test_the_roots_a_report_names_as_pressed(sentence: str, level: str, roots: object) -> None:
    text = f"HPI: back and leg pain. MRI of the lumbar spine 03/02/2026: {sentence}"
    assert _findings(text)[level].get("compressed_roots") == roots


_SI_TABLE = (
    "HPI: left buttock pain below L5.\nExam:\nSI provocation tests:\n"
    "| Test              | Right | Left  |\n"
    "| Thigh thrust      | {a} | {b} |\n"
    "| FABER             | {a} | {b} |\n"
    "| Gaenslen          | {a} | {b} |\n"
    "Plan: left SI joint injection.\n"
)


@pytest.mark.parametrize(
    ("right", "left", "positive"),
    [
        ("neg  ", "POS  ", ["thigh thrust", "FABER", "Gaenslen's"]),  # the requested (left) side
        ("+    ", "-    ", None),  # positive only on the other side
        ("neg  ", "neg  ", None),
    ],
)
def test_si_tests_in_a_table_by_the_requested_side(
    right: str, left: str, positive: list[str] | None
) -> None:
    found = _si_facts(_SI_TABLE.format(a=right, b=left))
    assert _value(found, "si.provocative_tests_positive") == positive


@pytest.mark.parametrize(
    ("exam", "tender"),
    [
        ("R sacral sulcus TTP just below the PSIS, reproduces his pain. L sulcus NT.", True),
        ("O: R sulcus mildly tender. Thigh thrust neg.", True),
        ("SI: sacral sulcus nontender bilaterally.", None),
    ],
)
def test_sulcus_tenderness_written_site_first(exam: str, tender: bool | None) -> None:
    found = _si_facts(f"HPI: right buttock pain below L5.\nExam: {exam}\nPlan: R SI injection.")
    if tender:
        assert _value(found, "si.sulcus_tenderness") is True
    else:
        assert _value(found, "si.sulcus_tenderness") is not True


@pytest.mark.parametrize(
    ("text", "score"),
    [
        # the patient's own number told as spoken words beside the 0-10 scale
        (
            'HPI: leg pain with walking is back.\nPain: tells me "about a 6" today (has used the '
            "0-10 scale consistently with us).",
            6.0,
        ),
        (
            "HPI: leg pain with walking is back.\nPain: tells me about a 6 block walk before "
            "sitting; no scale used.",
            None,
        ),
    ],
)
def test_a_number_told_in_words_on_the_scale(text: str, score: float | None) -> None:
    assert _value(_facts(text), "pain.score") == score


def test_a_payers_determination_tells_no_procedure_done() -> None:
    from tests.reader_facts import documents_facts

    denial = (
        "Prior authorization determination - adverse (initial denial)",
        "2026-09-01",
        "Rationale: Radiofrequency ablation of the nerves to the lumbar facet joints is covered "
        "when two separate diagnostic medial branch blocks each give at least 80% relief.",
    )
    note = ("Office note", "2026-08-20", "HPI: axial low back pain. No prior injections.")
    events = documents_facts(denial, note, code="64635").procedures.prior or []
    assert [e.type for e in events] == []
