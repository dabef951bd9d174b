"""Guideline corpus: converter fidelity, codes table, manifest, determinism, headings, loader."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from guideline_corpus.convert import DELIBERATE_OMISSIONS, convert_file, convert_text
from guideline_corpus.corpus import (
    CORPORA_ROOT,
    contains_verbatim,
    load_corpus,
    load_corpus_from,
    normalize_ws,
)
from guideline_corpus.errors import CorpusChangedError, CorpusNotFoundError, ManifestError
from guideline_corpus.list_nesting import ListItem, assign_depths
from guideline_corpus.sections import KNOWN_TOP_SECTIONS

CORPUS_DIR = CORPORA_ROOT / "carelon_ipm"
SOURCE = CORPUS_DIR / "source" / "004_490d5bbfaccbc92b.txt"
CODE_LINE = re.compile(r"^[0-9A-Z]\d{3}[0-9A-Z]\*?\t")
PROCEDURE_SECTIONS = ["epidural", "facet", "sympathetic", "sacroiliac", "stimulators"]


def source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def toc_line_numbers(lines: list[str]) -> set[int]:
    """1-based numbers of the 'Table of Contents' line and its 'title<TAB>page' entries."""
    start = next(i for i, line in enumerate(lines) if line.strip() == "Table of Contents")
    numbers = {start + 1}
    for index in range(start + 1, len(lines)):
        if re.match(r"^.+\t\d+$", lines[index].strip()):
            numbers.add(index + 1)
        elif lines[index].strip() and len(numbers) > 1:
            break
    return numbers


def markdown_headings(markdown: str) -> list[tuple[int, str]]:
    return [
        (len(m.group(1)), m.group(2))
        for m in re.finditer(r"^(#{1,6}) (.+)$", markdown, flags=re.MULTILINE)
    ]


@pytest.fixture(scope="module")
def markdown() -> str:
    return (CORPUS_DIR / "guideline.md").read_text(encoding="utf-8")


# --- fidelity -------------------------------------------------------------------------------


def test_every_source_line_outside_the_toc_is_in_the_markdown(markdown: str) -> None:
    lines = source_lines()
    toc = toc_line_numbers(lines)
    haystack = normalize_ws(markdown)
    checked = 0
    missing: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or number in toc:
            continue
        checked += 1
        if "\t" in line and not CODE_LINE.match(line):
            # History table rows become markdown table rows: the cells, in order, on one row.
            expected = "| " + " | ".join(cell.strip() for cell in line.split("\t")) + " |"
        else:
            expected = line
        if normalize_ws(expected) not in haystack:
            missing.append(line.strip())
    coverage = 100.0 * (checked - len(missing)) / checked
    print(f"fidelity: {checked - len(missing)}/{checked} source lines found ({coverage:.2f}%)")
    assert not set(missing) - set(DELIBERATE_OMISSIONS), (
        "lines missing from guideline.md that are not listed in DELIBERATE_OMISSIONS: "
        f"{sorted(set(missing) - set(DELIBERATE_OMISSIONS))}"
    )
    # The omissions are real (no markdown line is one of them; a short one such as "Clinical
    # Appropriateness Guidelines" may still occur inside a sentence of the body).
    md_lines = {normalize_ws(line) for line in markdown.split("\n")}
    assert not md_lines & {normalize_ws(line) for line in DELIBERATE_OMISSIONS}


def test_deliberate_omissions_are_kept_in_the_manifest() -> None:
    manifest = json.loads((CORPUS_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    assert set(DELIBERATE_OMISSIONS) <= set(manifest["front_matter"])


def test_toc_and_page_noise_are_gone(markdown: str) -> None:
    assert "Table of Contents" not in markdown
    assert "\n\n\n" not in markdown
    assert markdown.count("| Status | Review Date | Effective Date | Action |") == 1
    assert not re.search(r"^.+\t\d+$", markdown, flags=re.MULTILINE)


# --- codes ----------------------------------------------------------------------------------


def source_code_lines() -> list[tuple[int, str, str, str]]:
    """(line number, code, description, section slug) for every code line of the source."""
    lines = source_lines()
    body_start = max(toc_line_numbers(lines))
    section = ""
    found = []
    for number, line in enumerate(lines, start=1):
        if number > body_start and line.strip() in KNOWN_TOP_SECTIONS:
            section = KNOWN_TOP_SECTIONS[line.strip()]
        if CODE_LINE.match(line):
            code, description = line.split("\t", 1)
            found.append((number, code.rstrip("*"), description.strip(), section))
    return found


def test_every_code_line_is_in_codes_csv() -> None:
    rows = list(csv.DictReader(io.StringIO((CORPUS_DIR / "codes.csv").read_text("utf-8"))))
    expected = source_code_lines()
    assert len(expected) == 69  # 69 code lines; 62281 and 62282 appear twice in epidural
    assert len({code for _, code, _, _ in expected}) == 67
    assert [(int(r["line"]), r["code"], r["description"], r["section"]) for r in rows] == expected


def test_code_flags_and_groups() -> None:
    corpus = load_corpus()
    starred = {e.code for e in corpus.codes if e.notification_only}
    assert starred == {"62320", "62322"}
    for entry in corpus.codes:
        assert entry.addon == ("list separately in addition" in entry.description.lower())
    assert {e.group for e in corpus.codes_for("62263")} == {"Lysis of Epidural Adhesions"}
    assert {e.group for e in corpus.codes_for("62281")} == {
        "Epidural Injection Procedures and Diagnostic Selective Nerve Root Blocks",
        "Lysis of Epidural Adhesions",
    }
    assert {e.group for e in corpus.codes_for("64493")} == {""}


def test_code_lines_are_one_markdown_line_under_their_codes_heading(markdown: str) -> None:
    md_lines = markdown.split("\n")
    for _, code, description, _ in source_code_lines():
        hits = [i for i, line in enumerate(md_lines) if line.startswith(f"- {code}")]
        assert any(md_lines[i].endswith(description) for i in hits), code
        for index in hits:
            above = [line for line in md_lines[:index] if re.match(r"^#{2,3} ", line)]
            assert above[-1] == "### Codes"


# --- manifest -------------------------------------------------------------------------------


def newest_history_dates() -> tuple[date, date]:
    rows = []
    for line in source_lines():
        cells = line.split("\t")
        if len(cells) == 4 and re.match(r"\d{2}/\d{2}/\d{4}", cells[2]):
            month, day, year = map(int, cells[2][:10].split("/"))
            reviews = re.findall(r"(\d{2})/(\d{2})/(\d{4})", cells[1])
            review = max((date(int(y), int(m), int(d)) for m, d, y in reviews), default=None)
            rows.append((date(year, month, day), review))
    effective, review = max(rows, key=lambda row: row[0])
    assert review is not None
    return effective, review


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_manifest_matches_files_and_history() -> None:
    manifest = json.loads((CORPUS_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["source_file"] == SOURCE.name
    assert manifest["source_sha256"] == sha(SOURCE)
    assert manifest["guideline_sha256"] == sha(CORPUS_DIR / "guideline.md")
    assert manifest["codes_sha256"] == sha(CORPUS_DIR / "codes.csv")
    effective, review = newest_history_dates()
    assert manifest["effective_date"] == effective.isoformat()
    assert manifest["review_date"] == review.isoformat()
    assert manifest["corpus_id"] == "carelon_ipm"
    assert manifest["publisher"] == "Carelon Medical Benefits Management, Inc."
    assert manifest["title"] == "Appropriate Use Criteria: Interventional Pain Management"
    assert [s["slug"] for s in manifest["sections"]] == list(KNOWN_TOP_SECTIONS.values())


def test_converter_is_deterministic(tmp_path: Path) -> None:
    convert_file(SOURCE, tmp_path / "a", corpus_id="carelon_ipm")
    convert_file(SOURCE, tmp_path / "b", corpus_id="carelon_ipm")
    for name in ("guideline.md", "MANIFEST.json", "codes.csv"):
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes()
        assert first == (CORPUS_DIR / name).read_bytes(), f"{name}: re-run the converter"


# --- headings and lists ---------------------------------------------------------------------


def test_top_sections_in_order(markdown: str) -> None:
    headings = markdown_headings(markdown)
    assert headings[0] == (1, "Appropriate Use Criteria: Interventional Pain Management")
    assert [text for level, text in headings if level == 2] == list(KNOWN_TOP_SECTIONS)


def subsections(markdown: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    current = ""
    for level, text in markdown_headings(markdown):
        if level == 2:
            current = KNOWN_TOP_SECTIONS[text]
            result[current] = []
        elif level == 3:
            result[current].append(text)
    return result


def test_procedure_sections_have_their_subsections(markdown: str) -> None:
    found = subsections(markdown)
    for slug in PROCEDURE_SECTIONS:
        for name in ("Description", "Clinical Indications", "Exclusions", "References", "Codes"):
            assert found[slug].count(name) == 1, (slug, name)
    assert "Contraindications" in found["epidural"]
    assert found["general"] == [
        "Clinical Appropriateness Framework",
        "Simultaneous Ordering of Multiple Diagnostic or Therapeutic Interventions",
        "Repeat Diagnostic Intervention",
        "Repeat Therapeutic Intervention",
    ]


def test_named_criteria_blocks_are_nested_headings(markdown: str) -> None:
    headings = markdown_headings(markdown)
    for expected in [
        (4, "General Information"),
        (4, "Epidural Injections"),
        (5, "Procedural Requirements and Restrictions"),
        (4, "Therapeutic Epidural Steroid Injection (Interlaminar, Caudal, Transforaminal)"),
        (4, "Lysis of epidural adhesions"),
        (4, "Exclusions/Contraindications for Intraosseous BVN Ablation"),
        (4, "Sacroiliac Joint Injections"),
        (5, "Repeat therapeutic intraarticular sacroiliac joint injections"),
        (5, "Ultrasound guidance"),
        (4, "CPT/HCPCS"),
        (5, "Lysis of Epidural Adhesions"),
        (4, "Dorsal Root Ganglion Stimulation"),
    ]:
        assert expected in headings
    # Labels and long sub-titles stay body text.
    assert (4, "Conditions*") not in headings and "\nConditions*\n" in markdown


@pytest.mark.parametrize(
    ("start", "indent"),
    [
        ("- **Physical therapy requirement** includes", 0),
        ("- Exception to the physical therapy requirement", 2),  # back up after a 3rd-level run
        ("- Compliance (documented or by clinician", 4),
        ("- Adjunctive medications such as nerve membrane", 2),  # flattened by a page break
        ("- **Interventional modalities**", 0),  # bold label aligns with its siblings
        ("- Minimally invasive interventional pain", 2),
        ("- Fibrovascular bone marrow changes", 4),
        ("- Absence of non-vertebrogenic pathology", 2),  # EITHER had its two items
        ("- Objective evidence for presence of neuropathy", 4),
        ("- Dorsal column stimulation is being used", 0),  # a non-owner item has no children
        ("- Procedure must be performed unilaterally", 2),
        ("- Cyst aspiration/rupture may be repeated", 3),  # under "3. ..." (3-column marker)
    ],
)
def test_list_nesting_is_recovered(markdown: str, start: str, indent: int) -> None:
    lines = [line for line in markdown.split("\n") if line.lstrip().startswith(start)]
    assert lines, start
    assert {len(line) - len(line.lstrip()) for line in lines} == {indent}


def test_assign_depths_rules_on_a_synthetic_list() -> None:
    def item(text: str, indented: bool = False, after_blank: bool = False) -> ListItem:
        return ListItem(1, "-", text, indented, after_blank)

    items = [
        item("Owner with **BOTH** of the following:"),
        item("Owner with **EITHER** of the following:", indented=True),
        item("first", after_blank=True),
        item("second"),
        item("third goes back up"),
        item("Plain top item"),
        item("indented after a non-owner", indented=True),
    ]
    assign_depths(items)
    assert [i.depth for i in items] == [1, 2, 3, 3, 2, 1, 1]


def test_new_version_with_renamed_section_converts() -> None:
    text = SOURCE.read_text(encoding="utf-8").replace(
        "Regional Sympathetic Nerve Block", "Regional Sympathetic Nerve Blocks"
    )
    conversion = convert_text(text, "new.txt", "carelon_ipm_next")
    titles = [section.title for section in conversion.manifest.sections]
    assert "Regional Sympathetic Nerve Blocks" in titles
    assert "\n## Regional Sympathetic Nerve Blocks\n" in conversion.markdown
    assert len(conversion.codes) == 69


def test_source_without_table_of_contents_converts_the_same_body() -> None:
    lines = source_lines()
    toc = toc_line_numbers(lines)
    without_toc = "\n".join(line for n, line in enumerate(lines, start=1) if n not in toc)
    conversion = convert_text(without_toc, "no_toc.txt", "carelon_ipm")
    assert conversion.markdown == (CORPUS_DIR / "guideline.md").read_text(encoding="utf-8")
    assert conversion.manifest.title.startswith("Appropriate Use Criteria")


# --- loader ---------------------------------------------------------------------------------


def test_load_corpus_and_code_lookups() -> None:
    corpus = load_corpus("carelon_ipm")
    assert corpus is load_corpus()
    assert corpus.id == "carelon_ipm" and corpus.markdown.startswith("# Appropriate Use")
    assert corpus.section_slugs_for("64483") == ["epidural"]
    assert corpus.section_slugs_for("64493") == ["facet"]
    assert corpus.section_slugs_for("62322*") == ["epidural"]
    assert corpus.section_slugs_for("27096") == ["sacroiliac"]
    assert corpus.section_slugs_for("99999") == []
    assert len(corpus.codes_for("62282")) == 2
    assert corpus.section_title("facet").startswith("Paravertebral Facet Injection")


def test_loader_refuses_a_hand_edited_guideline(tmp_path: Path) -> None:
    copy = tmp_path / "carelon_ipm"
    shutil.copytree(CORPUS_DIR, copy)
    load_corpus_from(copy)
    guideline = copy / "guideline.md"
    guideline.write_text(guideline.read_text("utf-8") + "\nedited\n", encoding="utf-8")
    with pytest.raises(CorpusChangedError, match="re-run"):
        load_corpus_from(copy)


def test_loader_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusNotFoundError):
        load_corpus_from(tmp_path / "nope")
    copy = tmp_path / "broken"
    shutil.copytree(CORPUS_DIR, copy)
    (copy / "MANIFEST.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ManifestError):
        load_corpus_from(copy)
    (copy / "MANIFEST.json").unlink()
    with pytest.raises(CorpusNotFoundError):
        load_corpus_from(copy)


def test_normalize_ws_and_contains_verbatim() -> None:
    assert normalize_ws("  a\tb \n\n c  ") == "a b c"
    corpus = load_corpus()
    assert contains_verbatim(corpus.markdown, "Isolated axial neck pain,\n mid-back pain")
    assert not contains_verbatim(corpus.markdown, "Isolated axial neck pain is fine")
    assert not contains_verbatim(corpus.markdown, "   ")
