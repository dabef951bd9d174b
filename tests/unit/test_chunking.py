"""Chunking guideline.md into passages: stable unique ids, heading boundaries, sizes, coverage."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from guideline_corpus.chunking import (
    MAX_CHARS,
    MIN_CHARS,
    SECTION_TITLES,
    chunk_guideline,
    load_passages,
)
from guideline_corpus.corpus import load_corpus
from guideline_corpus.passages import Passage

HEADING = re.compile(r"^(#{1,6}) (.+)$")
ITEM = re.compile(r"^ *(?:-|\d+\.) ")


@pytest.fixture(scope="module")
def markdown() -> str:
    return load_corpus().markdown


@pytest.fixture(scope="module")
def passages(markdown: str) -> list[Passage]:
    return chunk_guideline(markdown)


def end_line(passage: Passage) -> int:
    return passage.start_line + passage.text.count("\n")


def prefix(passage: Passage) -> str:
    return passage.id.rsplit("/", 1)[0]


def test_ids_unique_readable_and_stable(markdown: str, passages: list[Passage]) -> None:
    ids = [p.id for p in passages]
    assert len(ids) == len(set(ids))
    again = chunk_guideline(markdown)
    assert [(p.id, p.text, p.start_line) for p in again] == [
        (p.id, p.text, p.start_line) for p in passages
    ]
    assert [p.id for p in load_passages()] == ids
    for passage in passages:
        assert re.fullmatch(r"[a-z]+(/[a-z0-9]+(-[a-z0-9]+)*)*/[1-9]\d*", passage.id), passage.id
        parts = passage.id.split("/")
        assert parts[0] == passage.section
        assert all(len(part.split("-")) <= 6 for part in parts[1:-1])
        assert len(parts) == len(passage.heading_path) + 1


def test_ordinals_count_from_one_under_each_heading(passages: list[Passage]) -> None:
    by_prefix: dict[str, list[int]] = defaultdict(list)
    for passage in passages:
        by_prefix[prefix(passage)].append(int(passage.id.rsplit("/", 1)[1]))
    for ordinals in by_prefix.values():
        assert ordinals == list(range(1, len(ordinals) + 1))


def test_examples_from_the_brief_exist(passages: list[Passage]) -> None:
    ids = {p.id for p in passages}
    assert (
        "epidural/clinical-indications/therapeutic-epidural-steroid-injection-interlaminar-caudal/1"
        in ids
    )
    assert "facet/exclusions/1" in ids


def test_no_passage_crosses_a_heading(markdown: str, passages: list[Passage]) -> None:
    lines = markdown.split("\n")
    for passage in passages:
        assert not any(HEADING.match(line) for line in passage.text.split("\n")), passage.id
        above = [HEADING.match(line) for line in lines[: passage.start_line - 1]]
        nearest = [m for m in above if m][-1]
        assert nearest.group(2) == passage.heading_path[-1], passage.id
        assert passage.text == "\n".join(lines[passage.start_line - 1 : end_line(passage)])


def test_every_body_line_is_in_exactly_one_passage(markdown: str, passages: list[Passage]) -> None:
    covered: Counter[int] = Counter()
    for passage in passages:
        covered.update(range(passage.start_line, end_line(passage) + 1))
    for number, line in enumerate(markdown.split("\n"), start=1):
        if line.strip() and not HEADING.match(line):
            assert covered[number] == 1, (number, line)


def test_passage_sizes(passages: list[Passage]) -> None:
    groups: dict[str, list[Passage]] = defaultdict(list)
    for passage in passages:
        groups[prefix(passage)].append(passage)
    for passage in passages:
        size = len(passage.text)
        if size > MAX_CHARS:
            # Only one unsplittable unit may exceed the cap: a single list item or table row.
            lines = [line for line in passage.text.split("\n") if line.strip()]
            data_rows = [line for line in lines if line.startswith("|") and "---" not in line]
            assert len(lines) == 1 or len(data_rows) <= 2, passage.id
        if size < MIN_CHARS:
            siblings = groups[prefix(passage)]
            index = siblings.index(passage)
            neighbours = siblings[max(index - 1, 0) : index] + siblings[index + 1 : index + 2]
            # Short only when its heading's body is short, or merging would break the cap.
            assert all(len(n.text) + size + 2 > MAX_CHARS for n in neighbours), passage.id
    sizes = sorted(len(p.text) for p in passages)
    print(f"{len(passages)} passages, median {sizes[len(sizes) // 2]} chars, max {sizes[-1]}")


def test_lead_in_lines_stay_with_their_first_item(passages: list[Passage]) -> None:
    for passage in passages:
        last = [line for line in passage.text.split("\n") if line.strip()][-1]
        assert not last.rstrip(" *").endswith(":"), passage.id


def test_kinds(passages: list[Passage]) -> None:
    for passage in passages:
        if "References" in passage.heading_path:
            assert passage.kind == "references"
            assert all(re.match(r"^\d+\. ", ln) for ln in passage.text.split("\n") if ln.strip())
        elif "Codes" in passage.heading_path:
            assert passage.kind == "codes"
        elif passage.section == "history":
            assert passage.kind == "history"
        else:
            assert passage.kind == "body"
    assert Counter(p.kind for p in passages).keys() == {"body", "references", "codes", "history"}


def test_section_slugs_and_titles(passages: list[Passage]) -> None:
    assert list(SECTION_TITLES) == [
        "application",
        "general",
        "epidural",
        "facet",
        "sympathetic",
        "sacroiliac",
        "stimulators",
        "history",
    ]
    for passage in passages:
        assert SECTION_TITLES[passage.section] == passage.heading_path[0]


@pytest.mark.parametrize(
    ("phrase", "section", "heading"),
    [
        ("Isolated axial neck pain", "epidural", "Exclusions"),
        ("Radiofrequency ablation sacral lateral branch by any method", "sacroiliac", "Exclusions"),
        ("dual diagnostic medial branch block injections (with", "facet", "Thermal Medial Branch"),
        ("Lead migration", "stimulators", "Stimulator Replacement*, Revision, or Removal"),
        ("- 64483 Injection(s)", "epidural", "Epidural Injection Procedures and Diagnostic"),
        ("Moderate-to-severe pain with functional impairment", "facet", "Patient Requirements"),
    ],
)
def test_spot_checks(passages: list[Passage], phrase: str, section: str, heading: str) -> None:
    hits = [p for p in passages if phrase in p.text]
    assert len(hits) == 1, phrase
    assert hits[0].section == section
    assert hits[0].heading_path[-1].startswith(heading)


def test_a_list_lead_in_and_its_items_share_a_passage(passages: list[Passage]) -> None:
    (passage,) = [p for p in passages if "Isolated axial neck pain" in p.text]
    assert passage.text.startswith("Indications other than those addressed in this guideline")
    assert passage.id == "epidural/exclusions/1"


def test_never_split_inside_a_list_item(passages: list[Passage]) -> None:
    for passage in passages:
        first = passage.text.split("\n")[0]
        # A passage starts with a whole paragraph, list item or table row, never mid-sentence.
        assert ITEM.match(first) or first[:1].isupper() or first[:1] in "|*¹²©", passage.id
