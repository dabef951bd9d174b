"""The offline reader's lexicons: the words and phrasings it looks for, as data in this folder.

Owns which files are here and how the reader asks for them; reading, checking and compiling them
is `drafting.pattern_data` (the entry format is in its docstring; a bad file raises its
`PatternFileError`, exported here as `LexiconError`, naming the file and the key). Three kinds of
file:

- word lists (`WORD_LISTS`: `activities.yaml`, `body_sites.yaml`, `billed_procedures.yaml`,
  `holidays.yaml`):
  `words(name)` returns the parsed YAML and the module that reads it uses the words;
- concept files (`CONCEPT_FILES`: `concepts_*.yaml`, the medSpaCy target rules of
  `drafting.extraction.clinical_nlp.concepts`): `sources(name)` returns category -> the text of
  its patterns, in file order, each checked to compile; medSpaCy compiles them, regardless of
  case (``(?-i:...)`` marks a case-sensitive part);
- pattern files (all others): `patterns(name)` or `patterns(name, section)` returns name ->
  compiled pattern, in the order the file lists them, each compiled once. Entries here are
  case-insensitive unless they say `case_sensitive: true`. A section is a mapping of names
  under one key (`surgeries.yaml`: `types`, `cues`).

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

from drafting.pattern_data import (
    PatternFileError,
    pattern_sources,
    pattern_table,
    read_pattern_file,
)

LEXICON_DIR = Path(__file__).resolve().parent
# read with `words`
WORD_LISTS = frozenset({"activities", "body_sites", "billed_procedures", "holidays"})
CONCEPT_FILES = frozenset(path.stem for path in LEXICON_DIR.glob("concepts_*.yaml"))  # `sources`

LexiconError = PatternFileError  # the name the reader's callers and tests know it by

__all__ = [
    "CONCEPT_FILES",
    "LEXICON_DIR",
    "WORD_LISTS",
    "LexiconError",
    "lexicon_path",
    "patterns",
    "sources",
    "words",
]


def lexicon_path(name: str) -> Path:
    """The file of lexicon `name` ("surgeries" -> .../lexicons/surgeries.yaml)."""
    return LEXICON_DIR / f"{name}.yaml"


@cache
def words(name: str) -> Mapping[str, Any]:
    """A word-list lexicon as parsed (`activities`, `body_sites`): read once, never compiled."""
    return MappingProxyType(read_pattern_file(lexicon_path(name)))


def patterns(name: str, section: str | None = None) -> Mapping[str, re.Pattern[str]]:
    """name -> compiled pattern of lexicon `name` (or of one `section` of it), in file order."""
    return pattern_table(lexicon_path(name), section)


def sources(name: str) -> Mapping[str, tuple[str, ...]]:
    """category -> the text of its patterns in concept file `name`, in file order, each checked."""
    return pattern_sources(lexicon_path(name))
