"""Evidence checks shared by every extractor: a quote must be in the record and state the value.

Instructor's validated-citations pattern: the record text travels in the pydantic *validation
context* (`{"documents": [text, ...]}`), and `VerbatimQuote`'s validator refuses a quote that does
not occur in any document after whitespace normalisation. `QuotedValue` adds the second rule:
every number, date, spinal level and side written in a fact's value must also be written in its
quote (so "pain 8/10" cannot come from "pain 3/10", nor "left" from a quote that never says left).
A model that fails either rule is rejected; nothing here lets an unverified quote through, and
without record text in the context validation fails closed. What a quote *means* (negation, who
is meant) is not checked here: a wrong value with a real quote still needs the reviewer, and
the pipeline flags any line the offline extractor's facts decide otherwise (`pipeline.cross_check`).

`locate_quote` maps a quote back to (document index, start, end) in the original text, for the
evidence links the reviewer clicks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, model_validator

from criteria.fact_values import level_or_text, level_vertebrae
from drafting.extraction.quantities.calendar import find_dates
from drafting.extraction.quantities.mentions import WORD_NUMBER_PATTERN, WORD_NUMBERS
from guideline_corpus.corpus import normalize_ws

DOCUMENTS_CONTEXT_KEY = "documents"
MIN_QUOTE_CHARS = 4
# Characters a model tends to wrap a quote in; they are not part of the quote.
_QUOTE_WRAPPERS = " \t\r\n\"'`“”‘’«»…"
_NUMBER_RE = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)")
_WORD_NUMBER_RE = re.compile(rf"\b(?:{WORD_NUMBER_PATTERN})\b", re.IGNORECASE)
_ARTICLES = {"a", "an"}  # "a week": not a number a value can be checked against


def clean_quote(quote: str) -> str:
    """The quote without the quotation marks or ellipses a model may wrap it in."""
    return normalize_ws(quote.strip(_QUOTE_WRAPPERS))


def _normalized_with_offsets(text: str) -> tuple[str, list[int]]:
    """Whitespace-normalised text plus, for each of its characters, the offset in `text`."""
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(index - 1)
            pending_space = False
        chars.append(char)
        offsets.append(index)
    return "".join(chars), offsets


def locate_quote(documents: Sequence[str], quote: str) -> tuple[int, int, int] | None:
    """Where `quote` occurs: (document index, start, end) in the original text, or None.

    Matching is exact except for whitespace (runs of spaces/newlines are equal) and quotation
    marks around the quote. The first document that contains it wins.
    """
    needle = clean_quote(quote)
    if len(needle) < MIN_QUOTE_CHARS:
        return None
    for doc_index, text in enumerate(documents):
        haystack, offsets = _normalized_with_offsets(text)
        found = haystack.find(needle)
        if found >= 0:
            last = found + len(needle) - 1
            return doc_index, offsets[found], offsets[last] + 1
    return None


def documents_from_context(context: Mapping[str, Any] | None) -> list[str]:
    """The record texts carried in a validation context; raises when there are none."""
    documents = (context or {}).get(DOCUMENTS_CONTEXT_KEY)
    if not documents or not all(isinstance(text, str) for text in documents):
        raise ValueError(
            "cannot check the quote: no record text in the validation context "
            f"(pass context={{'{DOCUMENTS_CONTEXT_KEY}': [text, ...]}})"
        )
    return list(documents)


def evidence_context(documents: Sequence[str]) -> dict[str, list[str]]:
    """The validation context that `VerbatimQuote` and `QuotedValue` read the record from."""
    return {DOCUMENTS_CONTEXT_KEY: list(documents)}


def _check_verbatim(quote: str, info: ValidationInfo) -> str:
    documents = documents_from_context(info.context)
    cleaned = clean_quote(quote)
    if len(cleaned) < MIN_QUOTE_CHARS:
        raise ValueError(
            f"quote {cleaned!r} is too short to be evidence: copy the whole sentence or phrase"
        )
    if locate_quote(documents, cleaned) is None:
        raise ValueError(
            f"quote {cleaned[:120]!r} is not in the record: copy the exact words from the "
            "clinical notes, or leave the fact empty if the notes do not say it"
        )
    return cleaned


VerbatimQuote = Annotated[str, AfterValidator(_check_verbatim)]
"""A string that must occur verbatim (up to whitespace) in the record text of the context."""


def _as_number(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(",", "."))
    except InvalidOperation:
        return None


def numbers_in(text: str, *, words: bool = False) -> set[Decimal]:
    """The numbers written in `text` (7, 7.5, 80 in "80%", 7 and 10 in "7/10").

    With `words=True`, spelled-out numbers 0-100 count too ("six weeks", "eighty-five percent":
    85, and 80 and 5 as written), from the reader's vocabulary
    (``drafting.extraction.quantities.mentions.WORD_NUMBERS``), articles aside.
    """
    found = {
        number for token in _NUMBER_RE.findall(text) if (number := _as_number(token)) is not None
    }
    if words:
        for match in _WORD_NUMBER_RE.finditer(text):
            phrase = normalize_ws(match.group(0).lower())
            for token in {phrase, *re.split(r"[\s-]", phrase)} - _ARTICLES:
                if token in WORD_NUMBERS:
                    found.add(Decimal(WORD_NUMBERS[token]))
    return found


def dates_in(text: str) -> set[date]:
    """Calendar dates written to the day in `text` (2025-10-20, 10/20/2025, Oct 20, 2025,
    20 October 2025): ``drafting.extraction.quantities.calendar.find_dates``, month-only dates
    ("October 2025") left out."""
    return {mention.value for mention in find_dates(text) if mention.precision == "day"}


def _leaves(value: Any) -> list[Any]:
    """The scalar values inside `value` (models, mappings and sequences are walked)."""
    if isinstance(value, BaseModel):
        return _leaves({name: getattr(value, name) for name in type(value).model_fields})
    if isinstance(value, Mapping):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list | tuple | set | frozenset):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


_LEVEL_MENTION = re.compile(
    r"(?<![A-Za-z])([CTLS])\s?(\d{1,2})(?:\s?[-/–]\s?([CTLS])?\s?(\d{1,2}))?(?!\d)", re.I
)
_SIDE_WORDS = {"left": ("left",), "right": ("right",), "bilateral": ("bilateral", "both")}


def levels_in(text: str) -> set[str]:
    """Spinal levels written in `text`, normalised (`L4-5` -> `L4-L5`), plus their vertebrae."""
    found: set[str] = set()
    for match in _LEVEL_MENTION.finditer(text):
        level = level_or_text(match.group(0))
        found.add(level)
        found |= level_vertebrae(level)
    return found


def _is_level(text: str) -> bool:
    match = _LEVEL_MENTION.fullmatch(text.strip())
    return match is not None


def unsupported_by_quote(value: Any, quote: str) -> list[str]:
    """The parts of `value` its quote does not state.

    Booleans, None and other words pass; a date passes when the quote writes that same date in a
    common format; a spinal level (`L5-S1`) must be written in the quote (`L5-S1`, `L5/S1`); a
    side (left/right/bilateral) must be written in the quote; any other number must appear in
    the quote, as digits or as a number word up to twenty / the tens.
    """
    quote_numbers = numbers_in(quote, words=True)
    quote_lower = quote.lower()
    missing: list[str] = []
    for leaf in _leaves(value):
        if leaf is None or isinstance(leaf, bool):
            continue
        if isinstance(leaf, date):
            if leaf not in dates_in(quote):
                missing.append(leaf.isoformat())
        elif isinstance(leaf, str) and _is_level(leaf):
            if level_or_text(leaf) not in levels_in(quote):
                missing.append(leaf)
        elif isinstance(leaf, str) and leaf.lower() in _SIDE_WORDS:
            words = _SIDE_WORDS[leaf.lower()]
            if not any(re.search(rf"\b{word}", quote_lower) for word in words):
                missing.append(leaf)
        else:
            missing.extend(
                format(number, "f") for number in sorted(numbers_in(str(leaf)) - quote_numbers)
            )
    return missing


def check_numbers_in_quote(value: Any, quote: str) -> None:
    """Raise ValueError when a number, date, level or side in `value` is not written in `quote`."""
    missing = unsupported_by_quote(value, quote)
    if missing:
        raise ValueError(
            f"the value states {', '.join(dict.fromkeys(missing))} but the quote {quote[:80]!r} "
            "does not: quote the words that state it, or leave the fact empty"
        )


def _carries_own_quote(value: Any) -> bool:
    if isinstance(value, QuotedFields):
        return True
    return isinstance(value, list) and any(isinstance(item, QuotedFields) for item in value)


class QuotedFields(BaseModel):
    """Fields read from the record plus the quote that states them (quote first: cite, then read).

    Every number, date, level and side in the other fields must be written in the quote; nested
    items that carry their own quote (an imaging study's findings) are checked against their own.
    """

    quote: VerbatimQuote = Field(
        description="The exact words of the clinical notes that state this, copied verbatim."
    )

    @model_validator(mode="after")
    def _fields_come_from_quote(self) -> QuotedFields:
        own = {
            name: getattr(self, name)
            for name in type(self).model_fields
            if name != "quote" and not _carries_own_quote(getattr(self, name))
        }
        check_numbers_in_quote(own, self.quote)
        return self


class QuotedValue(QuotedFields):
    """One fact value with its quote; subclasses narrow `value`'s type."""

    value: Any
