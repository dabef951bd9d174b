"""Checks every criteria section file gets, one table for all sections (stimulators, sympathetic,
sacroiliac, facet): the files pass the loader checks and define their sets, no code of the
section is left pending a route, each YAML example evaluates to its expected status, each
definition and criterion has a passing and a failing example, and each criterion is used by the
section's sets.

The epidural files get the same checks loaded on their own (tests/unit/test_criteria_examples.py);
each section's routing and whole-request decisions are in tests/unit/test_criteria_<section>.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from criteria.loader import CriteriaLibrary, load_library
from criteria.model import Item

# section -> (its criteria files, sets they define (each with criteria),
#             the sets that must use each criterion; None: any set)
SECTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], list[str] | None]] = {
    "stimulators": (("stimulators.yaml",), ("stimulators.request",), ["stimulators.request"]),
    "sympathetic": (("sympathetic.yaml",), ("sympathetic.crps_block",), ["sympathetic.crps_block"]),
    "sacroiliac": (
        ("sacroiliac.yaml",),
        ("sacroiliac.diagnostic_ia", "sacroiliac.therapeutic_ia"),
        None,
    ),
    "facet": (
        ("facet.yaml", "facet_bvn.yaml"),
        ("facet.diagnostic_mbb", "facet.therapeutic_ia", "facet.rfa", "facet.bvn"),
        None,
    ),
}


def _items(library: CriteriaLibrary, files: tuple[str, ...]) -> list[Item]:
    """The definitions and criteria of the named criteria files."""
    items: list[Item] = []
    for name in files:
        items.extend(library.files[name].definitions)
        items.extend(library.files[name].criteria)
    return items


def _example_params() -> list[Any]:
    return [
        pytest.param(item.id, n, id=f"{item.id}[{n}]")
        for files, _, _ in SECTIONS.values()
        for item in _items(load_library(), files)
        for n in range(len(item.examples))
    ]


@pytest.mark.parametrize("section", SECTIONS)
def test_loader_checks_pass_and_files_are_loaded(library: CriteriaLibrary, section: str) -> None:
    files, defined, _ = SECTIONS[section]
    for name in files:
        assert library.files[name].section == section
    for set_id in defined:
        assert library.set_criteria(set_id), set_id


@pytest.mark.parametrize("section", SECTIONS)
def test_no_code_of_the_section_is_pending(library: CriteriaLibrary, section: str) -> None:
    routes = library.routing.routes
    for entry in library.codes:
        if entry.section == section:
            assert not routes[entry.code].pending, entry.code


@pytest.mark.parametrize(("item_id", "index"), _example_params())
def test_yaml_example(library: CriteriaLibrary, item_id: str, index: int) -> None:
    example = library.item(item_id).examples[index]
    result = library.evaluator.run_example(item_id, example)
    assert result.status == example.expect, (result.reason, result.missing)


@pytest.mark.parametrize("section", SECTIONS)
def test_every_item_has_a_passing_and_a_failing_example(
    library: CriteriaLibrary, section: str
) -> None:
    files, _, _ = SECTIONS[section]
    for item in _items(library, files):
        statuses = {e.expect for e in item.examples}
        assert statuses & {"met", "not_applicable"}, item.id
        assert statuses & {"not_met", "not_documented"}, item.id


@pytest.mark.parametrize("section", SECTIONS)
def test_every_criterion_is_used_by_a_set(library: CriteriaLibrary, section: str) -> None:
    files, _, sets = SECTIONS[section]
    used = {c for s in (library.sets if sets is None else sets) for c in library.set_criteria(s)}
    for name in files:
        for crit in library.files[name].criteria:
            assert crit.id in used, crit.id
