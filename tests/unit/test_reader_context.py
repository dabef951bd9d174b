"""Reader concepts and their context, found on notes the project did not write (2026-12-05):
a negation the concept spells out, an aside that closes before the mention, exam signs over
history symptoms, CRPS categories and disproportionate pain in other words, an addiction said to
be active, claudication stated rather than inferred, a prior authorization, dotted machine names.
Each on phrasings not taken from the case that prompted it, positive and negated (or open)."""

from __future__ import annotations

import pytest

from drafting.extraction.rules import extract_facts
from tests.reader_facts import facts, note_case, value


@pytest.mark.parametrize(
    "sentence",
    [
        "She had ten weeks of physical therapy; none of this made a meaningful difference.",
        "Physical therapy for ten weeks made no real difference.",
        "Ten weeks of physical therapy didn't make any difference to her pain.",
        "After ten weeks of physical therapy she was back to where she started.",
        "She completed ~10 wks of PT (Apr-Jun 2025) w/o adequate improvement.",
    ],
)
def test_care_that_changed_nothing_is_no_significant_improvement(sentence: str) -> None:
    found = facts(f"HPI: axial low back pain for a year. {sentence}")
    assert value(found, "conservative.no_significant_improvement") is True


def test_care_with_adequate_improvement_is_not_a_failure() -> None:
    found = facts("HPI: axial low back pain for a year. Ten weeks of PT with adequate improvement.")
    assert value(found, "conservative.no_significant_improvement") is not True


def test_care_that_made_a_big_difference_is_improvement() -> None:
    found = facts(
        "HPI: axial low back pain for a year. Ten weeks of physical therapy made a big difference."
    )
    assert value(found, "conservative.no_significant_improvement") is False


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Formal PT was not possible because of her pain.", True),
        ("Formal PT was possible and she attended six visits.", None),
    ],
)
def test_a_negation_the_concept_spells_out_does_not_negate_it(
    sentence: str, expected: bool | None
) -> None:
    assert value(facts(f"HPI: low back pain. {sentence}"), "conservative.pt_exception") is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("The SI joints are not fused.", False), ("The left SI joint is fused.", True)],
)
def test_an_unfused_sacroiliac_joint_is_stated_absent(sentence: str, expected: bool) -> None:
    found = facts(f"HPI: buttock pain for a year. CT: {sentence}", code="27096")
    assert value(found, "si.joint_previously_fused") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tx: McKenzie trial (no centralization), HEP (compliant per log).", True),
        ("Tx: McKenzie trial, HEP - not compliant per log.", False),
    ],
)
def test_a_negation_inside_a_closed_aside_does_not_reach_past_it(text: str, expected: bool) -> None:
    found = facts(f"HPI: low back pain.\n{text}")
    assert value(found, "conservative.compliance_documented") is expected


@pytest.mark.parametrize("text", ["HPI: no (left) leg pain.", "HPI: Denies (as before) leg pain."])
def test_a_negation_before_an_aside_still_reaches_past_it(text: str) -> None:
    assert value(facts(text), "neuro.radicular_pain") is False


def test_a_dotted_machine_name_is_not_a_mention() -> None:
    found = facts(
        "HPI: axial pain.\nPlan: bilateral L4-5 MBB.\nCriterion epidural.esi.radicular_pain: met.",
        code="64493",
    )
    assert value(found, "planned.procedure_type") == "mbb"
    assert value(found, "planned.side") == "bilateral"


def test_a_prior_authorization_is_a_request_not_history() -> None:
    found = facts(
        "PRIOR AUTHORIZATION - SPINAL CORD STIMULATOR TRIAL\nHPI: leg pain.", code="63650"
    )
    assert value(found, "planned.procedure_type") == "scs_trial"
    assert found.procedures.prior in (None, [])


@pytest.mark.parametrize(
    ("exam", "expected"),
    [
        ("EXAM: Sensation intact to LT and pinprick L4, L5, S1 bilat.", False),
        ("EXAM: Decreased sensation to pinprick in the left L5 dermatome.", True),
    ],
)
def test_the_exam_outranks_a_symptom_in_the_history(exam: str, expected: bool) -> None:
    found = facts(f"HPI: left leg pain. Occasional tingling outer shin.\n{exam}", code="62323")
    assert value(found, "neuro.dermatomal_sensory_change") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "FOLLOW-UP VISIT\nShe is seen back for her sciatica. She cannot walk the dogs more "
            "than a block and cannot sit through a movie.",
            ["walking", "sitting"],
        ),
        ("FOLLOW-UP VISIT\nShe is seen back for her sciatica. She walks two miles daily.", None),
    ],
)
def test_limits_told_in_a_follow_up_visit_are_impaired_activities(
    text: str, expected: list[str] | None
) -> None:
    assert value(facts(text), "function.adls_impaired") == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Her pain far exceeds what would be expected for the injury.", True),
        ("The pain is excessive for the injury she had.", True),
        ("The pain is what would be expected after this fracture.", None),
    ],
)
def test_pain_more_than_the_injury_explains_is_disproportionate(
    sentence: str, expected: bool | None
) -> None:
    found = facts(f"HPI: CRPS of the left hand after a wrist fracture. {sentence}", code="64510")
    assert value(found, "pain.disproportionate") is expected


@pytest.mark.parametrize(
    ("exam", "sign"),
    [
        ("left hand hypersensitive to light touch", "crps.sign_sensory"),
        ("she cannot tolerate the bed sheets on the left foot", "crps.sign_sensory"),
        ("left foot erythematous compared with the right", "crps.sign_vasomotor"),
        ("temperature asymmetry between the hands", "crps.sign_vasomotor"),
        ("left ankle oedema", "crps.sign_sudomotor_edema"),
        ("left hand swollen", "crps.sign_sudomotor_edema"),
        ("brittle nails on the left hand", "crps.sign_motor_trophic"),
        ("reduced grip on the left", "crps.sign_motor_trophic"),
    ],
)
def test_budapest_sign_categories_in_other_words(exam: str, sign: str) -> None:
    found = facts(f"HPI: CRPS of the left limb.\nExam: {exam}.", code="64510")
    assert value(found, sign) is True


@pytest.mark.parametrize(
    ("exam", "sign"),
    [
        ("no swelling of the left hand", "crps.sign_sudomotor_edema"),
        ("no allodynia or hypersensitivity to light touch", "crps.sign_sensory"),
    ],
)
def test_budapest_signs_stated_absent(exam: str, sign: str) -> None:
    found = facts(f"HPI: CRPS of the left limb.\nExam: {exam}.", code="64510")
    assert value(found, sign) is not True


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Active alcohol use disorder, drinking daily.", True),
        ("Untreated opioid use disorder.", True),
        ("Hx alcohol use disorder - sustained remission since 2015.", False),
        ("Denies tobacco and illicit drug use.", False),
        ("History of alcohol use disorder.", None),
    ],
)
def test_only_an_addiction_said_to_be_active_or_untreated_counts(
    sentence: str, expected: bool | None
) -> None:
    found = facts(f"HPI: failed back surgery syndrome. {sentence}", code="63650")
    assert value(found, "stimulator.untreated_addiction") is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Neurogenic claudication: legs heavy after one block, relieved by sitting.", True),
        ("Back pain worse walking downhill, better leaning on a shopping cart.", None),
    ],
)
def test_claudication_is_read_when_stated_not_inferred_from_posture(
    sentence: str, expected: bool | None
) -> None:
    found = facts(f"HPI: low back pain for a year. {sentence}")
    assert value(found, "neuro.neurogenic_claudication") is expected


@pytest.mark.parametrize(
    ("text", "completed", "improvement"),
    [
        (
            "She did eleven weeks of physical therapy in the spring, then chiropractic care, with "
            "duloxetine, which she still takes. None of this changed the pain; at her re-check "
            "she was unchanged.",
            True,
            True,
        ),
        ("She is still attending physical therapy twice a week.", None, None),
    ],
)
def test_a_past_course_beside_a_drug_still_taken(
    text: str, completed: bool | None, improvement: bool | None
) -> None:
    found = facts(f"HPI: right neck pain for two years. {text}", code="64633")
    assert value(found, "conservative.completed") is completed
    assert value(found, "conservative.no_significant_improvement") is improvement


@pytest.mark.parametrize(
    ("text", "radicular", "axial_predominant"),
    [
        ("Right neck pain; it does not go past the shoulder.", False, True),
        ("Low back pain that never travels below the buttock.", False, True),
        ("Right low back pain at the belt line; nothing below the buttock.", False, True),
        ("Low back pain radiating down the left leg to the foot.", True, None),
    ],
)
def test_axial_pain_that_stops_before_the_limb_is_predominantly_axial(
    text: str, radicular: bool, axial_predominant: bool | None
) -> None:
    found = facts(f"HPI: {text}")
    assert value(found, "neuro.radicular_pain") is radicular
    assert value(found, "pain.axial_predominant") is axial_predominant


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "She works as a pharmacy technician and can no longer look down at the tray for more "
            "than a few minutes, and hanging washing on the line brings the pain on.",
            ["working", "housework"],
        ),
        ("She works as a pharmacy technician and hangs the washing on the line.", None),
    ],
)
def test_limits_said_as_minutes_of_tolerance(text: str, expected: list[str] | None) -> None:
    assert value(facts(f"HPI: neck pain for two years. {text}"), "function.adls_impaired") == (
        expected
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She had a bout of right-sided sciatica in 2019 which settled fully with physio.", False),
        ("Right-sided sciatica for six weeks, still present.", True),
    ],
)
def test_a_past_episode_that_settled_is_not_current_radicular_pain(
    text: str, expected: bool
) -> None:
    assert value(
        facts(f"HPI: left buttock pain. {text}", code="27096"), "neuro.radicular_pain"
    ) is (expected)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("History of cancer                         N", False),
        ("History of cancer                         Y     breast, 2019", True),
    ],
)
def test_a_questionnaire_row_answered_in_a_yes_no_column(row: str, expected: bool) -> None:
    text = f"PATIENT HEALTH QUESTIONNAIRE\nPlease answer Y or N:\n{row}\nDiabetes        N\n"
    assert value(facts(text, code="62323"), "contra.malignancy") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HPI: low back pain.\n[Carried forward from visit of 03/12/2024]\n\"LBP radiating down "
         "the L leg x 3 wks.\"\n[Interval update 11/04/2026]\nLow back pain for two years; denies "
         "leg pain.", False),
        ("HPI: low back pain radiating down the left leg for two years.", True),
    ],
)  # fmt: skip
def test_text_carried_forward_from_an_older_visit_is_not_todays_state(
    text: str, expected: bool
) -> None:
    assert value(facts(text), "neuro.radicular_pain") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flexion-extension films ordered to evaluate for dynamic instability.", None),
        ("MBB provided the films do not show dynamic instability.", None),
        ("Flexion-extension films show no dynamic instability.", False),
        ("Flexion-extension films show dynamic instability at L4-5.", True),
    ],
)
def test_looking_for_instability_is_not_finding_or_excluding_it(
    text: str, expected: bool | None
) -> None:
    assert value(facts(f"HPI: axial low back pain.\n{text}"), "facet.dynamic_instability") is (
        expected
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She has had to stop teaching and cannot blow-dry her hair.", ["working", "bathing"]),
        ("She teaches full time and styles her own hair.", None),
    ],
)
def test_work_and_grooming_limits_in_other_words(text: str, expected: list[str] | None) -> None:
    assert value(facts(f"HPI: neck and arm pain since June. {text}"), "function.adls_impaired") == (
        expected
    )


def test_a_prior_procedure_beside_a_prior_authorization_is_still_history() -> None:
    found = facts(
        "PRIOR AUTHORIZATION - LUMBAR TFESI\nHPI: leg pain. Prior ESI 03/2026 helped for a month.",
        code="64483",
    )
    assert [e.type for e in found.procedures.prior or []] == ["esi"]


def test_a_procedure_word_outside_a_machine_name_is_still_a_mention() -> None:
    found = facts(
        "HPI: leg pain.\nPlan: left L5-S1 ESI (epidural steroid injection).", code="64483"
    )
    assert value(found, "planned.procedure_type") == "esi"


@pytest.mark.parametrize(
    ("text", "cauda_equina", "infection"),
    [
        ("ROS: Specifically neg: incontinence, retention, saddle numbness, fever, night sweats.",
         False, False),
        ("ROS: negative: fever, chills, saddle anesthesia.", False, False),
        ("ROS: Pertinent negatives: urinary retention, fever.", False, False),
        # the positives of the same review, and a symptom told in the history, stay affirmed
        ("ROS: Positive: saddle numbness, urinary retention. Neg: fever.", True, False),
        ("HPI: new saddle numbness and urinary retention since Tuesday.", True, None),
    ],
)  # fmt: skip
def test_a_list_after_neg_colon_is_negated(
    text: str, cauda_equina: bool, infection: bool | None
) -> None:
    found = facts(text, code="64483")
    assert value(found, "contra.cauda_equina") is cauda_equina
    assert value(found, "contra.systemic_infection") is infection


@pytest.mark.parametrize(
    ("exam", "radicular"),
    [
        ("Spurling's test is negative on both sides for any arm symptoms.", False),
        ("Spurling's maneuver reproduces only local neck pain on the left.", False),
        ("Spurling's test is positive on the left, reproducing pain into the thumb.", True),
    ],
)
def test_a_maneuver_that_brings_on_no_limb_symptoms_is_not_radicular(
    exam: str, radicular: bool
) -> None:
    found = facts(f"HPI: left-sided neck pain for five months.\nEXAM: {exam}", code="64490")
    assert value(found, "neuro.radicular_pain") is radicular


@pytest.mark.parametrize(
    ("text", "infection"),
    [
        (
            "ROS: he has no bowel change, and he is negative for fever, chills or night sweats.",
            False,
        ),
        ("ROS: she was negative for fever and chills.", False),
        ("ROS: fever and chills for two days; flu test is negative.", True),
    ],
)
def test_is_negative_for_negates_what_follows(text: str, infection: bool) -> None:
    assert value(facts(text, code="64483"), "contra.systemic_infection") is infection


_TABLE = (
    "SECTION C - CLINICAL FINDINGS                        YES    NO\n"
    "Radicular pain in a dermatomal distribution          [X]    [ ]\n"
    "Bowel or bladder dysfunction                         {bowel}\n"
    "Known malignancy                                     [ ]    [X]\n"
)


@pytest.mark.parametrize(
    ("boxes", "cauda_equina"),
    [("[ ]    [X]", False), ("[X]    [ ]", True), ("[ ]    [ ]", None)],
)
def test_a_box_table_answers_by_its_header_columns(boxes: str, cauda_equina: bool | None) -> None:
    found = facts("HPI: right arm pain.\n\n" + _TABLE.format(bowel=boxes), code="62321")
    assert value(found, "contra.cauda_equina") is cauda_equina
    assert value(found, "contra.malignancy") is False
    assert value(found, "neuro.radicular_pain") is True


@pytest.mark.parametrize(
    ("boxes", "cauda_equina"),
    [
        ("[ ]   [x]   [ ]", False),
        ("[x]   [ ]   [ ]", True),
        ("[ ]   [ ]   [x]", None),  # N/A answers neither way
        ("[ ]   [ ]   [ ]", None),
    ],
)
def test_a_box_table_with_a_not_applicable_column(boxes: str, cauda_equina: bool | None) -> None:
    table = (
        "CHECKLIST                                            Yes   No   N/A\n"
        f"Bowel or bladder dysfunction                         {boxes}\n"
        "Known malignancy                                     [ ]   [x]   [ ]\n"
    )
    found = facts("HPI: right arm pain.\n\n" + table, code="62321")
    assert value(found, "contra.cauda_equina") is cauda_equina
    assert value(found, "contra.malignancy") is False


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("Low back pain that came on after a week of heavy lifting, for 6 months now.", 6.0),
        ("He had ten days of antibiotics last year; low back pain for 4 months.", 4.0),
        ("5 months of left-sided low back and buttock pain.", 5.0),
    ],
)
def test_a_duration_of_something_else_is_not_the_pains(sentence: str, months: float) -> None:
    assert value(facts(f"HPI: {sentence}"), "symptoms.duration_months") == months


@pytest.mark.parametrize(
    ("line", "cauda_equina", "infection"),
    [
        ("ROS negs: fever, chills, saddle numbness.", False, False),
        ("ROS (-) fever, chills, bowel/bladder incontinence.", False, False),
        ("ROS: Fever - N, Chills - N, Bladder incontinence - N", False, False),
        ("Fever: no. Chills: no. Urinary retention: no.", False, False),
        # answered yes, or told in the history: affirmed
        ("ROS: Fever: yes. Urinary retention: yes.", True, True),
        ("Fever since Tuesday, with chills and urinary retention.", True, True),
    ],
)
def test_review_of_systems_answers_in_shorthand(
    line: str, cauda_equina: bool, infection: bool
) -> None:
    found = facts(f"HPI: leg pain.\n{line}", code="64483")
    assert value(found, "contra.cauda_equina") is cauda_equina
    assert value(found, "contra.systemic_infection") is infection


@pytest.mark.parametrize(
    ("sentence", "radicular"),
    [
        ("Aching pain radiating into the right buttock but not below the gluteal fold.", False),
        ("Neck pain radiates to the R upper trapezius/shoulder blade, not into the arm.", False),
        ("Pain R neck, radiates to R upper trap + medial scapular border, not into arm.", False),
        ("Neck pain radiates to the R trap and down the arm to the hand.", True),
        ("LBP radiating down the L leg, not into the R leg.", True),
        ("Pain radiates into the right buttock and down the back of the thigh to the calf.", True),
        ("Back pain radiates down both lower extremities.", True),
    ],
)
def test_radiation_that_stops_at_the_girdle_is_not_radicular(
    sentence: str, radicular: bool
) -> None:
    found = facts(f"HPI: chronic low back pain for a year. {sentence}")
    assert (value(found, "neuro.radicular_pain") is True) is radicular


_PIPE_TABLE = (
    "HPI: leg pain after two operations.\n\n| Item | Yes | No | Comment |\n"
    "| Untreated substance use disorder | {answer} | PDMP reviewed |\n"
    "| Anticoagulant / antiplatelet therapy | | X | |\n"
)


@pytest.mark.parametrize(
    ("answer", "addiction"),
    [(" | X", False), ("X | ", True), (" | ", None)],
)
def test_a_pipe_table_answers_by_its_yes_no_columns(answer: str, addiction: bool | None) -> None:
    found = facts(_PIPE_TABLE.format(answer=answer), code="63650")
    assert value(found, "stimulator.untreated_addiction") is addiction
    assert value(found, "contra.anticoagulant") is False


_PROBLEMS = (
    "HPI: axial low back pain for 20 months.\nPROBLEM LIST\n"
    "Malignant neoplasm of left breast (C50.412) - dx 2014, lumpectomy + radiation 2014-2015; "
    "{cancer}\nCellulitis of right lower limb (L03.115) - 08/2019 - {cellulitis}\n"
)


@pytest.mark.parametrize(
    ("cancer", "cellulitis", "malignancy", "infection"),
    [
        ("RESOLVED - no evidence of recurrence", "RESOLVED", False, False),
        ("active - on chemotherapy", "active", True, True),
    ],
)
def test_a_problem_marked_resolved_is_not_todays_state(
    cancer: str, cellulitis: str, malignancy: bool, infection: bool
) -> None:
    found = facts(_PROBLEMS.format(cancer=cancer, cellulitis=cellulitis))
    assert value(found, "contra.malignancy") is malignancy
    assert value(found, "contra.local_infection") is infection
    assert value(found, "neuro.radicular_pain") is not True  # "radiation 2014-2015" is therapy


@pytest.mark.parametrize(
    ("sentence", "trauma"),
    [
        ("I mowed the whole yard Sunday, first time since last fall.", None),
        ("Pain began in the fall of 2025.", None),
        ("She had a fall on the ice last week.", True),
        ("He felt a pop after the fall.", True),
        ("Denies any fall or injury.", False),
        # a near-fall is a stumble caught, not an injury
        ("Gabapentin stopped after 3 weeks for dizziness and one near-fall.", None),
        ("He had a near fall on the stairs in June.", None),
    ],
)
def test_a_fall_is_an_injury_not_the_season(sentence: str, trauma: bool | None) -> None:
    assert value(facts(f"HPI: {sentence}", code="64483"), "contra.acute_trauma") is trauma


@pytest.mark.parametrize(
    ("sentence", "hold_planned"),
    [
        ("From a cardiac standpoint she may hold apixaban for 3 days before the procedure.", True),
        ("Recommendation: OK to hold Eliquis prior to the injection.", True),
        ("Plavix to be held x7 days prior per cardiology.", True),
        ("Hold warfarin 5 days before the ESI; INR the morning of.", True),
        ("Will need to hold apixaban before the procedure - will coordinate.", None),
        ("Cardiology: apixaban should not be stopped for this procedure.", None),
        ("Unable to hold Plavix for 7 days given the recent stent.", None),
        ("Do not hold apixaban for 3 days: mechanical valve.", None),
    ],
)
def test_a_plan_to_hold_the_anticoagulant_is_read_only_when_settled(
    sentence: str, hold_planned: bool | None
) -> None:
    found = facts(f"HPI: low back and leg pain.\nMeds: apixaban 5 mg bid.\nPLAN: {sentence}")
    assert value(found, "contra.anticoagulant") is True
    assert value(found, "contra.anticoagulant_hold_planned") is hold_planned


@pytest.mark.parametrize(
    ("line", "anticoagulant"),
    [
        ("Anticoagulation status: Not on anticoagulation or antiplatelet therapy", False),
        ("Anticoagulation status: apixaban 5 mg bid", True),
        ("Anticoagulation status: yes", True),
        ("Anticoagulants: none", False),
        ("Anticoagulants: Eliquis 5 mg bid", True),
        # an antiplatelet field answered with aspirin or none names no blood thinner
        ("Anticoagulant: [X] None   Antiplatelet: aspirin 81 mg daily", False),
        ("Antiplatelet therapy: none", None),
        ("Antiplatelet: clopidogrel 75 mg - hold x7 days", True),
        ("On antiplatelet therapy (clopidogrel) after his stent.", True),
    ],
)
def test_a_forms_field_name_is_not_its_answer(line: str, anticoagulant: bool | None) -> None:
    found = facts(f"HPI: low back pain radiating to the left leg for 3 months.\nPMH: HTN.\n{line}")
    assert value(found, "contra.anticoagulant") is anticoagulant


@pytest.mark.parametrize(
    ("sentence", "cauda_equina"),
    [
        ("Red flags reviewed; to ED for B/B changes or saddle numbness.", None),
        ("Return precautions given for saddle numbness or bladder changes.", None),
        ("New saddle numbness since Tuesday.", True),
    ],
)
def test_what_to_come_back_for_is_not_what_the_patient_has(
    sentence: str, cauda_equina: bool | None
) -> None:
    found = facts(f"HPI: left leg pain for 3 months.\nPLAN: L5-S1 ESI. {sentence}", code="62323")
    assert value(found, "contra.cauda_equina") is cauda_equina


@pytest.mark.parametrize(
    ("sentence", "fusions"),
    [
        ("FAMILY HISTORY: brother had a lumbar fusion at L4-5 in his forties.", 0),
        ("Family hx notable: his sister had an L5-S1 fusion.", 0),
        ("PSH: L4-5 fusion 2019.", 1),
    ],
)
def test_a_relatives_surgery_is_not_the_patients(sentence: str, fusions: int) -> None:
    found = facts(f"HPI: axial low back pain for 2 years.\n{sentence}")
    prior = found.surgery.prior or []
    assert sum(event.type == "fusion" for event in prior) == fusions


@pytest.mark.parametrize(
    ("sentence", "radiculopathy"),
    [
        ("Hx R L5-S1 microdiscectomy 2018 for R S1 radiculopathy with full resolution.", None),
        ("L L5 radiculopathy 2022 - resolved after one TFESI.", False),
        ("R S1 radiculopathy 2018, resolved, now recurred with leg pain since May.", True),
        ("R S1 radiculopathy 2018, partially resolved after surgery.", True),
    ],
)
def test_a_past_problem_that_went_away_is_not_todays(
    sentence: str, radiculopathy: bool | None
) -> None:
    found = facts(f"HPI: axial low back pain for 2 years, no leg symptoms now.\nPMH: {sentence}")
    assert value(found, "neuro.radiculopathy") is radiculopathy


@pytest.mark.parametrize(
    ("sentence", "radicular"),
    [
        ("Her prior leg pain (pre-fusion) was L5 on the left and has not recurred.", None),
        ("Her prior leg pain (pre-fusion) was L5 on the left and has recurred since May.", True),
    ],
)
def test_a_past_leg_pain_that_has_not_recurred_is_not_todays(
    sentence: str, radicular: bool | None
) -> None:
    found = facts(f"HPI: R buttock pain for 8 months.\n{sentence}", code="27096")
    assert value(found, "neuro.radicular_pain") is radicular


@pytest.mark.parametrize(
    ("sentence", "score"),
    [
        ("Pain is back near baseline, 7/10 today, 6-8/10 most days.", 7.0),
        ("Pain was 2/10 after the block.", None),
    ],
)
def test_a_score_dated_today_is_todays_whatever_comes_before(
    sentence: str, score: float | None
) -> None:
    found = facts(f"HPI: axial low back pain. {sentence}")
    assert value(found, "pain.score") == score


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        (
            "Pain started creeping back around the holidays and over the last 6-8 weeks is worse.",
            None,
        ),
        ("The pain came back 6 weeks ago.", None),
        ("Low back pain for the last 8 months, worse with standing.", 8.0),
    ],
)
def test_a_recurrences_weeks_are_not_the_conditions(sentence: str, months: float | None) -> None:
    assert value(facts(f"HPI: {sentence}"), "symptoms.duration_months") == months


def test_a_sentence_placing_the_pain_tells_its_side() -> None:
    found = facts("HPI: 63M presents for evaluation.\nLocated across low back on the right side.")
    assert value(found, "pain.side") == "right"


@pytest.mark.parametrize(
    ("line", "anticoagulant"),
    [
        ("MEDICATIONS\napixaban 5 mg tab - DISCONTINUED 01/15/2020 (course complete)", False),
        ("PMH: AF, anticoagulation stopped 03/2024 per cardiology, no recurrence.", False),
        ("PMH: DVT 2019, completed 6 mo anticoag, off since 2020.", False),
        (
            "Meds: apixaban 5 mg bid; stopped 3 days prior to the last injection per cardiology.",
            True,
        ),
        ("Meds: apixaban 5 mg bid.", True),
    ],
)
def test_a_medicine_stopped_for_good_is_not_taken_now(line: str, anticoagulant: bool) -> None:
    found = facts(f"HPI: left leg pain for 3 months.\n{line}", code="64483")
    assert value(found, "contra.anticoagulant") is anticoagulant


@pytest.mark.parametrize(
    ("course", "completed"),
    [
        (
            "PT from September fifteenth through November third; at discharge pain was the same.",
            True,
        ),
        ("Physical therapy from 09/15 to 11/03, twice a week.", True),
        ("Physical therapy from September through now, twice a week.", None),
    ],
)
def test_a_therapy_course_that_ended_is_completed(course: str, completed: bool | None) -> None:
    assert (
        value(facts(f"HPI: neck pain for a year. {course}"), "conservative.completed") is completed
    )


@pytest.mark.parametrize(
    ("letter", "done"),
    [
        (
            "Dear Dr A, he says the foot is weak. On examination, however, power was full (MRC "
            "grade 5) throughout both lower limbs.",
            True,
        ),
        ("Dear Dr A, he says the foot is weak and power feels reduced to him.", None),
    ],
)
def test_an_examination_reported_in_a_letter_is_an_examination(
    letter: str, done: bool | None
) -> None:
    assert value(facts(letter, code="64483"), "neuro.physical_exam_completed") is done


@pytest.mark.parametrize(
    ("sentence", "no_improvement"),
    [
        ("PT discharge: plateau over the last 8 weeks, no progress toward goals.", True),
        ("Gabapentin and a prednisone taper - minimal/temporary help.", True),
        ("PT discharge: goals met, pain 1/10, independent with HEP.", None),
    ],
)
def test_gains_that_stopped_are_no_significant_improvement(
    sentence: str, no_improvement: bool | None
) -> None:
    found = facts(f"HPI: low back pain for a year. PT x 8 wks. {sentence}")
    assert value(found, "conservative.no_significant_improvement") is no_improvement


@pytest.mark.parametrize(
    ("sentence", "ongoing"),
    [
        ("HEP (flexion-based, from PT 2025) daily - still doing.", True),
        ("Home exercise program most days since discharge.", True),
        ("Was given a HEP in 2024.", None),
    ],
)
def test_a_home_program_kept_up_now_is_ongoing(sentence: str, ongoing: bool | None) -> None:
    assert (
        value(facts(f"HPI: low back pain for a year. {sentence}"), "conservative.ongoing")
        is ongoing
    )


@pytest.mark.parametrize(
    ("exam", "consistent"),
    [
        ("Lumbar: TTP bilat paraspinals over L4-5 & L5-S1 facets; facet loading pos bilat.", True),
        ("Lumbar: ext + rotation reproduces LBP bilat.", True),
        ("Lumbar: extension and extension-rotation do not reproduce her pain.", False),
    ],
)
def test_the_facet_examination_in_shorthand(exam: str, consistent: bool) -> None:
    found = facts(f"HPI: axial low back pain for 9 months.\nO:\n{exam}")
    assert value(found, "facet.exam_consistent") is consistent


@pytest.mark.parametrize(
    ("sentence", "impairment"),
    [
        ("The pain does not interfere significantly with his quality of life.", False),
        ("The pain interferes markedly with her daily life and work.", True),
    ],
)
def test_what_the_pain_does_to_daily_life(sentence: str, impairment: bool) -> None:
    found = facts(f"HPI: right arm pain for 6 months. {sentence}", code="62321")
    assert value(found, "function.impairment") is impairment


@pytest.mark.parametrize(
    ("sentence", "region"),
    [
        ("His back history is significant for two laminectomies performed in 1990.", "lumbar"),
        ("She is status post posterior fusion and lumbar decompression in 2019.", "lumbar"),
        ("Cervical radiculopathy 2019 - better after ACDF.", "cervical"),
        ("Laminectomy 2015 at an outside hospital.", None),
        ("Neck and back surgeries in 2015.", None),
    ],
)
def test_a_surgerys_region_from_the_words_around_it(sentence: str, region: str | None) -> None:
    found = facts(f"HPI: leg pain for 6 months.\nPSH: {sentence}", code="64483")
    [surgery, *_] = found.surgery.prior or [None]
    assert surgery is not None and surgery.region == region


def test_a_stated_absence_stays_absent_beside_a_recurrent_diagnosis() -> None:
    line = (
        "DIAGNOSES: F33.41 MDD, recurrent; F10.21 Alcohol use disorder, severe, in sustained"
        " remission."
    )
    found = facts(f"HPI: burning leg pain since a 2022 laminectomy.\n{line}", code="63650")
    assert value(found, "stimulator.untreated_addiction") is not True


@pytest.mark.parametrize(
    ("sentence", "score"),
    [
        ("Back pain minor (2/10); leg 8/10.", 8.0),
        ("Pain 6/10 at rest, 8/10 with activity.", 6.0),
        ("Arm pain 7/10 most of the day, 8-9/10 at night; neck 3/10.", 7.0),
    ],
)
def test_the_worst_sites_score_but_one_sites_first(sentence: str, score: float) -> None:
    assert value(facts(f"HPI: pain for 6 months. {sentence}", code="64483"), "pain.score") == score


def test_a_copied_forward_visits_score_is_that_visits() -> None:
    note = (
        "INTERVAL HISTORY\nBack to 7/10 most days.\n\nHISTORY OF PRESENT ILLNESS  [carried forward"
        " from visit 06/14/2023 - not updated]\nHe reports leg pain currently 3/10.\n"
    )
    assert value(facts(note, code="64635"), "pain.score") == 7.0


@pytest.mark.parametrize(
    ("text", "instability"),
    [
        ("PT: prone instability test negative; no clinical signs of segmental instability.", None),
        ("XR flexion/extension 02/2024: no instability.", False),
        ("Spondylolisthesis with dynamic instability: Yes [ ] No [x]", False),
        ("Flexion/extension radiographs: 5 mm translation, dynamic instability at L4-5.", True),
    ],
)
def test_dynamic_instability_is_what_the_films_show(text: str, instability: bool | None) -> None:
    found = facts(f"HPI: axial low back pain for a year.\n{text}")
    assert value(found, "facet.dynamic_instability") is instability


@pytest.mark.parametrize(
    ("sentence", "separate"),
    [
        ("IMPORTANT: the two procedures in different days, not the same day.", True),
        ("Same-day procedures?   [ ] Yes   [X] No - separate sessions", True),
        ("ESI and facet block together under one sedation.", None),
    ],
)
def test_procedures_on_separate_days_are_separate_sessions(
    sentence: str, separate: bool | None
) -> None:
    found = facts(f"HPI: neck and back pain.\nPlan: C6-7 ESI; lumbar MBB. {sentence}", code="62321")
    assert (value(found, "planned.same_session_procedures") == []) is bool(separate)


@pytest.mark.parametrize(
    ("line", "radicular"),
    [
        ("PMH: breast cancer 2018, lumpectomy and whole-breast radiation, no recurrence.", None),
        ("Current chemo/radiation: [ ] Y [x] N", None),
        ("Pain with radiation into the left calf and foot.", True),
    ],
)
def test_radiation_as_a_treatment_is_not_radiating_pain(line: str, radicular: bool | None) -> None:
    found = facts(f"HPI: low back pain for 16 months.\n{line}", code="64635")
    assert value(found, "neuro.radicular_pain") is radicular


@pytest.mark.parametrize(
    ("sentence", "radicular"),
    [
        ("Episode of L sided sciatica 2019, settled w/ physio in ~8 wks, no leg sx since.", False),
        ("Sciatica in 2021 that subsided with a course of physiotherapy.", False),
        # one that came back is today's
        ("Sciatica in 2021 settled, but came back in May with L leg pain to the foot.", True),
    ],
)
def test_a_past_episode_said_to_have_settled_is_not_todays(
    sentence: str, radicular: bool | None
) -> None:
    found = facts(f"HPI: R buttock pain over the SI joint for 6 months.\nPMH: {sentence}")
    assert value(found, "neuro.radicular_pain") is radicular


@pytest.mark.parametrize(
    ("sentence", "inflammatory"),
    [
        ("Known seropositive rheumatoid arthritis on methotrexate.", True),
        # a question the note asks, or what a work-up looked for, is not a finding
        ("Worked up by rheumatology 03/2025 for ?inflammatory arthritis - felt to be OA.", None),
        ("Evaluated for inflammatory arthritis; serology negative.", False),
        ("No clinical or serological evidence of an inflammatory arthropathy.", False),
    ],
)
def test_a_queried_or_worked_up_condition_is_not_found(
    sentence: str, inflammatory: bool | None
) -> None:
    found = facts(f"HPI: axial neck pain for 2 years.\nPMH: {sentence}", code="64490")
    assert value(found, "facet.inflammatory_arthropathy") is inflammatory


@pytest.mark.parametrize(
    ("ros", "infection"),
    [
        # a review of systems written with minus signs denies each item
        ("ROS:\n  - fever, - chills, - chest pain, - bowel/bladder incontinence\n", None),
        ("ROS:\n  + fever, + chills, - chest pain\n", True),
        # a single dash bullet is a list item, not a denial
        ("Problems:\n- fever and chills since Monday, on antibiotics for pneumonia\n", True),
    ],
)
def test_a_review_of_systems_written_with_minus_signs(ros: str, infection: bool | None) -> None:
    found = facts(f"HPI: L arm pain for 3 months.\n{ros}", code="62321")
    assert (value(found, "contra.systemic_infection") is True) is (infection is True)


@pytest.mark.parametrize(
    ("line", "anticoagulant"),
    [
        ("apixaban 5 mg BID ............. DISCONTINUED 01/10/2025 - 6 months completed", False),
        ("apixaban 5 mg BID ................... active", True),
    ],
)
def test_a_medicine_list_with_dot_leaders_reads_its_status(line: str, anticoagulant: bool) -> None:
    found = facts(f"HPI: L arm pain for 3 months.\nMedications:\n  {line}\n", code="62321")
    assert (value(found, "contra.anticoagulant") is True) is anticoagulant


@pytest.mark.parametrize(
    ("text", "completed"),
    [
        ("PT 2x/week x 6 weeks. No significant change in pain. Plan: D/C to HEP; f/u MD.", True),
        ("He did a refresher course of physical therapy this summer, six weeks, twice a week.",
         True),
        ("PT RE-EVALUATION / DISCHARGE\nEpisode 07/20-08/28/2026, 12 visits.", True),
        # a course still running, or a home program alone, is not a completed course
        ("PT 2x/week, week 3 of 6. Continue HEP.", None),
        ("He will start a course of physical therapy next week.", None),
    ],
)  # fmt: skip
def test_a_course_ended_into_the_home_program_is_completed(
    text: str, completed: bool | None
) -> None:
    found = facts(f"HPI: axial low back pain for a year. {text}", code="64635")
    assert value(found, "conservative.completed") is completed


@pytest.mark.parametrize(
    ("text", "cauda_equina"),
    [
        ("She has no saddle anaesthesia and no change in bladder or bowel habit.", False),
        ("No B/B change, no saddle anaesthesia.", False),
        ("New saddle anaesthesia and bladder or bowel changes since Monday.", True),
    ],
)
def test_cauda_equina_in_british_and_clinic_shorthand(text: str, cauda_equina: bool) -> None:
    assert value(facts(f"HPI: left leg pain. {text}", code="64483"), "contra.cauda_equina") is (
        cauda_equina
    )


@pytest.mark.parametrize(
    "text",
    [
        "New bowel or bladder symptoms, go to the ER.",
        "He knows to go to the ED for any bladder or bowel change or saddle numbness.",
        "Saddle numbness or new weakness: call 911.",
    ],
)
def test_return_precautions_on_either_side_are_not_findings(text: str) -> None:
    found = facts(f"HPI: right leg pain.\nPlan: R L5-S1 TFESI. {text}", code="64483")
    assert value(found, "contra.cauda_equina") is not True


@pytest.mark.parametrize(
    ("text", "infection"),
    [
        (
            "She was instructed to seek immediate medical attention for fever, chills or new "
            "weakness.",
            None,
        ),
        (
            "POST PROCEDURE INSTRUCTIONS: asked to report to us any redness, swelling or fevers.",
            None,
        ),
        ("Call the office for fever over 101 or drainage from the site.", None),
        ("Febrile to 101.8 this morning with chills; UA pending.", True),
    ],
)
def test_instructions_on_when_to_seek_care_are_not_findings(
    text: str, infection: bool | None
) -> None:
    found = facts(f"HPI: left leg pain for 3 months.\nPlan: L TFESI L5-S1. {text}", code="64483")
    assert value(found, "contra.systemic_infection") is infection


@pytest.mark.parametrize(
    ("title", "radicular"),
    [
        ("Procedure note", True),  # the packet's only note: its indications are the history
        ("Office visit", True),
    ],
)
def test_a_record_of_only_a_procedure_note_tells_the_patients_state(
    title: str, radicular: bool
) -> None:
    text = (
        "PROCEDURE: Left L4-L5 transforaminal epidural steroid injection.\n"
        "PATIENT PROFILE: 52-year-old with left leg pain radiating to the L5 dermatome "
        "distribution for four months.\n"
        "DESCRIPTION OF PROCEDURE: The patient was placed prone. 1 mL Omnipaque was injected."
    )
    found = extract_facts(note_case((title, "2026-09-01", text), code="64483"))
    assert value(found, "neuro.radicular_pain") is radicular
    assert value(found, "neuro.radicular_side") == "left"


def test_a_procedure_note_beside_an_office_note_does_not_speak_for_today() -> None:
    procedure = (
        "PROCEDURE: Left L4-L5 transforaminal epidural steroid injection.\n"
        "INDICATIONS: left leg pain radiating to the L5 dermatome distribution, 8/10."
    )
    office = "HPI: Leg pain resolved after the injection; now 2/10 axial back ache only."
    record = note_case(
        ("Procedure note", "2026-03-01", procedure),
        ("Office visit", "2026-09-01", office),
        code="64483",
    )
    found = extract_facts(record)
    assert value(found, "pain.score") == 2


@pytest.mark.parametrize(
    ("line", "pregnant"),
    [
        ("Pregnancy: not currently pregnant - urine hCG neg in clinic today.", False),
        ("Pregnancy status: not pregnant.", False),
        ("Pregnancy: currently pregnant, 14 weeks.", True),
    ],
)
def test_a_field_whose_answer_names_it_again_is_read_from_the_answer(
    line: str, pregnant: bool
) -> None:
    found = facts(f"HPI: left buttock pain for 4 months.\n{line}", code="27096")
    assert (value(found, "patient.pregnant") is True) is pregnant


@pytest.mark.parametrize(
    ("history", "side"),
    [
        # an episode told in the past with a date long before the note is not today's side
        ("In the autumn of 2024 he had LEFT-sided L4 radicular pain (MRI 10/02/2024).", "right"),
        ("He had left S1 radicular pain in 2023 after a fall.", "right"),
        ("He has had left L5 radicular pain since 08/2026.", "left"),  # recent: still today's
    ],
)
def test_an_earlier_episode_does_not_tell_todays_side(history: str, side: str) -> None:
    text = f"HPI: {history} Now right leg radicular pain down the lateral calf for 6 weeks."
    assert value(facts(text, code="64483"), "neuro.radicular_side") == side


@pytest.mark.parametrize(
    ("text", "pregnant"),
    [
        ("PMH: GDM with 2nd pregnancy (2024), now prediabetes; migraine.", None),
        ("HPI: right buttock pain. She is 20 weeks pregnant.", True),
    ],
)
def test_a_past_pregnancy_in_the_history_is_not_todays(text: str, pregnant: bool | None) -> None:
    assert value(facts(f"{text}\nPlan: right SI joint injection.", code="27096"),
                 "patient.pregnant") is pregnant  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "fused"),
    [
        # a level named as next to the fusion, or told in a time from it, is no fusion there
        ("PSH: L5-S1 fusion 2019. A: L4-5 facet-mediated pain (adjacent segment above fusion).",
         [["L5-S1"]]),
        ("PSH: L5-S1 fusion 2019. Problem: radiculopathy L5 R (resolved 2019 post fusion).",
         [["L5-S1"]]),
        ("PSH: L4-5 fusion 2018. A: L3-4 stenosis at the level above the prior fusion.",
         [["L4-L5"]]),
        ("PSH: C5-6 fusion 2016. Arm numbness C6, better after the fusion.", [["C5-C6"]]),
        # an operation only raised as a possibility was never done
        ("A surgeon raised the possibility of an L4-5 fusion at some point in the future.", []),
        ("Ortho mentioned the possibility of L5-S1 fusion; she declined.", []),
        # a fusion told as done stays
        ("PSH: L4-5 and L5-S1 fusion 2020 (Dr. Kim).", [["L4-L5", "L5-S1"]]),
    ],
)  # fmt: skip
def test_a_level_beside_a_fusion_or_a_fusion_only_raised_is_not_fused(
    sentence: str, fused: list[list[str]]
) -> None:
    found = facts(f"HPI: axial low back pain for 2 years.\n{sentence}")
    assert [e.levels for e in found.surgery.prior or [] if e.type == "fusion" and e.levels] == fused


@pytest.mark.parametrize(
    ("sentence", "unchanged"),
    [
        ("The physiotherapy report that came with your referral relates to her left shoulder "
         "rather than her back, so it doesn't help us here.", None),
        ("The outside chiropractic summary is illegible and does not help me with the dates.",
         None),
        # said of the patient's care it still reads as no improvement
        ("Eight weeks of physiotherapy did not help her leg pain.", True),
    ],
)  # fmt: skip
def test_a_document_that_does_not_help_the_reviewer_says_nothing_of_the_pain(
    sentence: str, unchanged: bool | None
) -> None:
    text = f"HPI: leg pain on walking. {sentence}"
    assert value(facts(text, code="62323"), "conservative.no_significant_improvement") is unchanged


@pytest.mark.parametrize(
    ("report", "tumor"),
    [
        ("An atypical hemangioma is possible; an osseous metastasis cannot be excluded.", None),
        ("Indeterminate 7 mm lesion in the L5 vertebral body; recommend bone scan.", None),
        ("Osseous metastasis in the L5 vertebral body.", True),
    ],
)
def test_a_lesion_the_radiologist_leaves_open_is_no_spinal_tumor(
    report: str, tumor: bool | None
) -> None:
    found = extract_facts(
        note_case(
            ("Office note", "2026-09-01", "HPI: axial low back pain for 2 years."),
            ("MRI lumbar spine", "2026-08-20", f"FINDINGS: Modic type 1 at L4-L5. {report}"),
            code="64628",
        )
    )
    assert value(found, "contra.spinal_tumor") is tumor
    flags = [f.tumor for s in found.imaging.studies or [] for f in s.findings if f.tumor]
    assert bool(flags) is bool(tumor)


@pytest.mark.parametrize(
    ("exam", "completed"),
    [
        # a video visit that could not examine, and an exam carried forward from an older visit
        ("PHYSICAL EXAM:\nLimited - video visit. Walks on camera with a limp favoring R. Unable to "
         "assess strength, sensation, reflexes or SLR via video.\n--- Exam (carried forward from "
         "03/04/2025 office visit) ---\nSLR neg bilat. Strength 5/5 BLE. DTRs 2+ and symm.",
         False),
        ("PHYSICAL EXAM:\nSLR positive on the right at 40 degrees. Strength 5/5 BLE. DTRs 2+.",
         True),
        # a telephone visit's exam template: nobody examined him
        ("Encounter type: Telephone visit (audio only).\nPhysical Exam:\nNeurological: He has "
         "normal strength. He displays normal reflexes. No sensory deficit. Gait normal.", None),
        ("Encounter type: video visit; audio only for the last 5 minutes.\nPhysical Exam:\n"
         "Neurological: SLR positive on the right. Strength 5/5 BLE. DTRs 2+.", True),
        # an office visit that cites an earlier call is itself an exam
        ("Prior contact: telephone visit 10/14 (no exam - audio only).\nPhysical Exam:\n"
         "SLR positive on the right at 40 degrees. Strength 5/5 BLE. DTRs 2+.", True),
    ],
)  # fmt: skip
def test_an_exam_not_done_today_is_not_a_completed_exam(exam: str, completed: bool) -> None:
    found = facts(f"HPI: right leg pain radiating to the foot for 3 months.\n{exam}", code="62323")
    assert value(found, "neuro.physical_exam_completed") is completed


@pytest.mark.parametrize(
    ("text", "pregnant"),
    [
        # a pregnancy told of the past, or the guideline's words about pregnancy, beside a negative
        # answer today
        ("HPI: right buttock pain that started during her second pregnancy and never went away "
         "after delivery.", None),
        ("HPI: right buttock pain. Prior tx: SI injection in 2024 after her 2nd pregnancy.", None),
        ("HPI: right buttock pain. Ultrasound is reserved for pregnancy, and she is not pregnant; "
         "urine hCG neg today.", False),
        # a pregnancy now, and a reason given for the guidance that is no answer about her
        ("HPI: right buttock pain. She is 26 weeks pregnant. Ultrasound guidance (fluoroscopy not "
         "appropriate in pregnancy).", True),
        ("HPI: right buttock pain that started during her current pregnancy, now 24 weeks.", True),
    ],
)  # fmt: skip
def test_a_pregnancy_now_is_read_apart_from_past_ones(text: str, pregnant: bool | None) -> None:
    assert value(facts(f"{text}\nPlan: right SI joint injection.", code="27096"),
                 "patient.pregnant") is pregnant  # fmt: skip


@pytest.mark.parametrize(
    ("text", "radiculopathy"),
    [
        ("Remote L5-S1 microdiscectomy w/ resolved radiculopathy - current sx are axial.", False),
        ("Active left L5 radiculopathy with EHL weakness.", True),
    ],
)
def test_a_radiculopathy_named_as_resolved_is_not_present(text: str, radiculopathy: bool) -> None:
    assert value(facts(f"HPI: low back pain for 4 years. {text}"), "neuro.radiculopathy") is (
        radiculopathy
    )


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # a recurrence's weeks and a change of work hours are not how long the pain has lasted
        ("HPI: L buttock pain drifted back over the 2 wks after Easter; steady since mid April. "
         "The buttock pain has been there since her son's birth in 2022 (~3.5 yrs).", 42.0),
        ("HPI: R neck pain; she cut back from 8-hr to 4-hr shifts since June. Neck pain for "
         "about 10 months.", 10.0),
    ],
)  # fmt: skip
def test_a_recurrence_or_a_work_change_does_not_date_the_pain(text: str, months: float) -> None:
    assert value(facts(text, code="27096"), "symptoms.duration_months") == months


@pytest.mark.parametrize(
    ("plan", "region"),
    [
        ("PROCEDURE: Medial branch rhizotomy, lumbosacral.", "lumbar"),
        ("PROCEDURE: Medial branch rhizotomy, lumbo-sacral.", "lumbar"),
        ("PROCEDURE: Medial branch rhizotomy, cervical.", "cervical"),
    ],
)
def test_the_region_word_of_a_procedure(plan: str, region: str) -> None:
    record = note_case(("Procedure note", "2026-09-01", f"{plan}\nThe patient was placed prone."),
                       code="64635")  # fmt: skip
    assert value(extract_facts(record), "planned.region") == region


@pytest.mark.parametrize(
    ("today", "sulcus"),
    [
        # the newest visit could not examine: an older procedure-day exam is not today's
        ("HPI: R buttock pain back since August. Palpation and provocative maneuvers not "
         "performed (video).", None),
        ("HPI: R buttock pain back since August. Telephone visit; exam not performed.", None),
        ("HPI: R buttock pain back since August. Exam: tender R sacral sulcus, thigh thrust +.",
         True),
    ],
)  # fmt: skip
def test_a_deferred_exam_leaves_older_si_findings_unread(today: str, sulcus: bool | None) -> None:
    older = "Pre-procedure exam: thigh thrust + R, FABER + R. Tender R sacral sulcus below PSIS."
    found = extract_facts(
        note_case(
            ("Procedure note", "2026-06-14", older),
            ("Video visit", "2026-10-06", today),
            code="27096",
        )
    )
    assert value(found, "si.sulcus_tenderness") is sulcus


@pytest.mark.parametrize(
    ("sentence", "weeks"),
    [
        # a few therapy visits beside a home program taken up again are part of a longer course
        ("Since the recurrence she restarted her home program daily, plus 4 PT visits "
         "6/16-7/10/2026 - no real change.", None),
        ("He is back on his HEP every morning and did 3 PT sessions 8/04-8/20/2026.", None),
        ("PT 2x/wk 6/16-7/28/2026, no real change.", 6.0),
        ("PT 2x/wk 6/16-7/28/2026 and a home program, no real change.", 6.0),
    ],
)  # fmt: skip
def test_therapy_visits_beside_a_restarted_home_program_are_no_course_length(
    sentence: str, weeks: float | None
) -> None:
    found = facts(f"HPI: low back pain for a year, back since April. {sentence}\nPlan: MBB.")
    assert value(found, "conservative.duration_weeks") == weeks


@pytest.mark.parametrize(
    ("title", "pt"),
    [
        # a party's letter tells no clinical fact; a clinician's letter to the same party does
        ("Attorney letter to health plan", None),
        ("Treating physician letter to claims adjuster", True),
    ],
)
def test_a_party_to_a_claim_is_no_clinical_source(title: str, pt: bool | None) -> None:
    letter = "Our client has completed extensive physical therapy since January without relief."
    found = extract_facts(
        note_case(
            ("Office visit", "2026-09-01", "HPI: neck pain for a year. Plan: C5-6 MBB."),
            (title, "2026-09-05", letter),
            code="64490",
        )
    )
    assert value(found, "conservative.pt_formal") is pt


@pytest.mark.parametrize(
    ("history", "fracture"),
    [
        ("He has a T7 compression fracture from a fall in 2024 that healed without treatment.",
         None),
        ("New L1 compression fracture on today's films after a fall last week.", True),
    ],
)  # fmt: skip
def test_a_fracture_months_back_is_history(history: str, fracture: bool | None) -> None:
    found = facts(f"HPI: axial neck pain for 2 years. {history}", code="64490")
    assert value(found, "contra.spinal_fracture") is fracture


@pytest.mark.parametrize(
    ("assessment", "generator"),
    [
        ("A: Pain generator unclear - pars defects vs L4-5/L5-S1 facets.", True),
        (
            "Impression: suspect the L5 spondylolysis is the source of her pain more than the "
            "facets.",
            True,
        ),
        ("A: Facet-mediated pain; L1-L4 pars intact, no spondylolysis.", None),
        ("A: Facet arthropathy L4-5; no pars defect on CT.", None),
    ],
)
def test_a_pars_defect_weighed_as_the_pain_source(assessment: str, generator: bool | None) -> None:
    found = facts(f"HPI: axial low back pain for 9 months.\n{assessment}\nPlan: L4-5, L5-S1 MBB.")
    assert value(found, "facet.pars_defect_pain_generator") is generator


def test_the_site_of_a_score_some_words_before_it() -> None:
    text = (
        "HPI: Back pain settled to a dull 2-3/10 within two weeks but the leg pain has not: he "
        "rates the leg 7/10 on average, 9/10 at worst (mornings, after sitting), back 3/10."
    )
    assert value(facts(text, code="62323"), "pain.score") == 7


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        # the reason for a referral is what is to be done, not a procedure done
        ("EMG showed a C6 radiculopathy; referred here for ESI.", []),
        ("Dr. Amadi referred her to our clinic for a right SI joint injection.", []),
        ("He was sent here for lumbar medial branch blocks.", []),
        # a referral told beside a procedure that was done
        ("He was referred by Dr. Amadi after a L5-S1 TFESI in 03/2026 gave 60% relief.", ["esi"]),
        ("Referred for repeat injection: last TFESI 03/2026 gave 70% relief.", ["esi"]),
    ],
)
def test_the_reason_for_a_referral_is_no_procedure_done(sentence: str, types: list[str]) -> None:
    found = facts(f"HPI: pain for a year. {sentence}", code="62321")
    assert [e.type for e in found.procedures.prior or []] == types


@pytest.mark.parametrize(
    ("history", "radicular"),
    [
        # the referring clinician's reason is the question the consult was sent
        ('Ref: Dr. Amadi -- "neck pain, some R hand tingling, r/o radiculopathy."', None),
        ("Reason for referral: intermittent L arm tingling; eval before facet blocks.", None),
        # the consultant's own history of the same symptom is read
        ("HPI: intermittent R hand tingling into the thumb for 3 months.", True),
        ("She was referred by Dr. Amadi. R arm pain into the thumb for 3 months.", True),
    ],
)
def test_a_referral_reason_is_the_question_not_the_history(
    history: str, radicular: bool | None
) -> None:
    found = facts(f"{history}\nExam: Spurling negative.\nPlan: cervical MBB.", code="64490")
    assert value(found, "neuro.radicular_pain") is radicular


@pytest.mark.parametrize(
    ("notes", "radicular"),
    [
        # the clinician's "no radicular symptoms" outranks a form's ticked box
        ("The pain stays in the low back; no radicular symptoms, no radicular signs.", False),
        # with nothing said against it, the form's box stands
        ("Low back pain for 3 months.", True),
    ],
)
def test_the_clinician_outranks_a_forms_ticked_yes(notes: str, radicular: bool) -> None:
    form = ("Authorization request form", "2026-09-10",
            "Radicular symptoms: [X] Yes  [ ] No        Dermatome: bilat L4")  # fmt: skip
    found = extract_facts(note_case(("Office note", "2026-09-01", f"HPI: {notes}"), form))
    assert value(found, "neuro.radicular_pain") is radicular


@pytest.mark.parametrize(
    ("sentence", "radiculopathy"),
    [
        (
            'Referral diagnosis "lumbar radiculopathy" - not supported by history or exam today.',
            False,
        ),
        ("Cervical radiculopathy is not borne out by the EMG.", False),
        ("Left L5 radiculopathy, supported by the EMG and exam.", True),
    ],
)
def test_a_diagnosis_the_clinician_rejects(sentence: str, radiculopathy: bool) -> None:
    found = facts(f"HPI: low back pain.\nA/P: {sentence}", code="62323")
    assert value(found, "neuro.radiculopathy") is radiculopathy
