"""A dictated consult's and a procedure note's own ways of writing things (the real MTSamples
notes' styles, in words of our own): a normal exam told in full sentences, a dermatome named
beside normal ones, plural epidurals, a safety line before the drug, a numbered operation list.
Each with a form that must not be read so."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, facts, value


@pytest.mark.parametrize(
    ("exam", "reflex_change"),
    [
        ("Reflexes: Deep tendon reflexes were normoactive and symmetrical throughout.", False),
        ("Deep tendon reflexes are 2+ at the knees and ankles bilaterally.", False),
        ("Deep tendon reflexes are 2+ at the knees but absent at the left ankle.", True),
        ("Reflexes were diminished at the left Achilles.", True),
    ],
)
def test_reflexes_told_in_a_sentence(exam: str, reflex_change: bool) -> None:
    note = f"HPI: low back pain into the left leg for 4 months. Exam: {exam}"
    assert value(facts(note, code="62323"), "neuro.reflex_change") is reflex_change


@pytest.mark.parametrize(
    ("exam", "weakness"),
    [
        ("Motor: formal testing shows no appreciable deficit in either leg.", False),
        ("Motor: formal testing shows 4/5 weakness of the left EHL.", True),
    ],
)
def test_motor_exam_told_in_a_sentence(exam: str, weakness: bool) -> None:
    note = f"HPI: low back pain into the left leg for 4 months. Exam: {exam}"
    assert value(facts(note, code="62323"), "neuro.myotomal_weakness") is weakness


@pytest.mark.parametrize(
    ("exam", "change"),
    [
        ("Sensations were intact to light touch in both legs.", False),
        ("Sensation was reduced over the dorsum of the left foot.", True),
    ],
)
def test_sensation_plural_or_past(exam: str, change: bool) -> None:
    note = f"HPI: low back pain into the left leg for 4 months. Exam: {exam}"
    assert value(facts(note, code="62323"), "neuro.dermatomal_sensory_change") is change


@pytest.mark.parametrize(
    ("exam", "dermatome"),
    [
        # the normal clause is another one: the named dermatome is the abnormal one
        ("There is a loss of sensation in the L5 dermatome on the left, and the remaining "
         "dermatomes are normal.", "L5"),
        ("Numbness in a C-7 distribution down the right forearm.", "C7"),
        ("Sensation is intact in the L5 dermatome.", None),
    ],
)  # fmt: skip
def test_dermatome_beside_normal_ones(exam: str, dermatome: str | None) -> None:
    note = f"HPI: pain into the limb for 4 months. Exam: {exam}"
    assert value(facts(note, code="62323"), "neuro.radicular_dermatome") == dermatome


def _prior_esis(text: str) -> list[dict[str, object]]:
    found = facts(text, code="62323").procedures.prior or []
    return [e.model_dump(include={"type", "purpose"}) for e in found if e.type == "esi"]


def test_plural_epidurals_are_prior_treatments() -> None:
    note = (
        "HPI: low back and left leg pain for a year. He had epidurals back in 2019, which helped "
        "for a few weeks only."
    )
    assert _prior_esis(note) == [{"type": "esi", "purpose": "therapeutic"}]


def test_epidurals_for_labour_are_no_spine_injections() -> None:
    note = (
        "HPI: low back and left leg pain for a year. She had epidurals in 2015 and 2018 for "
        "labour with her children."
    )
    assert _prior_esis(note) == []


def test_a_prior_epidural_called_diagnostic_stays_so() -> None:
    note = "HPI: leg pain for a year. A diagnostic epidural injection in 2024 helped for a day."
    assert _prior_esis(note) == [{"type": "esi", "purpose": "diagnostic"}]


def _procedure_note(body: str) -> list[str]:
    note = (
        "PROCEDURE NOTE\nPREOPERATIVE DIAGNOSIS: Left L5 radiculopathy.\n"
        f"{body}\nThe patient tolerated the procedure well."
    )
    found = documents_facts(("Procedure note", "2026-09-01", note), code="64483")
    return value(found, "planned.injectate") or []


def test_a_safety_line_does_not_negate_the_drug_given_after_it() -> None:
    body = (
        "PROCEDURE: Left L5-S1 transforaminal epidural injection under fluoroscopy. 1 mL of 1% "
        "lidocaine was given; no untoward effects were seen and then 80 mg of Depo-Medrol was "
        "injected."
    )
    assert "steroid" in _procedure_note(body)


def test_a_drug_said_not_given_stays_out() -> None:
    body = (
        "PROCEDURE: Left L5-S1 transforaminal epidural injection under fluoroscopy. 1 mL of 1% "
        "lidocaine was given; no steroid was injected at the patient's request."
    )
    assert "steroid" not in _procedure_note(body)


@pytest.mark.parametrize(
    ("operations", "levels"),
    [
        ("OPERATIONS:\n1. Right L4-5 transforaminal epidural injection.\n"
         "2. Right L3-4 transforaminal epidural injection.\n3. Fluoroscopy.", ["L4-L5", "L3-L4"]),
        # the second item is another procedure: its level is not this one's
        ("OPERATIONS:\n1. Right L4-5 transforaminal epidural injection.\n"
         "2. Right L3-4 medial branch block.", ["L4-L5"]),
    ],
)  # fmt: skip
def test_one_procedure_listed_at_several_levels(operations: str, levels: list[str]) -> None:
    note = f"PROCEDURE NOTE\nDIAGNOSIS: Right radiculopathy.\n{operations}\nTolerated well."
    found = documents_facts(("Procedure note", "2026-09-01", note), code="64483")
    assert value(found, "planned.levels") == levels


@pytest.mark.parametrize(
    ("note", "score"),
    [
        ("HPI: back pain today 6/10. Blocks were given 03/10 and 03/24/2026.", 6.0),
        ("HPI: back pain today 6/10. Both blocks done 3/10 and 3/24, each helped.", 6.0),
        ("HPI: back pain, rated 3/10 and 8/10 at its worst.", 3.0),
    ],
)
def test_a_day_written_like_a_score_is_no_score(note: str, score: float) -> None:
    assert value(facts(note), "pain.score") == score


def test_a_day_alone_is_no_score() -> None:
    note = "HPI: low back pain for a year. Blocks completed 01/10."
    assert value(facts(note), "pain.score") is None


@pytest.mark.parametrize(
    ("history", "current"),
    [
        ("PMH: breast cancer 2012, lumpectomy and radiation, in remission since.", False),
        ("PMH: colon carcinoma 2016 resected; surveillance shows no evidence of disease.", False),
        ("PMH: breast cancer 2012, in remission until this spring, now metastatic to bone.", True),
        ("PMH: prostate cancer, currently receiving radiation.", True),
    ],
)
def test_a_cancer_in_remission_is_history(history: str, current: bool) -> None:
    note = f"HPI: low back pain into the left leg for 4 months. {history}"
    assert (value(facts(note, code="62323"), "contra.malignancy") is True) is current


@pytest.mark.parametrize(
    ("line", "taken"),
    [
        ("dalteparin 2.5 mL SC daily    STOPPED 03/2025", False),
        ("dalteparin 2.5 mL SC daily    ACTIVE", True),
    ],
)
def test_a_decimal_dose_does_not_hide_a_stop(line: str, taken: bool) -> None:
    note = f"HPI: low back pain into the left leg for 4 months.\nMedication list:\n{line}\n"
    assert (value(facts(note, code="62323"), "contra.anticoagulant") is True) is taken


def test_a_log_rows_leading_date_dates_its_procedure() -> None:
    log = (
        "INJECTION LOG\nDate | Procedure | Level | Result\n"
        "03/04/2025 | L L4-5 TFESI | L4-5 | 70% x 4 mo (pain back by July 2025)\n"
        "09/09/2025 | L L4-5 TFESI | L4-5 | 60% x 3 mo\n"
    )
    found = documents_facts(("Injection log", "2026-01-10", log), code="64483")
    dates = sorted(str(e.date) for e in found.procedures.prior or [])
    assert dates == ["2025-03-04", "2025-09-09"]


@pytest.mark.parametrize(
    ("exam", "positive"),
    [
        ("Exam: Gaenslen's, distraction and thigh thrust positive on the left.",
         ["Gaenslen's", "distraction", "thigh thrust"]),
        ("Exam: Gaenslen's and distraction negative, thigh thrust positive.", ["thigh thrust"]),
        ("Exam: Gaenslen's and distraction not positive.", None),
    ],
)  # fmt: skip
def test_a_list_of_maneuvers_then_positive(exam: str, positive: list[str] | None) -> None:
    note = f"HPI: left buttock pain below L5 for 6 months. {exam}"
    assert value(facts(note, code="27096"), "si.provocative_tests_positive") == positive


def test_a_procedure_notes_findings_section_gives_the_patients_pain() -> None:
    note = (
        "PROCEDURE NOTE\nPRE-OP DIAGNOSIS: Left L5 radiculopathy.\nFINDINGS:\n"
        "PAIN ASSESSMENT: She now rates her pain as 7/10.\nDESCRIPTION: The patient was placed "
        "prone and the left L5-S1 foramen was entered under fluoroscopy."
    )
    found = documents_facts(("Procedure note", "2026-09-01", note), code="64483")
    assert value(found, "pain.score") == 7.0


def test_an_imaging_reports_findings_give_no_pain_score() -> None:
    report = "MRI LUMBAR SPINE\nFINDINGS:\nL4-5: 7/10 mm disc bulge.\nIMPRESSION: mild."
    found = documents_facts(("MRI lumbar spine", "2026-09-01", report), code="64483")
    assert value(found, "pain.score") is None


@pytest.mark.parametrize(
    ("sentence", "no_gain"),
    [
        ("Since it began the pain has continued at more or less the same level.", True),
        ("Since PT the pain has continued to improve.", None),
    ],
)
def test_pain_that_stayed_the_same(sentence: str, no_gain: bool | None) -> None:
    note = f"HPI: low back pain into the left leg for 5 months despite PT. {sentence}"
    assert value(facts(note, code="62323"), "conservative.no_significant_improvement") is no_gain


def test_what_was_received_is_not_what_was_recommended() -> None:
    note = (
        "HPI: leg pain for a year. He was recommended for a nerve block at that time and the "
        "patient received a lumbar epidural steroid injection in 2025 with no relief."
    )
    found = facts(note, code="62323").procedures.prior or []
    assert [(e.type, e.relief_percent) for e in found] == [("esi", 0.0)]


def test_what_was_only_recommended_is_no_prior_procedure() -> None:
    note = (
        "HPI: leg pain for a year. He was recommended for a nerve block and a lumbar epidural "
        "steroid injection at that time."
    )
    found = facts(note, code="62323").procedures.prior or []
    assert [e.type for e in found if e.type == "esi"] == []
