"""The reader's lexicons (`drafting.extraction.lexicons`): every file loads and compiles, a broken
entry fails with one error naming the file and the key, every pattern the code asks for exists,
and the medSpaCy concept files are read as text, every one of them, by the concept module.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from drafting.errors import DeterminationError
from drafting.extraction.clinical_nlp import concepts
from drafting.extraction.lexicons import (
    CONCEPT_FILES,
    LEXICON_DIR,
    WORD_LISTS,
    LexiconError,
    patterns,
    sources,
    words,
)
from drafting.pattern_data import compile_pattern_file, pattern_sources, read_pattern_file

FILES = sorted(path.stem for path in LEXICON_DIR.glob("*.yaml"))
PATTERN_FILES = [name for name in FILES if name not in WORD_LISTS | CONCEPT_FILES]
READERS = sorted(
    path
    for folder in ("rules", "quantities")
    for path in (LEXICON_DIR.parent / folder).glob("*.py")
)


def _tables(name: str) -> dict[str, dict[str, re.Pattern[str]]]:
    """section (or "" for a flat file) -> its patterns."""
    data = read_pattern_file(LEXICON_DIR / f"{name}.yaml")
    if all(isinstance(v, str) or "pattern" in v or "any_of" in v for v in data.values()):
        return {"": dict(patterns(name))}
    return {section: dict(patterns(name, section)) for section in data}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_folder_holds_the_word_lists_concept_files_and_pattern_files() -> None:
    assert set(WORD_LISTS) <= set(FILES)
    assert len(CONCEPT_FILES) >= 9
    assert len(PATTERN_FILES) >= 10


@pytest.mark.parametrize("name", FILES)
def test_every_file_opens_with_a_comment_naming_its_reader(name: str) -> None:
    text = (LEXICON_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    assert text.startswith("# ")
    assert "Read by drafting.extraction." in " ".join(header.replace("#", " ").split())


@pytest.mark.parametrize("name", PATTERN_FILES)
def test_every_pattern_file_compiles_in_file_order(name: str) -> None:
    data = read_pattern_file(LEXICON_DIR / f"{name}.yaml")
    tables = _tables(name)
    assert tables and all(tables.values())
    for section, table in tables.items():
        assert list(table) == list(data[section] if section else data)  # first match wins: order
        for pattern in table.values():
            assert isinstance(pattern, re.Pattern)


@pytest.mark.parametrize("name", sorted(WORD_LISTS))
def test_every_word_list_is_names_to_phrasings_that_compile(name: str) -> None:
    for key, phrasings in words(name).items():
        assert isinstance(key, str) and phrasings
        for phrasing in phrasings:
            re.compile(phrasing, re.IGNORECASE)


@pytest.mark.parametrize("name", sorted(CONCEPT_FILES))
def test_every_concept_file_is_categories_to_pattern_texts_in_file_order(name: str) -> None:
    data = read_pattern_file(LEXICON_DIR / f"{name}.yaml")
    table = sources(name)
    assert list(table) == list(data) and table is sources(name)  # read once, in file order
    for category, texts in table.items():
        written = data[category]
        assert texts and len(texts) == (len(written) if isinstance(written, list) else 1)
        for text in texts:
            assert isinstance(text, str) and "\n" not in text
            re.compile(text, re.IGNORECASE)


def test_the_concept_module_reads_every_concept_file() -> None:
    assert {*concepts._CONCEPT_FILES, "concepts_absent"} == CONCEPT_FILES
    assert len(concepts.CONCEPT_PATTERNS) == sum(
        len(sources(name)) for name in concepts._CONCEPT_FILES
    )
    absent = {category: list(texts) for category, texts in sources("concepts_absent").items()}
    assert absent == concepts.ABSENT_PATTERNS


def test_a_concept_file_keeps_its_patterns_as_text(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# test\n"
        "one: '(?-i:\\bPT\\b)'\n"
        "many:\n  - '\\bfirst\\b'\n  - |-\n    \\bsecond\\s+\n    (?:long|one)\n",
    )
    assert dict(pattern_sources(path)) == {
        "one": (r"(?-i:\bPT\b)",),
        "many": (r"\bfirst\b", r"\bsecond\s+(?:long|one)"),
    }


def test_patterns_are_compiled_once() -> None:
    assert patterns("surgeries", "types") is patterns("surgeries", "types")
    assert patterns("surgeries", "types")["fusion"] is patterns("surgeries", "types")["fusion"]


def test_a_long_pattern_is_its_lines_joined_and_flags_follow_the_entry(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# test\n"
        "joined: |-\n  \\bone|\n  \\btwo\\b\n"
        "exact:\n  pattern: '\\bCT\\b'\n  case_sensitive: true\n"
        "words: '(?-i:\\bUS\\b)|ultrasound'\n"
        "either:\n  any_of:\n    - |-\n      \\bone\\s+\n      two\n    - 'three'\n"
        "  case_sensitive: true\n",
    )
    compiled = compile_pattern_file(path)
    assert compiled["joined"].pattern == r"\bone|\btwo\b"
    assert compiled["joined"].flags & re.IGNORECASE
    assert not compiled["exact"].flags & re.IGNORECASE
    assert compiled["exact"].search("CT") and not compiled["exact"].search("ct")
    assert compiled["words"].search("ULTRASOUND") and not compiled["words"].search("us")
    assert compiled["either"].pattern == r"\bone\s+two|three"
    assert compiled["either"].flags == re.compile("x").flags


def test_a_bad_pattern_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "cues:\n  good: '\\bgood\\b'\n  bad: '(?:unclosed'\n")
    with pytest.raises(LexiconError) as caught:
        compile_pattern_file(path)
    message = str(caught.value)
    assert "broken.yaml" in message and "cues.bad" in message
    assert "not a valid regular expression" in message
    assert isinstance(caught.value, DeterminationError)
    assert caught.value.key == "cues.bad"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("no: 'x'\n", "False", "must be a string"),  # YAML reads `no` as false
        ("a: |-\n  \\bone\n   \\btwo\n", "a", "starts or ends with a space"),
        ("a:\n  pattern: 'x'\n  flags: i\n", "a", "unknown field"),
        ("a:\n  pattern: 'x'\n  case_sensitive: yes please\n", "a", "true or false"),
        ("a: ''\n", "a", "non-empty"),
        ("a: [x, y]\n", "a", "must be a pattern or a section"),
        ("a:\n  b:\n    c: 'x'\n", "a.b", "sections do not nest"),
        ("a: 'x'\n  b: 'y'\n", None, "not valid YAML"),
        ("- 'x'\n", None, "must be a mapping"),
        ("a:\n  pattern: 'x'\n  any_of: ['y']\n", "a", "either pattern or any_of"),
        ("a:\n  any_of: []\n", "a", "non-empty list"),
        ("a:\n  any_of: ['x', 3]\n", "a", "any_of item 2 must be a non-empty string"),
        ("a:\n  any_of: ['x', '(y']\n", "a", "not a valid regular expression"),
        # a concept file (read as text by pattern_sources): a pattern or a list of patterns
        ("# concepts\na:\n  - 'x'\n  - '(y'\n", "a", "item 2 is not a valid regular expression"),
        ("# concepts\na: '(y'\n", "a", "a: not a valid regular expression"),
        ("# concepts\na:\n  - 'x'\n  - 3\n", "a", "item 2 must be a non-empty string"),
        ("# concepts\na: []\n", "a", "must be a pattern or a non-empty list of patterns"),
        ("# concepts\na:\n  pattern: 'x'\n", "a", "must be a pattern or a non-empty list"),
        ("# concepts\na:\n  - |-\n    \\bone\n     \\btwo\n", "a", "starts or ends with a space"),
    ],
)
def test_a_malformed_entry_says_what_is_wrong(
    tmp_path: Path, text: str, key: str | None, problem: str
) -> None:
    read = pattern_sources if text.startswith("# concepts") else compile_pattern_file
    with pytest.raises(LexiconError, match=problem) as caught:
        read(_write(tmp_path, text))
    assert caught.value.key == key
    assert "broken.yaml" in str(caught.value) and "\n" not in str(caught.value)


def test_asking_for_a_missing_name_or_section_names_it() -> None:
    with pytest.raises(LexiconError, match=r"surgeries\.yaml: types\.appendectomy: no such"):
        patterns("surgeries", "types")["appendectomy"]
    with pytest.raises(LexiconError, match=r"surgeries\.yaml: organs: no such section"):
        patterns("surgeries", "organs")
    with pytest.raises(LexiconError, match=r"surgeries\.yaml: types: is a section"):
        patterns("surgeries")
    assert "appendectomy" not in patterns("surgeries", "types")
    assert patterns("surgeries", "types").get("appendectomy") is None
    with pytest.raises(LexiconError, match=r"lexicons/nonesuch\.yaml: cannot be read"):
        patterns("nonesuch")


def _asked_for(module: Path) -> list[tuple[str, str | None, str]]:
    """(file, section, name) for every `TABLE["name"]` where `TABLE = patterns(file[, section])`."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    tables: dict[str, tuple[str, str | None]] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "patterns"
        ):
            args = [a.value for a in node.value.args if isinstance(a, ast.Constant)]
            for target in node.targets:
                if isinstance(target, ast.Name):
                    tables[target.id] = (args[0], args[1] if len(args) > 1 else None)
    return [
        (*tables[node.value.id], node.slice.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id in tables
        and isinstance(node.slice, ast.Constant)
    ]


def test_every_pattern_the_reader_asks_for_is_in_its_file() -> None:
    asked = [(module.name, *use) for module in READERS for use in _asked_for(module)]
    assert len(asked) >= 40  # the scan sees the reader's lookups
    missing = [
        f"{module}: {name}.yaml {section or ''} {key}"
        for module, name, section, key in asked
        if key not in patterns(name, section)
    ]
    assert not missing
