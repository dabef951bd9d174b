"""The reader stays linear on long records: windows, one-pass matching, offsets into the text."""

from __future__ import annotations

import re

import pytest

from drafting.extraction.clinical_nlp import annotate, load_pipeline
from drafting.extraction.clinical_nlp.scale import WINDOW_CHARS, windows

NOTE = (
    "HPI: low back pain radiating to the left calf for 4 months. Denies bowel or bladder changes.\n"
    "Exam: decreased sensation over the dorsum of the left foot. SLR positive on the left.\n"
    "continued: strength 4/5 EHL.\n\n"
)


def test_windows_cover_the_text_and_cut_only_at_line_breaks() -> None:
    text = NOTE * 400
    pieces = list(windows(text))
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)
    assert all(len(piece) <= WINDOW_CHARS for _, piece in pieces)
    for offset, _ in pieces[1:]:
        assert text[offset - 1] == "\n" and not text[offset].islower()


def test_a_single_long_line_is_cut_at_a_sentence_end() -> None:
    text = "Pain is severe. " * 1000
    pieces = list(windows(text))
    assert len(pieces) > 1 and "".join(p for _, p in pieces) == text
    assert all(piece.endswith(". ") for _, piece in pieces[:-1])


def test_long_records_keep_offsets_and_verdicts() -> None:
    text = NOTE * 300  # about 80k characters: many windows
    document = annotate(text)
    mentions = [m for s in document.sentences for m in s.concepts]
    assert mentions and all(text[m.start : m.end] == m.text for m in mentions)
    negated = [m for m in mentions if m.category == "contra.cauda_equina"]
    assert negated and all(m.negated for m in negated)
    first = annotate(NOTE)
    per_note = len([m for s in first.sentences for m in s.concepts])
    assert len(mentions) == per_note * 300


def test_one_pass_matching_finds_what_the_medspacy_matcher_finds() -> None:
    from medspacy.common.regex_matcher import RegexMatcher
    from medspacy.common.util import get_token_for_char

    nlp = load_pipeline()
    doc = nlp.make_doc("Pt c/o L-sided sciatica;pain 7/10 (VAS), x4 wks. Tender L4-5 facets.")
    matcher = RegexMatcher(nlp.vocab)
    matcher.add("A", [r"sciatica;pa", r"\bL4-5\b", r"c/o\s+L", r"wks\.\s+Ten", r"7/1"])
    ours = matcher(doc)  # patched in load_pipeline: text built once
    expected = []
    for pattern in matcher._patterns[nlp.vocab.strings["A"]]:
        for found in pattern.finditer(doc.text_with_ws):
            span = doc.char_span(found.start(), found.end())
            if span is None:
                start = get_token_for_char(doc, found.start(), resolve="left")
                end = get_token_for_char(doc, found.end(), resolve="right")
                span = doc[start.i : len(doc) if end is None else end.i]
            expected.append((nlp.vocab.strings["A"], span.start, span.end))
    assert ours == expected


def test_a_note_longer_than_spacys_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = load_pipeline()
    monkeypatch.setattr(nlp, "max_length", 20_000)  # spaCy's limit, lowered to keep this quick
    text = NOTE * 120  # about 30k characters
    assert len(text) > nlp.max_length
    document = annotate(text)
    assert document.sentences[-1].end <= len(text)
    assert re.search(r"radiating", document.sentences[0].text)
