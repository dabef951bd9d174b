"""Packets with several voices (blind batch F261-F280): an IME's opinion of a procedure is no
procedure done, a request form's table row is the request, a checklist's capital NO answers no,
a report's indication is the question it was asked, a plan that puts a procedure on its own
date, a tingling put down to carpal tunnel, and a billing code against the notes' own words
(positive and negated forms)."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts, facts, value


@pytest.mark.parametrize(
    ("sentence", "events"),
    [
        ('The IME states that medial branch blocks are "not medically necessary".', 0),
        ("She had a medial branch block on 08/18/2026 with 85% relief.", 1),
    ],
)
def test_an_opinion_of_a_procedure_is_no_procedure_done(sentence: str, events: int) -> None:
    found = facts(f"HPI: axial low back pain for a year.\n{sentence}", code="64493")
    assert len([e for e in found.procedures.prior or [] if e.type == "mbb"]) == events


def test_a_request_forms_table_row_is_the_request() -> None:
    form = "CPT      Description                           Levels     Units\n" \
           "64628    BVN ablation, first 2 vertebral bodies           L4, L5     1"  # fmt: skip
    found = documents_facts(("Prior authorization request form", "2026-09-01", form), code="64628")
    assert not [e for e in found.procedures.prior or [] if e.type == "bvn_ablation"]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("NO (2009 wrist fx traumatic, fall from height)", False), ("YES", True)],
)
def test_a_checklists_capital_answer(answer: str, expected: bool) -> None:
    text = f"HPI: axial back pain.\nRisk factors entered: prior fragility fracture {answer}."
    assert value(facts(text, code="64628"), "bvn.fragility_fracture_history") is expected


def test_a_reports_indication_is_the_question_it_was_asked() -> None:
    report = "INDICATION: R buttock pain, r/o sacroiliitis / fracture.\nFINDINGS: No fracture."
    found = documents_facts(
        ("Office note", "2026-09-01", "HPI: right buttock pain for 8 months."),
        ("X-ray pelvis report", "2026-08-20", report),
        code="27096",
    )
    assert value(found, "contra.spinal_fracture") is not True


@pytest.mark.parametrize(
    "sentence",
    [
        "The neck MBB is scheduled on its own date.",
        "Bilateral C4-5 medial branch blocks. Separate date: 12/21/2026.",
        "Explained that we do not combine an epidural and facet blocks in one session.",
    ],
)
def test_a_procedure_put_on_its_own_date(sentence: str) -> None:
    found = facts(f"HPI: back and neck pain.\nPlan: L4-5 interlaminar ESI. {sentence}", "62323")
    assert value(found, "planned.same_session_procedures") == []


@pytest.mark.parametrize(
    ("sentence", "radicular"),
    [
        ("His right hand tingling from 2024 was carpal tunnel syndrome, released in 2024.", False),
        ("Pain radiates down the right arm into the thumb, with tingling.", True),
    ],
)
def test_a_tingling_put_down_to_carpal_tunnel(sentence: str, radicular: bool) -> None:
    found = facts(f"HPI: neck pain for 6 months. {sentence}", code="62321")
    assert (value(found, "neuro.radicular_pain") is True) is radicular


def test_a_billing_code_against_the_notes_own_words() -> None:
    note = "HPI: neck pain for a year. He specifically denies arm pain, numbness or weakness."
    form = "Diagnosis: M54.12 Radiculopathy, cervical region; M54.2 Cervicalgia"
    found = documents_facts(
        ("Office note", "2026-09-01", note), ("Request form", "2026-09-02", form), code="62321"
    )
    assert value(found, "neuro.radiculopathy") is None
    with_symptoms = documents_facts(
        ("Office note", "2026-09-01", "HPI: neck pain radiating down the right arm to the thumb."),
        ("Request form", "2026-09-02", form),
        code="62321",
    )
    assert value(with_symptoms, "neuro.radiculopathy") is True


@pytest.mark.parametrize(
    ("field", "events"),
    [
        ("Prior SI injections in last 12 mo: 0", 0),
        ("Number of prior SI joint injections: none", 0),
        ("Prior SI injections in last 12 mo: 1 (03/2026, 70% relief x 4 months)", 1),
    ],
)
def test_a_forms_count_of_none_is_no_procedure(field: str, events: int) -> None:
    found = facts(f"HPI: right buttock pain for 8 months.\n{field}", code="27096")
    assert len([e for e in found.procedures.prior or [] if e.type == "si_injection"]) == events
