"""Scanned and faxed records: swapped characters repaired one for one (quotes stay the record's),
wrapped header lines, and the date a procedure record gives in its header fields."""

from __future__ import annotations

import pytest

from drafting.extraction.clinical_nlp import annotate
from drafting.extraction.clinical_nlp.scanning import repair_scanning
from tests.reader_facts import documents_facts, facts, value


@pytest.mark.parametrize(
    ("scanned", "read"),
    [
        ("N0 steroid given.", "No steroid given."),
        ("pain 7/1O, 1OO% at 3O min, O.5 mL", "pain 7/10, 100% at 30 min, 0.5 mL"),
        (
            "CC: 1ow back pain, bi1ateral, be1t line, Apri1 2026",
            "CC: low back pain, bilateral, belt line, April 2026",
        ),
        ("Pain 7/l0 today, 6 / I0 at worst.", "Pain 7/10 today, 6 / 10 at worst."),
        # levels, ordinals, units and oxygen are left as they are
        (
            "L1-L2, S1, T1, 1st block, 1mg, 1 day, CO2, O2 sat",
            "L1-L2, S1, T1, 1st block, 1mg, 1 day, CO2, O2 sat",
        ),
        ("Plan: 7/l Ot", "Plan: 7/l Ot"),  # no score's ten
    ],
)
def test_scanning_swaps_are_repaired_character_for_character(scanned: str, read: str) -> None:
    assert repair_scanning(scanned) == read
    assert len(repair_scanning(scanned)) == len(scanned)


def test_quotes_from_a_scanned_record_are_the_records_own_text() -> None:
    text = "Procedure: L4-5 MBB. Injected lidocaine 2%. N0 steroid given. Pain 7/1O before."
    annotated = annotate(text)
    assert all(
        text[s.start : s.end] != s.text
        for s in annotated.sentences
        if "N0" in text[s.start : s.end]
    )
    found = documents_facts(("Procedure note", "2026-01-08", text), code="64493")
    for fact in found.procedures.prior or []:
        for evidence in fact.evidence:
            assert evidence.quote in text


def test_a_wrapped_line_after_a_title_goes_on_with_the_name() -> None:
    text = (
        "Spine hx: discectomy 2019 (Dr.\nAshworth) for left L5 radiculopathy -- resolved.\n"
        "Plan: MBB."
    )
    sentences = [s.text for s in annotate(text).sentences]
    assert any("Dr.\nAshworth" in s and "2019" in s for s in sentences)


@pytest.mark.parametrize(
    ("header", "day"),
    [
        ("Patient: DOE, J      MRN: 0048812      Date: 01/08/2026", 8),
        ("Date of service: 01/08/2026", 8),
        ("Patient: DOE, J  (seen 01/08/2026)", 12),  # no date field: the note's own date
    ],
)
def test_a_procedure_record_is_dated_by_its_header_field(header: str, day: int) -> None:
    note = f"{header}\nProcedure: Diagnostic medial branch block #1, bilateral L4-L5 and L5-S1.\n"
    follow_up = "HPI: axial low back pain, seen after his first block.\nPlan: second MBB."
    found = documents_facts(
        ("Procedure record", "2026-01-12", note),
        ("Office note", "2026-01-20", follow_up),
        code="64493",
    )
    [block] = [e for e in found.procedures.prior or [] if e.type == "mbb"]
    assert block.date is not None and block.date.day == day


def test_a_box_table_with_a_comment_column_answers_by_its_columns() -> None:
    form = (
        "SECTION C - CLINICAL CRITERIA (one box per row)\n"
        "                                                Y     N     Comment\n"
        " 3. Predominantly axial (non-radicular) pain   [X]   [ ]\n"
        " 4. Radicular pain / neurogenic claudication   [ ]   [X]\n"
    )
    found = facts(f"HPI: axial low back pain for 2 years.\n{form}", code="64635")
    assert value(found, "neuro.neurogenic_claudication") is False
