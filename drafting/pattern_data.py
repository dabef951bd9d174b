r"""Regular expressions kept as YAML data: reading, checking and compiling them.

Owns the one format and the one loader of every pattern file (the offline reader's lexicons in
`drafting/extraction/lexicons/`, read through `drafting.extraction.lexicons`; the letter linter's
`drafting/lint/patterns.yaml`, read through `drafting.lint.patterns`), and the one error a bad
file raises (`PatternFileError`: one line naming the file and the key). A file is a mapping of
names to entries, or of section names to such mappings (sections do not nest); a table keeps the
order of the file (tables where the first match wins keep their order). An entry is one regular
expression:

    name: '\bregex\b'            # compiled case-insensitive (re.IGNORECASE), the default
    name: |-                     # a long one over several lines: the lines are joined with
      \bfirst\s+part|            # nothing between them (a line may not start or end with a
      \bsecond\s+part            # space: write \s or put the space inside the line)
    name:                        # matched case-sensitively ("(?-i:...)" does it for one part)
      pattern: '\bCT\b'
      case_sensitive: true
    name:                        # alternatives joined with '|' into one expression (each one
      any_of:                    # may be over several lines as above); case_sensitive as above
        - '\bdeny\b'
        - '\bdenied\b'

Files whose patterns another library compiles (the reader's medSpaCy concept rules) are read with
`pattern_sources`, which keeps each pattern's text: a name maps to one pattern or a list of them,
each written as above (a string, a long one over several lines joined with nothing) and checked to
compile, case-insensitive as medSpaCy compiles it (``(?-i:...)`` marks a case-sensitive part):

    name: '\bregex\b'
    name:
      - '\bone\b'
      - |-
        \bsecond\s+
        pattern

Each file opens with a comment that says what it holds and which module reads it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from drafting.errors import DeterminationError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
_SPEC_KEYS = ("pattern", "any_of", "case_sensitive")
_ALLOWED = ", ".join(_SPEC_KEYS)


class PatternFileError(DeterminationError):
    """A pattern file that cannot be used: missing, not YAML, or a key whose pattern is wrong."""

    def __init__(self, path: Path, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        where = f"{_shown(path)}: {key}" if key else _shown(path)
        super().__init__(f"{where}: {problem}")


def _shown(path: Path) -> str:
    """The file as the project names it (drafting/extraction/lexicons/x.yaml)."""
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def read_pattern_file(path: Path) -> dict[str, Any]:
    """The parsed YAML of one pattern file (a mapping with string keys), uncached."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PatternFileError(path, None, f"cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        problem = f"is not valid YAML ({' '.join(str(exc).split())})"
        raise PatternFileError(path, None, problem) from exc
    if not isinstance(data, dict):
        raise PatternFileError(path, None, "must be a mapping of names to entries")
    for key in data:
        if not isinstance(key, str):  # `yes:`, `no:`, `on:` and numbers are not strings in YAML
            raise PatternFileError(path, str(key), "a name must be a string; quote it")
    return data


def _is_pattern(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, dict) and ("pattern" in value or "any_of" in value)
    )


def _joined(path: Path, key: str, text: Any, what: str) -> str:
    """One expression's text: a non-empty string whose lines are joined with nothing."""
    if not isinstance(text, str) or not text.strip():
        raise PatternFileError(path, key, f"{what} must be a non-empty string")
    lines = text.split("\n")
    if len(lines) > 1 and any(line != line.strip() for line in lines):
        problem = "a line of a multi-line pattern starts or ends with a space"
        raise PatternFileError(path, key, problem)
    return "".join(lines)


def _source(path: Path, key: str, spec: Mapping[str, Any]) -> str:
    """The expression of an entry: its `pattern`, or its `any_of` alternatives joined with '|'."""
    if ("pattern" in spec) == ("any_of" in spec):
        raise PatternFileError(path, key, "give either pattern or any_of, not both")
    if "pattern" in spec:
        return _joined(path, key, spec["pattern"], "the pattern")
    alternatives = spec["any_of"]
    if not isinstance(alternatives, list) or not alternatives:
        raise PatternFileError(path, key, "any_of must be a non-empty list of patterns")
    return "|".join(
        _joined(path, key, text, f"any_of item {number}")
        for number, text in enumerate(alternatives, start=1)
    )


def compile_entry(path: Path, key: str, value: Any) -> re.Pattern[str]:
    """One entry's compiled pattern (see the module docstring for the forms it may take)."""
    spec = value if isinstance(value, dict) else {"pattern": value}
    unknown = ", ".join(sorted(str(k) for k in spec if k not in _SPEC_KEYS))
    if unknown:
        raise PatternFileError(path, key, f"unknown field(s) {unknown}; allowed: {_ALLOWED}")
    source, case_sensitive = _source(path, key, spec), spec.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise PatternFileError(path, key, "case_sensitive must be true or false")
    return _compile(path, key, source, 0 if case_sensitive else re.IGNORECASE)


def _compile(path: Path, key: str, source: str, flags: int, what: str = "") -> re.Pattern[str]:
    """`source` compiled, or the error naming the file, the key and (`what`) the list item."""
    try:
        return re.compile(source, flags)
    except re.error as exc:
        problem = f"not a valid regular expression ({exc})"
        raise PatternFileError(path, key, f"{what} is {problem}" if what else problem) from exc


class PatternTable(dict[str, "re.Pattern[str]"]):
    """name -> compiled pattern of one file or section, in file order (read it as a Mapping).

    Asking for a name the file does not hold raises `PatternFileError` naming the file and the key.
    """

    def __init__(
        self, path: Path, section: str | None, entries: dict[str, re.Pattern[str]]
    ) -> None:
        super().__init__(entries)
        self.path, self.section = path, section

    def __missing__(self, name: str) -> re.Pattern[str]:
        where = f"{self.section}.{name}" if self.section else name
        raise PatternFileError(self.path, where, "no such pattern in the file")


def _compile_section(path: Path, key: str, entries: dict[Any, Any]) -> PatternTable:
    section: dict[str, re.Pattern[str]] = {}
    for name, entry in entries.items():
        where = f"{key}.{name}"
        if not isinstance(name, str):
            raise PatternFileError(path, where, "a name must be a string; quote it")
        if not _is_pattern(entry):
            problem = "must be a pattern: a string, or pattern or any_of (sections do not nest)"
            raise PatternFileError(path, where, problem)
        section[name] = compile_entry(path, where, entry)
    return PatternTable(path, key, section)


def compile_pattern_file(path: Path) -> dict[str, re.Pattern[str] | PatternTable]:
    """Every entry of a pattern file compiled: name -> pattern, or section -> its PatternTable."""
    compiled: dict[str, re.Pattern[str] | PatternTable] = {}
    for key, value in read_pattern_file(path).items():
        if _is_pattern(value):
            compiled[key] = compile_entry(path, key, value)
        elif isinstance(value, dict) and value:
            compiled[key] = _compile_section(path, key, value)
        else:
            raise PatternFileError(path, key, "must be a pattern or a section of named patterns")
    return compiled


@cache
def _compiled(path: Path) -> dict[str, re.Pattern[str] | PatternTable]:
    return compile_pattern_file(path)


@cache
def pattern_table(path: Path, section: str | None = None) -> Mapping[str, re.Pattern[str]]:
    """name -> compiled pattern of the file at `path` (or of one `section` of it), in file order.

    Each file is read and compiled once per process; a flat file is read without a section, a
    file of sections one section at a time.
    """
    compiled = _compiled(path)
    if section is None:
        flat: dict[str, re.Pattern[str]] = {}
        for key, value in compiled.items():
            if isinstance(value, PatternTable):
                raise PatternFileError(path, key, "is a section: name the section to read")
            flat[key] = value
        return PatternTable(path, None, flat)
    table = compiled.get(section)
    if not isinstance(table, PatternTable):
        problem = "is not a section" if section in compiled else "no such section in the file"
        raise PatternFileError(path, section, problem)
    return table


@cache
def pattern_sources(path: Path) -> Mapping[str, tuple[str, ...]]:
    """name -> the text of its patterns, in file order, each checked to compile but kept as text.

    For patterns another library compiles (medSpaCy's target rules): an entry is one pattern or a
    list of patterns, each a string whose lines are joined with nothing, checked case-insensitive
    as medSpaCy compiles it. Each file is read once per process.
    """
    table: dict[str, tuple[str, ...]] = {}
    for key, value in read_pattern_file(path).items():
        many = isinstance(value, list)
        texts = value if many else [value]
        if not texts or not (many or isinstance(value, str)):
            raise PatternFileError(path, key, "must be a pattern or a non-empty list of patterns")
        sources = []
        for number, text in enumerate(texts, start=1):
            item = f"item {number}" if many else ""
            source = _joined(path, key, text, item or "the pattern")
            _compile(path, key, source, re.IGNORECASE, item)
            sources.append(source)
        table[key] = tuple(sources)
    return MappingProxyType(table)
