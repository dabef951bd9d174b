"""A repeat sacroiliac joint injection needs an examination made after the last injection
(`si.exam_after_last_injection`, derived from the documents' dates), and a line whose only exam
predates it pends for the current one; a request form's ticked findings carry no date."""

from __future__ import annotations

from criteria.fact_values import fact_values
from drafting.pipeline import determine
from tests.reader_facts import documents_facts, note_case

_INJECTION = (
    "Procedure note",
    "2026-04-14",
    "PROCEDURE: Left SI joint injection, intra-articular, under fluoroscopy with contrast; "
    "triamcinolone 40 mg and ropivacaine, 2 mL total. Pre-procedure exam: tender left sacral "
    "sulcus; FABER and thigh thrust positive.",
)
_FIRST_VISIT = (
    "Office visit",
    "2026-03-30",
    "HPI: left buttock pain below L5 for 8 months, no leg symptoms, 6 weeks of PT and a home "
    "program without relief. Exam: tender over the left sacral sulcus just below the PSIS; "
    "FABER, thigh thrust and compression positive. Plan: left SI joint injection.",
)
EXAM_NOT_DONE = "Exam: not performed, telephone encounter. "
_PHONE_VISIT = (
    "Telephone visit",
    "2026-09-02",
    "Left buttock pain came back in mid-August, now 6/10. The SI injection on 04/14/2026 gave "
    "about 70% relief for about four months, back to walking 3 miles. Still doing her home "
    f"exercises. {EXAM_NOT_DONE}Plan: repeat left SI joint injection.",
)
_OFFICE_RECHECK = (
    "Office visit",
    "2026-09-02",
    "Left buttock pain came back in mid-August, now 6/10. The SI injection on 04/14/2026 gave "
    "about 70% relief for about four months, back to walking 3 miles. Still doing her home "
    "exercises. Exam: tender over the left sacral sulcus just below the PSIS; FABER and thigh "
    "thrust positive. Plan: repeat left SI joint injection.",
)
_FORM = (
    "Prior authorization request form",
    "2026-09-03",
    "PRIOR AUTHORIZATION REQUEST\nCPT 27096 left, repeat.\nExam findings:\n"
    "[X] Sacral sulcus tenderness   [X] FABER   [X] Thigh thrust\n",
)


def _after(*documents: tuple[str, str, str]) -> object:
    return fact_values(documents_facts(*documents, code="27096")).values.get(
        "si.exam_after_last_injection"
    )


def test_an_exam_after_the_injection_is_the_repeat_exam() -> None:
    assert _after(_FIRST_VISIT, _INJECTION, _OFFICE_RECHECK) is True


def test_only_exams_before_the_injection_are_no_repeat_exam() -> None:
    silent = (_PHONE_VISIT[0], _PHONE_VISIT[1], _PHONE_VISIT[2].replace(EXAM_NOT_DONE, ""))
    assert _after(_FIRST_VISIT, _INJECTION, silent) is False


def test_a_request_forms_ticked_findings_are_not_a_dated_exam() -> None:
    assert _after(_FIRST_VISIT, _INJECTION, _PHONE_VISIT, _FORM) is False


def test_no_dated_injection_leaves_it_unknown() -> None:
    assert _after(_FIRST_VISIT) is None


def _decision(*documents: tuple[str, str, str]) -> tuple[str, str | None]:
    result = determine(note_case(*documents, code="27096", diagnosis="M53.3"))
    line = result.decisions[0]
    status = next(
        (
            c.status
            for c in line.criteria
            if c.id == "sacroiliac.repeat.exam_after_the_last_injection"
        ),
        None,
    )
    return line.decision, status


def test_a_repeat_without_a_repeat_exam_pends_never_denies() -> None:
    decision, status = _decision(_FIRST_VISIT, _INJECTION, _PHONE_VISIT, _FORM)
    assert (decision, status) == ("pended", "not_met")


def test_a_repeat_with_its_exam_meets_the_requirement() -> None:
    _, status = _decision(_FIRST_VISIT, _INJECTION, _OFFICE_RECHECK)
    assert status == "met"
