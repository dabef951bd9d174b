"""Where a concept pattern can start: its leading literals, found with `str.find`, not the regex.

Most concept patterns open with a word or an alternation of words (``\\b(?:leg|arm|thigh)\\s+
pain``). Python's regex engine tries such a pattern at every position of the text whose
character could begin one of the words, which made pattern matching the largest cost of the
reader. `start_literals` reads the parsed pattern and returns the set of literal strings one of
which every match must start with (lower case); `finditer` then asks the pattern for a match
only where one of them occurs, and yields exactly what ``pattern.finditer(text)`` yields:

- a match attempt at a position does not depend on where the search started: look-behinds,
  ``\\b`` and ``^`` see the text before it (``pattern.match(text, pos)`` is the attempt that
  ``finditer`` makes when it reaches ``pos``);
- positions are tried in order, and the next attempt starts where the last match ended, as in
  ``finditer``; a pattern with a required literal cannot match the empty string;
- the literals are compared with `fold(text)`, which maps every character to the one lower-case
  ASCII letter it matches under IGNORECASE (``K`` and the Kelvin sign to ``k``, ``ſ`` to ``s``,
  ``İ`` and ``ı`` to ``i``) and keeps the length of the text, so a skipped position is one where
  the pattern cannot match, whatever its case flags.

A pattern with no such literal (one opening with ``\\d`` or a character class) runs as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

try:  # the regular-expression parser of the standard library (renamed in Python 3.11)
    import re._constants as _c  # type: ignore[import-not-found,unused-ignore]
    import re._parser as _parser  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _parser

MAX_LITERAL = 8  # longer prefixes are cut: a shorter prefix is still one every match starts with
MAX_ALTERNATIVES = 256  # past this many prefixes the pattern runs unfiltered

# Every non-ASCII character that matches an ASCII letter under IGNORECASE (checked over all of
# Unicode in the tests), mapped to that letter; ASCII capitals to lower case.
FOLD = {
    **{code: code + 32 for code in range(ord("A"), ord("Z") + 1)},
    0x130: ord("i"),  # İ
    0x131: ord("i"),  # ı
    0x17F: ord("s"),  # ſ
    0x212A: ord("k"),  # Kelvin sign
}

_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}

# (prefix, open): `prefix` begins every match of the parsed items taken this way; `open` means
# the items matched exactly `prefix`, so what follows them continues it.
_Prefixes = set[tuple[str, bool]]
_STOP: _Prefixes = {("", False)}


def fold(text: str) -> str:
    """`text` with each character as the lower-case ASCII letter it matches, same length."""
    return text.lower() if text.isascii() else text.translate(FOLD)


def _sequence(items: Iterable[tuple[object, Any]]) -> _Prefixes | None:
    prefixes: _Prefixes = {("", True)}
    for op, value in items:
        following = _item(op, value)
        if following is None:
            return None
        joined: _Prefixes = set()
        for prefix, is_open in prefixes:
            if not is_open:
                joined.add((prefix, False))
                continue
            for tail, tail_open in following:
                whole = prefix + tail
                if len(whole) >= MAX_LITERAL:
                    joined.add((whole[:MAX_LITERAL], False))
                else:
                    joined.add((whole, tail_open))
        if len(joined) > MAX_ALTERNATIVES:
            return None
        prefixes = joined
        if not any(is_open for _, is_open in prefixes):
            break
    return prefixes


def _item(op: object, value: Any) -> _Prefixes | None:
    if op in _ZERO_WIDTH:
        return {("", True)}
    if op is _c.LITERAL:
        return {(chr(value).lower(), True)} if value < 128 else _STOP
    if op is _c.SUBPATTERN:
        return _sequence(value[3])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(value)
    if op is _c.BRANCH:
        union: _Prefixes = set()
        for branch in value[1]:
            prefixes = _sequence(branch)
            if prefixes is None:
                return None
            union |= prefixes
        return union
    if op in _REPEATS:
        low, high, body = value
        inner = _sequence(body) or _STOP
        if not (high == 1 and low <= 1):  # more repetitions may follow the first
            inner = {(prefix, False) for prefix, _ in inner}
        return inner | {("", True)} if low == 0 else inner
    return _STOP  # a class, any character, a back-reference: no literal beyond this point


@cache
def start_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` starts with (None if none)."""
    try:
        prefixes = _sequence(_parser.parse(pattern, flags))
    except Exception:  # a pattern the parser of this Python reads differently: no filter
        return None
    if prefixes is None:
        return None
    literals = {prefix for prefix, _ in prefixes}
    if "" in literals:
        return None
    kept: list[str] = []
    for literal in sorted(literals, key=len):  # "esi" makes "esis" redundant
        if not any(literal.startswith(shorter) for shorter in kept):
            kept.append(literal)
    return frozenset(kept)


class LiteralIndex:
    """Occurrences of literals in one text, found on demand and kept."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self._found: dict[str, list[int]] = {}

    def positions(self, literal: str) -> list[int]:
        """Start offsets of `literal` in the folded text, overlapping ones included."""
        found = self._found.get(literal)
        if found is None:
            found = []
            find = self.folded.find
            at = find(literal)
            while at >= 0:
                found.append(at)
                at = find(literal, at + 1)
            self._found[literal] = found
        return found

    def finditer(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """What ``pattern.finditer(self.text)`` yields, trying only where a start literal is."""
        literals = start_literals(pattern.pattern, pattern.flags)
        if literals is None:
            return list(pattern.finditer(self.text))
        if len(literals) == 1:
            candidates = self.positions(next(iter(literals)))
        else:
            merged: set[int] = set()
            for literal in literals:
                merged.update(self.positions(literal))
            candidates = sorted(merged)
        found: list[re.Match[str]] = []
        cursor = 0
        match = pattern.match
        text = self.text
        for position in candidates:
            if position >= cursor:
                attempt = match(text, position)
                if attempt is not None:
                    found.append(attempt)
                    cursor = attempt.end()
        return found
