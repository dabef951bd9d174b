"""Issue 14: letters a member and a provider can act on (items 1, 4, 5, 6, 7 and the
completeness elements the linter now requires)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from criteria.results import CriterionResult
from drafting.case.contract import Case
from drafting.case.loaders import load_case
from drafting.letters.export import export_letter
from drafting.letters.template import draft_template_letter
from drafting.letters.text import fact_phrase
from drafting.lint.linter import blocking, lint_letter
from drafting.pipeline import determine
from drafting.review import SignatureError, apply_overrides, new_entry, sign
from tests.letter_cases import (
    ESI,
    TODAY,
    context,
    criterion,
    drafted,
    esi_decisions,
    guideline_line,
    make_case,
    with_addon,
)

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "cases"


def _absent(kind: str, title: str) -> CriterionResult:
    return criterion(
        f"epidural.{kind}.{title.split()[0].lower()}",
        title,
        "met",
        "epidural/contraindications/1",
        title,
        "Does not apply.",
        kind=kind,
    )


# ---------------------------------------------------------------- item 1


def test_item1_approval_never_names_an_exclusion_or_contraindication_that_does_not_apply() -> None:
    case = make_case()
    decisions = esi_decisions(case, "approved")
    absent = [
        _absent("contraindication", "Cauda equina syndrome"),
        _absent("contraindication", "Systemic infection"),
        _absent("exclusion", "Isolated axial neck, mid-back or low back pain"),
    ]
    decisions[0].criteria.extend(absent)
    ctx = context(case, decisions)
    letter = draft_template_letter(ctx, today=TODAY)
    text = letter.to_text()
    for row in absent:
        assert row.title not in text
    assert "none applies" in text
    assert not blocking(lint_letter(letter, ctx))
    # the linter blocks a letter that names one (as the old approval letter did)
    named = text.replace("none applies.", "none applies. Criteria met: Cauda equina syndrome.")
    found = [f for f in lint_letter(named, ctx) if f.kind == "decision"]
    assert any("Cauda equina syndrome" in f.message for f in found)


# ---------------------------------------------------------------- item 4


def test_item4_dates_match_across_formats() -> None:
    case = make_case(extra_note="\nDate of service: 12/01/2025. Seen again on March 3, 2026.")
    _case, decisions, letter = drafted("pended")
    ctx = context(case, decisions)
    text = letter.to_text().replace(
        "Summary of the review\n",
        "Summary of the review\nThe notes give a date of service of 2025-12-01 and a visit on "
        "03/03/2026.\n",
    )
    claims = [f.message for f in lint_letter(text, ctx) if f.kind == "unsupported_claim"]
    assert not [m for m in claims if "2025-12-01" in m or "2026-03-03" in m], claims
    wrong = text.replace("2025-12-01", "2025-11-30")
    claims = [f.message for f in lint_letter(wrong, ctx) if f.kind == "unsupported_claim"]
    assert any("2025-11-30" in m for m in claims)


# ---------------------------------------------------------------- item 6


def test_item6_pend_names_facts_in_words_and_quotes_the_rule_not_its_lead_in() -> None:
    assert "[" not in fact_phrase("imaging.findings[independent_radiologist]")
    assert "radiologist" in fact_phrase("imaging.findings[independent_radiologist]")
    case = make_case()
    lead_in = guideline_line(ESI, "Evidence of")
    imaging = criterion(
        "epidural.esi.imaging",
        "Advanced imaging shows nerve root compression or spinal stenosis",
        "not_documented",
        ESI,
        lead_in.replace("**", ""),
        "Not documented.",
        effect="pend",
        missing=["imaging.findings[independent_radiologist]"],
    )
    decisions = with_addon("pended", imaging)
    ctx = context(case, decisions)
    letter = draft_template_letter(ctx, today=TODAY)
    text = letter.to_text()
    assert "findings[" not in text and "independent_radiologist" not in text
    assert "Nerve root compression secondary to herniated disc" in text  # the rule's list
    assert ":”." not in text and ":”" not in text.replace(":” “", "")
    assert "we did not find it in the records sent" in text
    assert "records do not show" not in text
    assert not blocking(lint_letter(letter, ctx))


# ---------------------------------------------------------------- item 7


def test_item7_records_reviewed_lists_the_record_an_override_relied_on() -> None:
    case = load_case(GOLD / "G05.json")
    base = determine(case, today=date(2026, 12, 4))
    assert "pended" in base.outcomes
    quote = "No significant improvement after 6 weeks of physical therapy."
    entry = new_entry(
        base,
        "conservative.no_significant_improvement",
        "true",
        "PT discharge summary received by fax",
        "Dr. Rivera",
        quote=quote,
        document="PT discharge summary, faxed",
    )
    after = apply_overrides(base, [entry])
    assert after.outcomes[0] == "approved"
    lines = after.letter.text.splitlines()
    reviewed = next(ln for ln in lines if ln.startswith("Records reviewed"))
    assert "discharge summary, faxed (received by the reviewer)" in reviewed
    assert after.facts["conservative.no_significant_improvement"]["quote"] == quote
    assert not blocking(after.letter.lint)
    # an override that changes nothing is refused
    with pytest.raises(Exception, match="change nothing"):
        new_entry(after, entry["name"], "true", "again", "Dr. Rivera", quote=quote, document="x")


# ---------------------------------------------------------------- completeness elements


def _case_with_identifiers() -> Case:
    data = make_case().model_dump(mode="json")
    data |= {
        "member": {"name": "Ana Ruiz", "id": "MBR-0042"},
        "provider": {"name": "Dr. Lee, Spine Clinic", "npi": "1234567893"},
        "date_of_service": "2026-10-01",
    }
    return Case.model_validate(data)


@pytest.mark.parametrize("outcome", ["approved", "denied", "pended"])
def test_letters_carry_every_element_and_the_linter_requires_each(outcome: str) -> None:
    case = _case_with_identifiers()
    decisions = esi_decisions(case, outcome)
    ctx = context(case, decisions)
    letter = draft_template_letter(ctx, today=TODAY)
    text = letter.to_text()
    assert "Member: Ana Ruiz, member ID MBR-0042" in text
    assert "NPI) 1234567893" in text and "Date of service requested: 10/01/2026" in text
    assert "Section 1557" in text and "Atención" in text and "\nSignature\n" in text
    assert ("Physician reviewer" in text) == (outcome == "denied")
    assert not [f for f in lint_letter(letter, ctx) if f.kind == "missing_element"]
    broken = {
        "member": text.replace("Ana Ruiz", "A. R."),
        "provider": text.replace("1234567893", "unknown"),
        "date of service": text.replace("10/01/2026", "soon"),
        "taglines": text.replace("asistencia lingüística", "ayuda"),
        "1557": text.replace("Section 1557", "the law"),
        "signature": text.replace("\nSignature\n", "\nClosing\n"),
        "one date format": text.replace("Date: 09/20/2026", "Date: 2026-09-20"),
        "sentence case": text.replace("Criteria used", "CRITERIA USED"),
    }
    for element, bad in broken.items():
        found = [f for f in lint_letter(bad, ctx) if f.kind == "missing_element"]
        assert found, element
    if outcome != "approved":
        heading = next(s.heading for s in letter.sections if "64483" in s.heading)
        section = next(s for s in letter.sections if s.heading == heading)
        reasonless = letter.model_copy(
            update={
                "sections": [
                    s.model_copy(update={"paragraphs": [section.paragraphs[0]]})
                    if s.heading == heading
                    else s
                    for s in letter.sections
                ]
            }
        )
        found = [f.message for f in lint_letter(reasonless.to_text(), ctx)]
        assert any("plain-language reason" in m for m in found), found


def test_member_copy_drops_passage_ids_and_pdf_is_left_aligned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _case, _decisions, letter = drafted("denied")
    assert "[" + letter.citations[0] + "]" in letter.to_text()
    member = letter.to_text("member")
    assert "[" + letter.citations[0] + "]" not in member and "square brackets" not in member
    from fpdf import FPDF

    aligns: list[object] = []
    original = FPDF.multi_cell

    def spy(self: FPDF, *args: object, **kwargs: object) -> object:
        aligns.append(kwargs.get("align"))
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(FPDF, "multi_cell", spy)
    export_letter(letter, tmp_path / "letter.pdf", "member")
    assert aligns and all(str(a).upper() in ("L", "LEFT") for a in aligns), aligns


def test_finalizing_signs_the_letter_and_a_denial_needs_a_physician() -> None:
    _case, _decisions, letter = drafted("denied")
    text = letter.to_text()
    with pytest.raises(SignatureError, match="physician"):
        sign(text, reviewer="Sam Poe", credentials="RN")
    signed = sign(text, reviewer="Sam Poe", credentials="RN", physician="Dr. Ana Lee, MD")
    assert "Reviewer: Sam Poe, RN" in signed
    assert "Physician reviewer who made this decision: Dr. Ana Lee, MD" in signed
    assert "finalizes" not in signed
