"""Clinical NLP over one document: sentences, sections and concept mentions with their ConText.

`annotate(text)` runs the cached medSpaCy pipeline (`pipeline.load_pipeline`) and returns an
`AnnotatedDocument`: whitespace-trimmed sentences, each with its section (header rules in
`sections`) and the concept mentions found in it (target rules in `concepts`), every mention
carrying the ConText verdicts the extraction rules need (negated, historical, hypothetical,
uncertain, family, planned; request-form boxes in `checkboxes`). A scanned document's swapped
characters are repaired first, one for one (`scanning`). Offsets are character offsets into the
original text, so a quote is always `text[start:end]` of the record.
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from drafting.extraction.clinical_nlp.checkboxes import checkbox_verdict, has_answers
from drafting.extraction.clinical_nlp.pipeline import (
    PLANNED,
    SPAN_GROUP,
    load_pipeline,
    load_seconds,
)
from drafting.extraction.clinical_nlp.scale import warm_tokenizer, windows
from drafting.extraction.clinical_nlp.scanning import repair_scanning
from drafting.extraction.clinical_nlp.sections import SectionSpan, detect_sections, section_at


@dataclass(frozen=True)
class ConceptMention:
    """One matched concept and what ConText says about it."""

    category: str
    start: int
    end: int
    text: str
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    uncertain: bool = False
    family: bool = False
    planned: bool = False
    negation_cues: tuple[str, ...] = ()
    stated_absent: bool = False  # matched by a phrase that itself states absence ("non-radiating")

    @property
    def affirmed(self) -> bool:
        """Stated as present for this patient (not negated, hypothetical or family history)."""
        return not (self.negated or self.hypothetical or self.family)


@dataclass(frozen=True)
class Sentence:
    """A sentence (or header line) with its section and concept mentions."""

    start: int
    end: int
    text: str
    section: str
    concepts: tuple[ConceptMention, ...]

    def mentions(self, category: str) -> list[ConceptMention]:
        """Mentions of one category in this sentence, in order."""
        return [mention for mention in self.concepts if mention.category == category]

    def has(self, category: str) -> bool:
        """True when the sentence holds an affirmed mention of `category`."""
        return any(mention.affirmed for mention in self.mentions(category))


@dataclass(frozen=True)
class AnnotatedDocument:
    """A document's text with its sections and annotated sentences."""

    text: str
    sections: tuple[SectionSpan, ...]
    sentences: tuple[Sentence, ...]

    def mentions(self, category: str) -> Iterator[tuple[Sentence, ConceptMention]]:
        """Every (sentence, mention) of one category, in document order."""
        yield from self._by_category.get(category, ())

    @cached_property
    def _by_category(self) -> dict[str, list[tuple[Sentence, ConceptMention]]]:
        """(sentence, mention) pairs by category, in document order: built on the first look-up
        (the rules ask for thousands of categories; a long record has thousands of sentences)."""
        index: dict[str, list[tuple[Sentence, ConceptMention]]] = {}
        for sentence in self.sentences:
            for mention in sentence.concepts:
                index.setdefault(mention.category, []).append((sentence, mention))
        return index


def _keep_longest(spans: list[ConceptMention]) -> list[ConceptMention]:
    """Within one category, drop a mention that lies inside a longer (or negated) one.

    Kept mentions of a category never overlap, so a new one is checked against its neighbours
    by start offset only (linear-logarithmic in the number of mentions).
    """
    kept: dict[str, tuple[list[int], list[ConceptMention]]] = {}
    ranked = sorted(spans, key=lambda m: (-(m.end - m.start), not m.negated, m.start))
    for mention in ranked:
        starts, chosen = kept.setdefault(mention.category, ([], []))
        at = bisect.bisect_left(starts, mention.start)
        before = chosen[at - 1] if at else None
        after = chosen[at] if at < len(chosen) else None
        if (before is not None and mention.start < before.end) or (
            after is not None and after.start < mention.end
        ):
            continue
        starts.insert(at, mention.start)
        chosen.insert(at, mention)
    result = [m for _, chosen in kept.values() for m in chosen]
    return sorted(result, key=lambda m: (m.start, m.end))


_REGEX_ESCAPE = re.compile(r"\\[A-Za-z]")


def _part_of_the_concept(span: Any, start: int, end: int) -> bool:
    """A trigger inside the mention whose word the concept's own pattern spells out ("made no
    difference", "didn't help"): it is the concept, not a negation of it. medSpaCy means to
    skip such self-modifying triggers, but its overlap test misses one strictly inside the
    target. A trigger that a pattern's free gap let in ("maneuvers not documented") negates."""
    if not (span.start <= start and end <= span.end):
        return False
    cue = span.doc[start:end].text.lower()
    source = _REGEX_ESCAPE.sub(" ", getattr(span._.target_rule, "pattern", "") or "").lower()
    if "'" in cue or "’" in cue:  # "n't" is a piece of a word
        return cue.replace("’", "'") in source
    return re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", source) is not None


def _closed_aside(span: Any, start: int, end: int, text: str) -> bool:
    """A trigger inside a parenthetical aside that closes before the mention: "McKenzie trial (no
    centralization), HEP compliant": the aside's "no" does not reach past its ")". `text` is the
    window's text, built once (spaCy rebuilds `Doc.text` on every call)."""
    if end > span.start:
        return False
    doc = span.doc
    opened = text.rfind("(", 0, doc[start].idx)
    between = text[doc[end - 1].idx + len(doc[end - 1].text) : span.start_char]
    return opened > text.rfind(")", 0, doc[start].idx) and ")" in between


# a clause set off by a spaced dash ("unbearable to touch - he cannot tolerate his cuff - that it
# turns blotchy"); not the dash of a range ("L4 - 5", "6 - 7/10")
_DASH_BREAK = re.compile(r"(?<![\dCTLS])\s[-–—]\s(?![CTLS]?\d)")


def _across_a_dash(span: Any, start: int, end: int, text: str) -> bool:
    """A negation before the mention whose scope crosses a spaced dash: the dash ends the clause
    it negates ("he cannot tolerate his cuff - that it turns blotchy red-purple")."""
    if end > span.start:
        return False
    doc = span.doc
    between = text[doc[end - 1].idx + len(doc[end - 1].text) : span.start_char]
    return _DASH_BREAK.search(between) is not None


def _covering(spans: Any) -> dict[int, list[Any]]:
    """Token index -> the affirmative concept spans covering it (built once per window), so a
    trigger's covering concepts are found without scanning every span."""
    table: dict[int, list[Any]] = {}
    for span in spans:
        if "!" in (getattr(span._.target_rule, "literal", "") or ""):
            continue  # a stated absence ("no fracture") negates what it names: it keeps its "no"
        for index in range(span.start, span.end):
            table.setdefault(index, []).append(span)
    return table


_POSITIVE_RESULT = re.compile(r"\s*(?:is\s+|was\s+)?(?:positive|pos\b|\(\+\)|\+)", re.IGNORECASE)


def _stated_positive_before(span: Any, start: int, text: str) -> bool:
    """A negation after a mention whose own result is stated positive ("thigh thrust positive,
    ..., none on the left"): the stated result stands."""
    if start < span.end:
        return False
    return _POSITIVE_RESULT.match(text, span.end_char) is not None


def _modifiers(
    span: Any, modifiers: Any, text: str, covering: dict[int, list[Any]] | None = None
) -> tuple[Any, ...]:
    """The ConText modifiers of `span`, without the triggers that are part of the concept (or of
    another concept that spells them out: "cannot bear the bedsheet" is an intolerance, and its
    "cannot" does not negate "the hand goes purple" after it), those shut inside a parenthetical
    aside before it, and negations across a dash-set clause."""
    kept = []
    for modifier in modifiers:
        start, end = modifier.modifier_span
        if _part_of_the_concept(span, start, end) or _closed_aside(span, start, end, text):
            continue
        if modifier.category == "NEGATED_EXISTENCE" and any(
            other is not span
            and end <= other.end
            and (span.start >= other.end or span.end <= other.start)  # a mention outside it
            and _part_of_the_concept(other, start, end)
            for other in (covering or {}).get(start, ())
        ):
            continue
        if modifier.category == "NEGATED_EXISTENCE" and _across_a_dash(span, start, end, text):
            continue
        if modifier.category == "NEGATED_EXISTENCE" and _stated_positive_before(span, start, text):
            continue
        kept.append(modifier)
    return tuple(kept)


def _negation_cues(span: Any, modifiers: tuple[Any, ...]) -> tuple[str, ...]:
    doc = span.doc
    return tuple(
        doc[modifier.modifier_span[0] : modifier.modifier_span[1]].text.lower()
        for modifier in modifiers
        if modifier.category == "NEGATED_EXISTENCE"
    )


def _modified(attribute: bool, modifiers: tuple[Any, ...], category: str) -> bool:
    """medSpaCy's attribute (is_historical, ...) unless only a trigger inside the concept (or
    inside a closed aside) set it."""
    return bool(attribute) and any(modifier.category == category for modifier in modifiers)


_DOTTED = re.compile(r"[A-Za-z_]\.[A-Za-z_]")


def _in_identifier(text: str, start: int, end: int) -> bool:
    """Inside a dotted machine name ("epidural.esi.radicular_pain", "facet.mbb.x"): not a
    clinical mention, whatever words it holds."""
    if _DOTTED.search(text, start, end):
        return True
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (
        len(before) == 2 and before[1] == "." and (before[0].isalnum() or before[0] == "_")
    ) or (len(after) == 2 and after[0] == "." and (after[1].isalnum() or after[1] == "_"))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_NEGATION_IN_OPTION = re.compile(r"\b(?:no|not|without|never|denies|none)\b", re.IGNORECASE)


def _option_text_before(text: str, start: int) -> str:
    """The ticked option's own words before a mention: back to its box or the line's start."""
    line_start = text.rfind("\n", 0, start) + 1
    box = max(text.rfind("]", line_start, start), text.rfind("☒", line_start, start),
              text.rfind("☑", line_start, start))  # fmt: skip
    return text[max(line_start, box + 1) : start]


def _with_boxes(text: str, mention: ConceptMention) -> ConceptMention:
    """A mention on a request-form line, with the verdict of its boxes (see `checkboxes`)."""
    verdict = checkbox_verdict(text, mention.start, mention.end)
    if verdict == "negated":  # a real negation: the box says no (not a pseudo-negation)
        return replace(mention, negated=True, hypothetical=False, negation_cues=("[x] no",))
    if verdict == "affirmed":
        if mention.negated and _NEGATION_IN_OPTION.search(_option_text_before(text, mention.start)):
            return replace(mention, hypothetical=False)  # "[X] Initial (no ESI in past 12 mo)"
        return replace(mention, negated=False, hypothetical=False)
    if verdict == "unanswered":  # an unticked box is neither a finding nor a denial of one
        return replace(mention, hypothetical=True)
    return mention


# a problem-list item marked resolved or healed ("Cellulitis of right lower limb - 08/2019 -
# RESOLVED"): what it names is not the patient's state today
# ("pain out of proportion to the (healed) injury": the mark in brackets describes the next word)
_MARKS = r"(?:RESOLVED|resolved|Resolved|healed|Healed|HEALED|inactive|Inactive|INACTIVE)"
_RESOLVED_ITEM = re.compile(
    rf"(?:\s[-–—]\s*|[;,]\s*){_MARKS}\b[ \t]*(?=$|[-–—;:,.)(])"
    rf"|\(\s*{_MARKS}\b[^)\n]{{0,20}}\)[ \t]*(?=$|[-–—;:,.(])"
    rf"|\(\s*{_MARKS}\b[ \t]*(?=$|[-–—;:,.(])",
    re.MULTILINE,
)


def _resolved(text: str, mention: ConceptMention) -> ConceptMention:
    """A mention on a problem-list line that marks the problem resolved is historical and
    absent today; the mark reaches back over its own item, not past a sentence's end (a terse
    note's one-line history: "axial LBP x 8 mo. HX L SCIATICA 2023 - TFESI, RESOLVED")."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    line_end = text.find("\n", mention.end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    item_end = re.compile(r"\.(?:\s|$)").search(
        line, mention.end - line_start
    )  # a sentence ends it
    if not _RESOLVED_ITEM.search(
        line, mention.end - line_start, item_end.start() + 1 if item_end else len(line)
    ):
        return mention
    if mention.category.startswith("PROC_") or mention.category == "SURGERY":
        return replace(mention, historical=True)  # a procedure done is not undone by "resolved"
    return replace(mention, negated=True, historical=True, negation_cues=("resolved",))


_MINUS_BEFORE = re.compile(r"(?:^|[,;])[ \t]*[-–][ \t]*$", re.MULTILINE)
_MINUS_ITEMS = re.compile(r"[,;][ \t]*[-–][ \t]+\w")


def _minus_item(text: str, start: int) -> bool:
    """An item of a review-of-systems line written with minus signs ("- fever, - chills, -
    bowel/bladder incontinence"): the sign says the patient denies it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : None if line_end < 0 else line_end]
    return bool(_MINUS_BEFORE.search(text, line_start, start)) and bool(_MINUS_ITEMS.search(line))


_QUERY_MARK = re.compile(r"(?:^|[\s(/:])\?\s?$")


def _queried(text: str, start: int) -> bool:
    """A term written after a question mark ("worked up for ?inflammatory arthritis", "? RA")
    is a question the note asks, not a finding."""
    return _QUERY_MARK.search(text, max(0, start - 3), start) is not None


def _mentions(doc: Any, offset: int) -> list[ConceptMention]:
    mentions = []
    text = doc.text
    spans = doc.spans[SPAN_GROUP]
    covering = _covering(spans)
    for span in spans:
        ext = span._  # one look-up of the extension attributes per span
        modifiers = _modifiers(span, ext.modifiers, text, covering) if ext.modifiers else ()
        stated_absent = "!" in (getattr(ext.target_rule, "literal", "") or "")
        cues = _negation_cues(span, modifiers)
        mentions.append(
            ConceptMention(
                category=span.label_,
                start=offset + span.start_char,
                end=offset + span.end_char,
                text=span.text,
                negated=(bool(ext.is_negated) and (stated_absent or bool(cues)))
                or _minus_item(text, span.start_char),
                historical=_modified(ext.is_historical, modifiers, "HISTORICAL"),
                hypothetical=_modified(ext.is_hypothetical, modifiers, "HYPOTHETICAL"),
                uncertain=_modified(ext.is_uncertain, modifiers, "POSSIBLE_EXISTENCE")
                or _queried(text, span.start_char),
                family=_modified(ext.is_family, modifiers, "FAMILY"),
                planned=any(modifier.category == PLANNED for modifier in modifiers),
                negation_cues=cues,
                stated_absent=stated_absent,
            )
        )
    return mentions


def _section(sections: list[SectionSpan], starts: list[int], offset: int) -> str:
    at = bisect.bisect_right(starts, offset) - 1
    if 0 <= at < len(sections) and sections[at].start <= offset < sections[at].end:
        return sections[at].name
    return section_at(sections, offset)


_BOX_OPEN_AT_END = re.compile(r"(?:\[\s*[xX✓✔]?\s*\]?|[☐☒☑])\s*$")
_BOX_AT_START = re.compile(r"^\s*(?:[xX✓✔]?\s*\]|(?:yes|no|y|n)\s*(?:\[|[☐☒☑])|[☐☒☑])", re.I)


def _boxes_kept_whole(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a form's line split at its checkbox ("Osteoporosis ... metab bone . [ ]" | "Yes
    [X] No"): a sentence that ends on a box, or one that opens with its answers, on the same
    line as the one before, is one line with its label."""
    joined: list[tuple[int, int]] = []
    for start, end in bounds:
        body = text[start:end]
        if not joined:
            joined.append((start, end))
            continue
        last_start, last_end = joined[-1]
        last_end = last_start + len(text[last_start:last_end].rstrip())
        first = start + len(body) - len(body.lstrip())
        if "\n" not in text[last_end:first] and (
            _BOX_OPEN_AT_END.search(text, last_start, last_end) or _BOX_AT_START.match(body)
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def annotate(text: str) -> AnnotatedDocument:
    """Sentences, sections and ConText-annotated concept mentions of one document.

    A long document is annotated window by window (`scale.windows`), so the cost per character
    stays flat; offsets are always into the whole text.
    """
    nlp = load_pipeline()
    text = repair_scanning(text)  # same length: offsets and quotes stay the record's
    pieces = list(windows(text))
    raw: list[ConceptMention] = []
    bounds: list[tuple[int, int]] = []
    with warnings.catch_warnings():  # spaCy W036 on every document: see pipeline module
        warnings.filterwarnings("ignore", message=r"\[W036\]", category=UserWarning)
        read = (warm_tokenizer(nlp.tokenizer, piece) for _, piece in pieces)
        for (offset, _), doc in zip(pieces, nlp.pipe(read), strict=True):
            raw.extend(_mentions(doc, offset))
            bounds.extend((offset + s.start_char, offset + s.end_char) for s in doc.sents)
    bounds = _boxes_kept_whole(text, bounds)
    sections = tuple(detect_sections(text))
    mentions = [m for m in _keep_longest(raw) if not _in_identifier(text, m.start, m.end)]
    if "[" in text or "☐" in text or "☒" in text or "☑" in text or has_answers(text):
        mentions = [_with_boxes(text, mention) for mention in mentions]
    if _RESOLVED_ITEM.search(text):
        mentions = [_resolved(text, mention) for mention in mentions]
    sentences: list[Sentence] = []
    cursor = 0
    section_list = list(sections)
    section_starts = [section.start for section in section_list]
    for sent_start, sent_end in bounds:
        start, end = _trimmed(text, sent_start, sent_end)
        if start == end:
            continue
        inside = []
        while cursor < len(mentions) and mentions[cursor].start < end:
            if mentions[cursor].start >= start:
                inside.append(mentions[cursor])
            cursor += 1
        sentences.append(
            Sentence(
                start=start,
                end=end,
                text=text[start:end],
                section=_section(section_list, section_starts, start),
                concepts=tuple(inside),
            )
        )
    return AnnotatedDocument(text=text, sections=sections, sentences=tuple(sentences))


__all__ = [
    "AnnotatedDocument",
    "ConceptMention",
    "SectionSpan",
    "Sentence",
    "annotate",
    "load_pipeline",
    "load_seconds",
]
