"""Every YAML example of every criterion and definition evaluates to its expected status.

Runs over the corpus's whole criteria folder (all sections); the loader's start-up checks run
first, so a broken quote, passage id or fact name fails here too.
"""

from __future__ import annotations

import pytest

from criteria.loader import CriteriaLibrary, build_library, criteria_dir, load_library, read_files
from criteria.model import Example

OWN_FILES = ("general.yaml", "epidural.yaml", "routing.yaml")


def _cases(library: CriteriaLibrary) -> list[tuple[str, int, Example]]:
    items = [*library.definitions.values(), *library.criteria.values()]
    return [(item.id, n, example) for item in items for n, example in enumerate(item.examples)]


def _check(library: CriteriaLibrary) -> list[str]:
    failures = []
    for item_id, number, example in _cases(library):
        result = library.evaluator.run_example(item_id, example)
        if result.status != example.expect:
            failures.append(
                f"{item_id} example {number}: expected {example.expect}, got {result.status} "
                f"(missing {result.missing}; {result.reason})"
            )
    return failures


def test_own_files_load_alone_and_their_examples_pass() -> None:
    files = {k: v for k, v in read_files(criteria_dir()).items() if k in OWN_FILES}
    library = build_library(files)
    assert len(_cases(library)) > 150
    assert _check(library) == []


def test_every_criterion_has_a_passing_and_a_failing_example() -> None:
    files = {k: v for k, v in read_files(criteria_dir()).items() if k in OWN_FILES}
    library = build_library(files)
    for criterion in library.criteria.values():
        expected = {example.expect for example in criterion.examples}
        assert "met" in expected or "not_applicable" in expected, criterion.id
        assert expected & {"not_met", "not_documented"}, criterion.id


def test_whole_criteria_folder_loads_and_every_example_passes() -> None:
    load_library.cache_clear()
    library = load_library()
    assert _check(library) == []


@pytest.mark.parametrize("name", OWN_FILES)
def test_own_file_is_present(name: str) -> None:
    assert (criteria_dir() / name).is_file()
