"""What a note reports of an earlier procedure's result: a threshold someone asks for is not a
result ("each give >=75% relief", "below the 75% requested"), an assessment under "A/P" that
reports one is read, and a plan's next step is not. Positive and negated forms."""

from __future__ import annotations

import pytest

from tests.reader_facts import documents_facts

_BLOCK = (
    "Procedure note",
    "2026-09-02",
    "Procedure: Right sacroiliac joint injection, diagnostic #1, fluoroscopic guidance.\n"
    "Injectate: 0.5% bupivacaine 1.5 mL. No steroid.",
)


def _relief(note_text: str) -> list[float | None]:
    note = ("Clinic note", "2026-09-20", note_text)
    events = documents_facts(_BLOCK, note, code="27096").procedures.prior or []
    return [e.relief_percent for e in events if e.type == "si_injection"]


@pytest.mark.parametrize(
    ("text", "relief"),
    [
        ("HPI: The surgeon will consider fusion if two blocks each give >=75% relief.", [None]),
        ("HPI: R buttock pain.\nAssessment/Plan: Equivocal response to the first injection: "
         "approx 60% relief of index pain, duration ~4 h.", [60.0]),
        ("HPI: R buttock pain, still 60% better after the injection; below the 75% the surgeon "
         "asked for.", [60.0]),
        ("HPI: R buttock pain.\nA/P: Repeat the block next month if relief is at least 80%.",
         [None]),
        ("HPI: After the SI joint block on 09/02 she had 80% relief for four hours.", [80.0]),
    ],
)  # fmt: skip
def test_a_result_is_reported_not_a_threshold_or_a_plan(
    text: str, relief: list[float | None]
) -> None:
    assert _relief(text) == relief


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # an age or the pain's own history near the procedure is not how long relief lasted
        ("HPI: a sixty-six-year-old who returns after her SI joint block for buttock pain that "
         "has gone on for about two and a half years.", None),
        ("HPI: After the SI joint injection she had 80% relief lasting about three weeks.",
         pytest.approx(0.7, abs=0.1)),
    ],
)  # fmt: skip
def test_a_relief_duration_is_the_reliefs(text: str, months: object) -> None:
    note = ("Clinic note", "2026-09-20", text)
    events = documents_facts(_BLOCK, note, code="27096").procedures.prior or []
    assert [e.relief_duration_months for e in events if e.type == "si_injection"] == [months]


@pytest.mark.parametrize(
    ("filed", "header", "expected"),
    [
        ("2026-07-14", "Date of service: 06/30/2026", "2026-06-30"),  # filed with a later call
        ("2026-09-08", "Date: 08/09/2026", "2026-09-08"),  # day-first: the note's own date
        ("2026-09-02", "Patient: A. B.", "2026-09-02"),  # no header date: the filing date
    ],
)
def test_a_procedure_note_is_dated_by_its_date_of_service(
    filed: str, header: str, expected: str
) -> None:
    note = (
        "Procedure note",
        filed,
        f"PROCEDURE NOTE\n{header}\nProcedure: Lumbar medial branch block, bilateral L3 and L4 "
        "medial branches - diagnostic block #1\nFollow-up call 07/14/2026: about 80% better.",
    )
    events = documents_facts(note, code="64635").procedures.prior or []
    assert [e.date.isoformat() for e in events if e.date] == [expected]


@pytest.mark.parametrize(
    ("history", "months"),
    [
        # relief that ran until a month lasted from the procedure to then
        ("- 11/20/2025 C6-7 IL ESI - seventy percent better; relief held until about mid-April.",
         pytest.approx(4.8, abs=0.1)),
        ("- 06/12/2025 C6-7 IL ESI - approx 60% better, wore off by ~Oct.",
         pytest.approx(4.1, abs=0.1)),
        # a month the relief has not reached by the note is no length
        ("- 06/12/2025 C6-7 IL ESI - approx 60% better, hoping it lasts until December.", None),
        ("- 06/12/2025 C6-7 IL ESI - approx 60% better until maybe next week.", None),
    ],
)  # fmt: skip
def test_relief_that_lasted_until_a_month(history: str, months: object) -> None:
    text = f"HPI: R arm pain is back.\nPrior cervical ESIs:\n{history}"
    note = ("Clinic note", "2026-05-02", text)
    events = documents_facts(note, code="62321").procedures.prior or []
    assert [e.relief_duration_months for e in events if e.type == "esi"] == [months]


@pytest.mark.parametrize(
    ("history", "months"),
    [
        # relief reported at time points after the procedure lasted to the latest one of >= 50%
        ("- 06/12/2025 L5-S1 TFESI: 75-80% at 3 mo, 70% at 6 mo, 60% at 8 mo.", 8.0),
        ("- 06/12/2025 L5-S1 TFESI: ~70% at the 6-month visit, still ~60% at 8 months.", 8.0),
        # one check of at least half is a time point, not a length: the relief may have gone on
        ("- 06/12/2025 L5-S1 TFESI: 90% relief at 6 weeks, 30% at 4 months.", None),
        ("- 06/12/2025 L5-S1 TFESI: about 60% better at 2 weeks.", None),
        ("- 06/12/2025 L5-S1 TFESI: 20% at 3 months.", None),
        # one check of at least half three months or more after it: relief lasted that long
        ("- 06/12/2025 L5-S1 TFESI: ~60-65% improvement with functional gains at 3 months.", 3.0),
        ("- 06/12/2025 L5-S1 TFESI. Seen at 13-wk f/u on 09/11/2025 and was ~70% better.", 3.0),
        # a result the pain's return cuts short is no lasting relief
        ("- 06/12/2025 L5-S1 TFESI: 70% relief, but the leg pain returned at 3 months.", None),
    ],
)  # fmt: skip
def test_relief_told_at_time_points(history: str, months: object) -> None:
    text = f"HPI: R leg pain is back.\nPrior lumbar ESIs:\n{history}"
    note = ("Clinic note", "2026-05-02", text)
    events = documents_facts(note, code="64483").procedures.prior or []
    assert [e.relief_duration_months for e in events if e.type == "esi"] == [months]


def test_the_longest_relief_told_of_one_procedure_stands() -> None:
    text = (
        "HPI: S/p L4-5 TFESI 12/09/2025: at 4 wk f/u ~70% better; at 3/17/26 visit still ~60% "
        "better, working full shifts."
    )
    events = documents_facts(("Clinic note", "2026-05-02", text), code="64483").procedures.prior
    assert [round(e.relief_duration_months or 0, 1) for e in events or []] == [3.2]


_TFESI = (
    "Procedure report",
    "2026-05-12",
    "PROCEDURE NOTE\nProcedure: Right L4-5 transforaminal epidural steroid injection under "
    "fluoroscopic guidance with contrast.\nMedication: dexamethasone 10 mg.",
)


@pytest.mark.parametrize(
    ("title", "text", "months"),
    [
        # a log's "still better" is told at its entry's date, not the date the log was printed;
        # relief shown to last only six weeks is no length of relief
        ("Telephone encounter log",
         "PHONE LOG\n\n05/26/2026 14:02  2-week call - RN\nPt reports \"Probably 60% better.\"\n\n"
         "06/23/2026 11:48  6-week call - LPN\nPt states \"still a lot better,\" maybe 65%.",
         None),
        ("Clinic note",
         "HPI: Per his 2-wk RN call he was ~60% better and at the 6-wk call \"still a lot "
         "better.\" Pain is back.", None),
        # still better at a visit months later lasted at least to it
        ("Clinic note",
         "HPI: s/p R L4-5 TFESI 05/12/2026; at the 09/01/2026 visit still ~60% better.",
         pytest.approx(3.6, abs=0.1)),
    ],
)  # fmt: skip
def test_still_better_lasted_to_the_follow_up_that_says_it(
    title: str, text: str, months: object
) -> None:
    note = (title, "2026-09-15", text)
    events = documents_facts(_TFESI, note, code="64483").procedures.prior or []
    assert [e.relief_duration_months for e in events if e.type == "esi"] == [months]


@pytest.mark.parametrize(
    "result",
    [
        "Nurse comment: >80% relief, duration ~1.5 h, consistent with lignocaine.",
        "Nurse comment: 85% relief for ~1.5 h, consistent with the lidocaine.",
    ],
)
def test_lignocaine_is_lidocaine(result: str) -> None:
    block = (
        "Procedure note",
        "2026-09-02",
        "Procedure: Diagnostic medial branch block #1, right L3 and L4 medial branches.\n"
        f"Injectate: 2% lignocaine 0.5 mL per nerve. No steroid.\n{result}",
    )
    events = documents_facts(block, code="64635").procedures.prior or []
    assert [(e.agent, e.relief_consistent_with_agent) for e in events] == [
        ("anesthetic_only", True)
    ]


@pytest.mark.parametrize(
    ("history", "dates"),
    [
        # a list item of capital abbreviations is a history entry, not a document title
        ("Injection history:\n- 06/12/2025 L5-S1 TFESI\n- 01/10/2026 L4-5 ILESI, 60% relief",
         ["2025-06-12", "2026-01-10"]),
        # a document's title in capitals names no procedure of its history
        ("LUMBAR TFESI CONSULT 04/30/2026\nNo prior injections.", []),
    ],
)  # fmt: skip
def test_a_list_item_in_capitals_is_a_history_entry(history: str, dates: list[str]) -> None:
    text = f"HPI: R leg pain is back.\n{history}\n\nExam: SLR + R."
    events = documents_facts(("Clinic note", "2026-05-02", text), code="64483").procedures.prior
    assert sorted(str(e.date) for e in events or [] if e.type == "esi") == dates


@pytest.mark.parametrize(
    "field",
    [
        "Date(s) of prior ESI in last 12 months: 01/10/2026",
        "Prior ESI in past 12 months: Yes - 01/10/2026",
    ],
)
def test_a_forms_look_back_window_is_no_length_of_relief(field: str) -> None:
    text = f"HPI: R leg pain is back. L4-5 ILESI 01/10/2026, 60% relief.\n{field}"
    events = documents_facts(("Clinic note", "2026-05-02", text), code="62323").procedures.prior
    assert [e.relief_duration_months for e in events or [] if e.type == "esi"] == [None]


def test_a_result_told_of_one_side_by_its_limb_is_that_sides() -> None:
    text = (
        "HPI: Bilateral L4-5 TFESI 05/12/2026.\n"
        'LEFT leg: "80 percent, maybe better" since about a week after 5/12.\n'
        "RIGHT leg: no real change, maybe 20% better."
    )
    events = documents_facts(("Clinic note", "2026-07-28", text), code="64483").procedures.prior
    sides = {e.side: e.relief_percent for e in events or [] if e.type == "esi"}
    assert sides == {"left": 80.0, "right": 20.0}


def test_a_visits_row_citing_a_procedure_by_its_date_is_no_new_procedure() -> None:
    text = (
        "HPI: low back pain is back.\nVisit log:\n"
        "01/20/2026  Post-procedure f/u (6 wks s/p bilat L4-5/L5-S1 RFA 12/09/25)  Dr. A\n"
        "11/12/2024  RFA L4-5 bilat, 70% relief\n"
    )
    events = documents_facts(("Clinic note", "2026-08-02", text), code="64635").procedures.prior
    dates = sorted(str(e.date) for e in events or [] if e.type == "rfa_medial_branch")
    assert dates == ["2024-11-12", "2025-12-09"]


@pytest.mark.parametrize(
    ("text", "sides"),
    [
        ("Right side about 60% better, left side maybe 30%.", {"right": 60.0, "left": 30.0}),
        ("Relief: L 75%, R 40% at the 2-week call.", {"left": 75.0, "right": 40.0}),
        # levels, not sides; one side only; a figure for both at once
        ("L4-5 80%, L5-S1 70%.", {}),
        ("Left: 80% better.", {}),
        ("80% relief bilaterally.", {}),
    ],
)
def test_a_relief_figure_for_each_side_told_in_one_sentence(
    text: str, sides: dict[str, float]
) -> None:
    from drafting.extraction.rules.events import _side_figures

    assert _side_figures(text) == sides
