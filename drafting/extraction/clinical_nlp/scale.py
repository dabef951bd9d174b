"""What keeps the reader linear in the length of a record.

Two costs grew with the square of a note's length (a 100k-character note took 18 s, a 400k one
209 s): medSpaCy's regex matcher rebuilt ``doc.text`` for each of its ~600 concept patterns and
resolved misaligned matches by scanning every token, and ConText compared every modifier with
every target of the document. Here:

- `match_once` replaces the regex matcher's call: the text is built once per document, a
  pattern is tried only where one of its start literals occurs (`literals`), and a misaligned
  match snaps to a token by binary search, with the same left/right resolution;
- `windows` cuts a long document into windows at paragraph or line breaks (never inside a line
  that continues the previous one), which the pipeline annotates one by one; sentences and
  ConText scopes never cross a line break that starts a new sentence, so the verdicts are those
  of the whole document, at a cost that is flat per 100k characters;
- `warm_tokenizer` fills spaCy's tokenizer cache with a window's new chunks before the window
  is read (same tokens). With ConText's shortcuts (`context_fast`) these took 1 MB of notes from
  about 15 s to about 5 s on a 2-core machine, half of it the extraction rules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Any

from drafting.extraction.clinical_nlp.literals import LiteralIndex, start_literals

WINDOW_CHARS = 6000
_BREAK = re.compile(r"\n\s*\n|\n(?=[^\s\n])")  # a blank line, else a line break
_WARM_LIMIT = 500_000  # chunks remembered; past this the tokenizer is left to its own cache
_warmed: set[str] = set()


def windows(text: str, size: int = WINDOW_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering `text`, each piece at most about `size` characters.

    A piece ends at the last blank line (else the last line break followed by a line that does
    not start in lower case) before the limit; a single line longer than the limit is cut at a
    sentence end (". " before an upper-case letter), else at the limit.
    """
    start = 0
    length = len(text)
    while length - start > size:
        limit = start + size
        cut = None
        for match in _BREAK.finditer(text, start + size // 2, limit):
            after = text[match.end() : match.end() + 1]
            if not after.islower():
                cut = match.end()
        if cut is None:
            sentence_end = None
            for match in re.finditer(r"[.!?]\s+(?=[A-Z])", text[start + size // 2 : limit]):
                sentence_end = start + size // 2 + match.end()
            cut = sentence_end or limit
        yield start, text[start:cut]
        start = cut
    if start < length:
        yield start, text[start:]


def warm_tokenizer(tokenizer: Any, text: str) -> str:
    """Fill spaCy's tokenizer cache with the chunks of `text` it has not seen; returns `text`.

    spaCy caches how it split each whitespace-delimited chunk, but once a special case (``w/o``,
    ``s/p``) has been used in a document it caches nothing more from that document, so in a
    clinical note most chunks were split anew every time. A chunk's split does not depend on the
    document around it, so the new chunks are tokenized on their own first (alphabetic ones
    together, the others one by one, since a special case stops the caching again) and the
    document is then mostly read from the cache: the same tokens, in less time.
    """
    if len(_warmed) > _WARM_LIMIT:
        return text
    new = set(text.split()) - _warmed
    if new:
        _warmed.update(new)
        specials = getattr(tokenizer, "rules", None) or {}
        words = sorted(chunk for chunk in new if chunk.isalpha() and chunk not in specials)
        if words:
            tokenizer(" ".join(words))
        for chunk in new:
            if not chunk.isalpha() or chunk in specials:
                tokenizer(chunk)
    return text


def match_once(self: Any, doc: Any) -> list[tuple[int, int, int]]:
    """medSpaCy `RegexMatcher.__call__` with the document text built once (same results).

    Each pattern is tried only where one of its start literals occurs (`literals.LiteralIndex`,
    the same matches as ``pattern.finditer``), so a pattern absent from the text costs a few
    substring searches.
    """
    if not self._patterns:  # ConText's matcher: all its triggers are phrases and token patterns
        return []
    text = doc.text_with_ws
    index = LiteralIndex(text)
    from spacy.attrs import IDX

    token_starts = doc.to_array(IDX).tolist()
    matches: list[tuple[int, int, int]] = []
    for match_id, patterns in self._patterns.items():
        on_match = self._callbacks[match_id]
        for pattern in patterns:
            for found in index.finditer(pattern):
                span = doc.char_span(found.start(), found.end())
                if span is None:
                    start = _token_at(doc, token_starts, found.start(), self.resolve_start)
                    end = _token_at(doc, token_starts, found.end(), self.resolve_end)
                    span = doc[start : len(doc) if end is None else end]
                if len(span):
                    matches.append((match_id, span.start, span.end))
                if on_match is not None:
                    on_match(self, doc, len(matches) - 1, matches)
    return matches


def read_start_literals(regex_matcher: Any) -> None:
    """Read every pattern's start literals now (at load time), not on the first document."""
    for patterns in regex_matcher._patterns.values():
        for pattern in patterns:
            start_literals(pattern.pattern, pattern.flags)


def _token_at(doc: Any, starts: list[int], char: int, resolve: str) -> int | None:
    """medSpaCy's get_token_for_char as an index, by bisection over token start offsets."""
    position = bisect.bisect_left(starts, char)
    if position < len(starts) and starts[position] == char:
        return position
    if position >= len(starts):  # past the last token start
        return len(doc) - 1 if resolve == "left" else None
    if resolve == "left":
        return position - 1
    return position
