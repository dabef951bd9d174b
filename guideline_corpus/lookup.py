"""Deterministic lookup: the guideline passages that govern a procedure code.

The corpus's code tables (codes.csv) put each CPT/HCPCS code in one or more top-level
sections. A code's governing passages are that section's body passages under Clinical
Indications (which opens with the section's General Information definitions),
Contraindications and Exclusions, in guideline order. Descriptions, references, code tables
and history are not governing text. An unknown code maps to an empty list: callers decide
whether that means "pend" or "not covered by this guideline".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from guideline_corpus.corpus import DEFAULT_CORPUS_ID, load_corpus
from guideline_corpus.passages import Passage

GOVERNING_SUBSECTIONS: tuple[str, ...] = ("Clinical Indications", "Contraindications", "Exclusions")


def is_governing(passage: Passage) -> bool:
    """A body passage under a section's Clinical Indications, Contraindications or Exclusions."""
    return (
        passage.kind == "body"
        and len(passage.heading_path) >= 2
        and passage.heading_path[1] in GOVERNING_SUBSECTIONS
    )


def governing_passages(passages: Sequence[Passage], section: str) -> list[Passage]:
    """The governing passages of one section, in guideline order."""
    chosen = [p for p in passages if p.section == section and is_governing(p)]
    return sorted(chosen, key=lambda p: p.start_line)


def normalize_code(code: str) -> str:
    """Upper-case, trimmed, without the guideline's trailing '*' (notification-only mark)."""
    return code.strip().rstrip("*").upper()


def passages_for_sections(
    code_sections: dict[str, list[str]], passages: Sequence[Passage], codes: Iterable[str]
) -> dict[str, list[Passage]]:
    """Map each requested code (as given) to the governing passages of its sections.

    `code_sections` maps a normalised code to the section slugs its code tables list.
    """
    result: dict[str, list[Passage]] = {}
    for code in codes:
        found: list[Passage] = []
        for section in code_sections.get(normalize_code(code), []):
            found.extend(p for p in governing_passages(passages, section) if p not in found)
        result[code] = found
    return result


def passages_for_codes(
    codes: Iterable[str], corpus_id: str = DEFAULT_CORPUS_ID
) -> dict[str, list[Passage]]:
    """Governing passages for each code of the corpus (callers pass the DETERMINE_CORPUS one)."""
    from guideline_corpus.chunking import load_passages

    corpus = load_corpus(corpus_id)
    wanted = list(codes)
    code_sections = {
        normalize_code(code): corpus.section_slugs_for(normalize_code(code)) for code in wanted
    }
    return passages_for_sections(code_sections, load_passages(corpus_id), wanted)
