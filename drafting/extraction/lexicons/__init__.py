r"""The offline reader's lexicons: the words and phrasings it looks for, as data in this folder.

Owns reading the YAML files here, once per process (cached), and the one error they raise
(`LexiconError`, naming the file and the key). Two kinds of file:

- word lists (`WORD_LISTS`: `activities.yaml`, `body_sites.yaml`): `words(name)` returns the
  parsed YAML and the module that reads it builds its own pattern from the words;
- pattern files (all others): `patterns(name)` or `patterns(name, section)` returns name ->
  compiled pattern, in the order the file lists them (tables where the first match wins keep
  their order). Each value is one regular expression:

      name: '\bregex\b'            # compiled case-insensitive (re.IGNORECASE)
      name: |-                     # a long one over several lines: the lines are joined with
        \bfirst\s+part|            # nothing between them (a line may not start or end with a
        \bsecond\s+part            # space: write \s or put the space inside the line)
      name:                        # matched case-sensitively ("(?-i:...)" does it for one part)
        pattern: '\bCT\b'
        case_sensitive: true

  A section is a mapping of such names under one key (`surgeries.yaml`: `types`, `cues`).

Each file opens with a comment that says what it holds and which module reads it. Add phrasings as
concepts (what the words mean), never a sentence lifted from one case.
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

LEXICON_DIR = Path(__file__).resolve().parent
WORD_LISTS = frozenset({"activities", "body_sites"})  # read with `words`; all others: `patterns`
_SPEC_KEYS = ("pattern", "case_sensitive")
_ALLOWED = ", ".join(_SPEC_KEYS)


class LexiconError(DeterminationError):
    """A lexicon file that cannot be used: missing, not YAML, or a key whose pattern is wrong."""

    def __init__(self, path: Path, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        where = f"{_shown(path)}: {key}" if key else _shown(path)
        super().__init__(f"{where}: {problem}")


def _shown(path: Path) -> str:
    """The file as the project names it (drafting/extraction/lexicons/x.yaml)."""
    try:
        return str(path.relative_to(LEXICON_DIR.parents[2]))
    except ValueError:
        return str(path)


def lexicon_path(name: str) -> Path:
    """The file of lexicon `name` ("surgeries" -> .../lexicons/surgeries.yaml)."""
    return LEXICON_DIR / f"{name}.yaml"


def read_lexicon(path: Path) -> dict[str, Any]:
    """The parsed YAML of one lexicon file (a mapping with string keys), uncached."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(path, None, f"cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise LexiconError(path, None, f"is not valid YAML ({' '.join(str(exc).split())})") from exc
    if not isinstance(data, dict):
        raise LexiconError(path, None, "must be a mapping of names to entries")
    for key in data:
        if not isinstance(key, str):  # `yes:`, `no:`, `on:` and numbers are not strings in YAML
            raise LexiconError(path, str(key), "a name must be a string; quote it")
    return data


@cache
def words(name: str) -> Mapping[str, Any]:
    """A word-list lexicon as parsed (`activities`, `body_sites`): read once, never compiled."""
    return MappingProxyType(read_lexicon(lexicon_path(name)))


def _is_pattern(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, dict) and "pattern" in value)


def compile_entry(path: Path, key: str, value: Any) -> re.Pattern[str]:
    """One entry's compiled pattern (see the module docstring for the forms it may take)."""
    spec = value if isinstance(value, dict) else {"pattern": value}
    unknown = ", ".join(sorted(str(k) for k in spec if k not in _SPEC_KEYS))
    if unknown:
        raise LexiconError(path, key, f"unknown field(s) {unknown}; allowed: {_ALLOWED}")
    text, case_sensitive = spec.get("pattern"), spec.get("case_sensitive", False)
    if not isinstance(text, str) or not text.strip():
        raise LexiconError(path, key, "the pattern must be a non-empty string")
    if not isinstance(case_sensitive, bool):
        raise LexiconError(path, key, "case_sensitive must be true or false")
    lines = text.split("\n")
    if len(lines) > 1 and any(line != line.strip() for line in lines):
        raise LexiconError(path, key, "a line of a multi-line pattern starts or ends with a space")
    try:
        return re.compile("".join(lines), 0 if case_sensitive else re.IGNORECASE)
    except re.error as exc:
        raise LexiconError(path, key, f"not a valid regular expression ({exc})") from exc


class PatternTable(dict[str, "re.Pattern[str]"]):
    """name -> compiled pattern of one file or section, in file order (read it as a Mapping).

    Asking for a name the file does not hold raises `LexiconError` naming the file and the key.
    """

    def __init__(
        self, path: Path, section: str | None, entries: dict[str, re.Pattern[str]]
    ) -> None:
        super().__init__(entries)
        self.path, self.section = path, section

    def __missing__(self, name: str) -> re.Pattern[str]:
        where = f"{self.section}.{name}" if self.section else name
        raise LexiconError(self.path, where, "no such pattern in the file")


def compile_lexicon(path: Path) -> dict[str, re.Pattern[str] | PatternTable]:
    """Every entry of a pattern file compiled: name -> pattern, or section -> its PatternTable."""
    compiled: dict[str, re.Pattern[str] | PatternTable] = {}
    for key, value in read_lexicon(path).items():
        if _is_pattern(value):
            compiled[key] = compile_entry(path, key, value)
        elif isinstance(value, dict) and value:
            section: dict[str, re.Pattern[str]] = {}
            for name, entry in value.items():
                where = f"{key}.{name}"
                if not isinstance(name, str):
                    raise LexiconError(path, where, "a name must be a string; quote it")
                if not _is_pattern(entry):
                    raise LexiconError(path, where, "must be a pattern (sections do not nest)")
                section[name] = compile_entry(path, where, entry)
            compiled[key] = PatternTable(path, key, section)
        else:
            raise LexiconError(path, key, "must be a pattern or a section of named patterns")
    return compiled


@cache
def _compiled(name: str) -> dict[str, re.Pattern[str] | PatternTable]:
    return compile_lexicon(lexicon_path(name))


@cache
def patterns(name: str, section: str | None = None) -> Mapping[str, re.Pattern[str]]:
    """name -> compiled pattern of lexicon `name` (or of one `section` of it), in file order."""
    path, compiled = lexicon_path(name), _compiled(name)
    if section is None:
        flat: dict[str, re.Pattern[str]] = {}
        for key, value in compiled.items():
            if isinstance(value, PatternTable):
                raise LexiconError(path, key, "is a section: name the section to read")
            flat[key] = value
        return PatternTable(path, None, flat)
    table = compiled.get(section)
    if not isinstance(table, PatternTable):
        problem = "is not a section" if section in compiled else "no such section in the file"
        raise LexiconError(path, section, problem)
    return table
