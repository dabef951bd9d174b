"""The one loader of patterns kept as YAML (`drafting.pattern_data`) serves the reader's lexicons
and the letter linter's `patterns.yaml`: the linter's tables load through it in file order with
the case each entry asks for, and a bad entry in either kind of file fails with one line naming
the file and the key.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafting.errors import DeterminationError
from drafting.extraction.lexicons import LexiconError, lexicon_path
from drafting.lint.patterns import PATTERNS_FILE, lint_patterns
from drafting.pattern_data import (
    PatternFileError,
    PatternTable,
    compile_pattern_file,
    pattern_table,
    read_pattern_file,
)

LINT_TABLES = ("outcomes", "elements", "claims")


def test_the_lint_file_opens_with_a_comment_naming_its_reader() -> None:
    text = PATTERNS_FILE.read_text(encoding="utf-8")
    header = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
    assert text.startswith("# ")
    assert "Read by drafting.lint.patterns" in header


def test_the_lint_file_holds_its_three_tables() -> None:
    assert tuple(read_pattern_file(PATTERNS_FILE)) == LINT_TABLES


@pytest.mark.parametrize("table", LINT_TABLES)
def test_every_lint_table_loads_through_the_shared_loader_in_file_order(table: str) -> None:
    compiled = lint_patterns(table)
    assert isinstance(compiled, PatternTable)
    assert compiled is pattern_table(PATTERNS_FILE, table) is lint_patterns(table)  # once
    assert list(compiled) == list(read_pattern_file(PATTERNS_FILE)[table])
    assert all(isinstance(pattern, re.Pattern) for pattern in compiled.values())


def test_a_lint_entry_is_case_sensitive_only_where_it_says_so() -> None:
    entries = read_pattern_file(PATTERNS_FILE)
    for table in LINT_TABLES:
        for name, pattern in lint_patterns(table).items():
            entry = entries[table][name]
            says = isinstance(entry, dict) and entry.get("case_sensitive", False)
            assert bool(pattern.flags & re.IGNORECASE) is not says, f"{table}.{name}"
    assert lint_patterns("claims")["acronym"].search("MRI")
    assert not lint_patterns("claims")["acronym"].search("mri")
    assert lint_patterns("outcomes")["deny"].search("DENIED")


def test_alternatives_are_joined_with_a_bar() -> None:
    entry = read_pattern_file(PATTERNS_FILE)["outcomes"]["pend"]
    assert lint_patterns("outcomes")["pend"].pattern == "|".join(entry["any_of"])


@pytest.mark.parametrize(
    ("source", "old", "new", "key"),
    [
        (PATTERNS_FILE, "  iso:\n    pattern: '", "  iso:\n    pattern: '(", "elements.iso"),
        (PATTERNS_FILE, "  npi:\n    pattern:", "  npi:\n    regex:", "claims.npi"),
        (lexicon_path("surgeries"), "  discectomy: '", "  discectomy: '[", "types.discectomy"),
    ],
)
def test_a_bad_entry_in_either_kind_of_file_is_one_line_naming_file_and_key(
    tmp_path: Path, source: Path, old: str, new: str, key: str
) -> None:
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1
    broken = tmp_path / source.name
    broken.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(PatternFileError) as caught:
        compile_pattern_file(broken)
    message = str(caught.value)
    assert caught.value.key == key
    assert message.startswith(f"{broken}: {key}: ") and "\n" not in message
    assert isinstance(caught.value, LexiconError) and isinstance(caught.value, DeterminationError)


def test_asking_the_linter_for_a_missing_table_or_name_names_it() -> None:
    with pytest.raises(PatternFileError, match=r"lint/patterns\.yaml: verdicts: no such section"):
        lint_patterns("verdicts")
    with pytest.raises(PatternFileError, match=r"lint/patterns\.yaml: claims\.zip: no such"):
        lint_patterns("claims")["zip"]
