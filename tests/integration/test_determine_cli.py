"""`determine CASE.json|DIR ...` (drafting.cli.commands): summary, --json, --out, batch, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from drafting.cli.commands import determine_main, settings_with, shorten

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "eval" / "gold" / "cases"
DATE = ["--date", "2026-12-01"]
Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = determine_main([*argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --- one case ----------------------------------------------------------------------------------


# (gold case, what its summary shows, what it must not show)
SUMMARIES = [
    pytest.param(
        "G34",
        [
            "Case G34",
            "carelon_ipm version 2026-06-14",
            "27096  right",
            "DENIED",
            "not met: ",
            "sacroiliac.repeat.prior_relief",
            'guideline: "Repeat injection is considered medically necessary',
            "passage: sacroiliac/",
            "Letter: template; lint findings:",
            "Date: 12/01/2026",  # the letter itself, dated by --date
            "\nYour appeal rights\n",
        ],
        [],
        id="shows_lines_reasons_quotes_and_the_letter",
    ),
    pytest.param(
        "G05",
        ["PENDED", "not documented: ", "- missing: "],
        [],
        id="lists_missing_information_for_a_pended_line",
    ),
    pytest.param(
        "G27",
        ["DENIED", "exclusion applies: Body mass index over 40 (facet.bvn.exclusion.bmi_over_40)"],
        ["not met: Body mass index"],
        id="says_an_exclusion_applies_not_that_it_is_unmet",
    ),
]


@pytest.mark.parametrize(("case_id", "shown", "not_shown"), SUMMARIES)
def test_summary(capsys: Capture, case_id: str, shown: list[str], not_shown: list[str]) -> None:
    code, out, _ = run(capsys, str(CASES / f"{case_id}.json"), *DATE)
    assert code == 0
    for text in shown:
        assert text in out
    for text in not_shown:
        assert text not in out


def test_json_is_the_result_contract(capsys: Capture) -> None:
    code, out, _ = run(capsys, str(CASES / "G01.json"), "--json", *DATE)
    assert code == 0
    contract = json.loads(out)
    assert contract["case_id"] == "G01"
    assert [line["code"] for line in contract["lines"]] == ["64483", "64484", "J1100"]
    assert all(line["decision"] in {"approved", "denied", "pended"} for line in contract["lines"])
    assert contract["letter"]["source"] == "template"
    assert isinstance(contract["facts"], dict)


def test_out_writes_markdown(capsys: Capture, tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    code, _, err = run(capsys, str(CASES / "G34.json"), "--out", str(target), *DATE)
    assert code == 0 and str(target) in err
    text = target.read_text(encoding="utf-8")
    assert "G34" in text and "DENIED" in text.upper()


def test_out_writes_docx(capsys: Capture, tmp_path: Path) -> None:
    from docx import Document

    target = tmp_path / "letters" / "letter.docx"
    code, _, _ = run(capsys, str(CASES / "G34.json"), "--out", str(target), "--json", *DATE)
    assert code == 0
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "Case: G34" in text and "YOUR APPEAL RIGHTS" in text.upper()


def test_out_writes_pdf(capsys: Capture, tmp_path: Path) -> None:
    from pypdf import PdfReader

    target = tmp_path / "letter.pdf"
    code, _, _ = run(capsys, str(CASES / "G34.json"), "--out", str(target), *DATE)
    assert code == 0
    assert target.read_bytes().startswith(b"%PDF-")
    assert "G34" in "".join(page.extract_text() for page in PdfReader(str(target)).pages)


def test_unknown_out_format_is_refused_before_any_work(capsys: Capture, tmp_path: Path) -> None:
    code, out, err = run(capsys, str(CASES / "G34.json"), "--out", str(tmp_path / "x.txt"))
    assert code == 2 and out == ""
    assert "'.txt'" in one_line_error(err) and ".docx" in err
    assert not (tmp_path / "x.txt").exists()


# --- a batch -----------------------------------------------------------------------------------


def test_batch_reports_every_case_and_fails_on_a_broken_one(
    capsys: Capture, tmp_path: Path
) -> None:
    shutil.copy(CASES / "G01.json", tmp_path / "G01.json")
    shutil.copy(CASES / "G34.json", tmp_path / "G34.json")
    (tmp_path / "broken.json").write_text('{"case_id": "X1", ', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")  # ignored: not .json
    code, out, err = run(capsys, str(tmp_path), *DATE)
    assert code == 1
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "approved approved approved" in rows["G01.json"]
    assert "denied" in rows["G34.json"]
    assert "ERROR" in rows["broken.json"] and "invalid JSON" in rows["broken.json"]
    assert "notes.txt" not in out
    assert "3 cases: 2 decided, 1 failed" in out
    assert "lines: 3 approved, 1 denied, 0 pended" in out
    assert "broken.json: " in err and "invalid JSON" in err


def test_batch_json_lists_contracts_and_errors(capsys: Capture, tmp_path: Path) -> None:
    shutil.copy(CASES / "G05.json", tmp_path / "G05.json")
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    code, out, _ = run(capsys, str(tmp_path), "--json", *DATE)
    assert code == 1
    items = json.loads(out)
    assert [item.get("case_id") for item in items] == ["G05", None]
    assert "file is empty" in items[1]["error"]


def test_a_case_folder_is_one_case_not_a_batch(capsys: Capture, tmp_path: Path) -> None:
    folder = tmp_path / "G05"
    folder.mkdir()
    shutil.copy(CASES / "G05.json", folder / "request.json")
    code, out, _ = run(capsys, str(folder), *DATE)
    assert code == 0 and "Case G05" in out


def test_out_with_a_batch_is_a_usage_error(capsys: Capture, tmp_path: Path) -> None:
    shutil.copy(CASES / "G05.json", tmp_path / "G05.json")
    code, _, err = run(capsys, str(tmp_path), "--out", str(tmp_path / "a.md"))
    assert code == 2 and "single case" in one_line_error(err)


# --- user errors: one line, exit 2 -------------------------------------------------------------


# (file name, its text (None: no such file), what the one error line names)
UNREADABLE_FILES = [
    pytest.param("nope.json", None, ["nope.json", "file not found"], id="missing_file"),
    pytest.param("empty.json", "", ["empty.json", "empty"], id="empty_file"),
    pytest.param(
        "bad.json",
        '{"case_id": "X1",\n  "received": }',
        ["bad.json", "invalid JSON at line 2"],
        id="malformed_json",
    ),
]


@pytest.mark.parametrize(("name", "text", "says"), UNREADABLE_FILES)
def test_unreadable_case_file(
    capsys: Capture, tmp_path: Path, name: str, text: str | None, says: list[str]
) -> None:
    if text is not None:
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run(capsys, str(tmp_path / name))
    assert code == 2 and out == ""
    line = one_line_error(err)
    assert all(words in line for words in says), line


def test_case_that_breaks_the_contract_names_the_field(capsys: Capture, tmp_path: Path) -> None:
    data = json.loads((CASES / "G05.json").read_text(encoding="utf-8"))
    data["request"]["services"][0]["side"] = "both"
    (tmp_path / "side.json").write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, str(tmp_path / "side.json"))
    assert code == 2
    assert "side" in one_line_error(err)


def test_empty_directory(capsys: Capture, tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "no case files" in one_line_error(err)


def test_bad_date_and_unknown_option(capsys: Capture) -> None:
    code, _, err = run(capsys, str(CASES / "G05.json"), "--date", "01/12/2026")
    assert code == 2 and "YYYY-MM-DD" in one_line_error(err)
    code, _, err = run(capsys, str(CASES / "G05.json"), "--extractor", "magic")
    assert code == 2 and "--extractor" in one_line_error(err)


def test_invalid_setting_in_the_environment(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DETERMINE_DRAFTER", "poetry")
    code, _, err = run(capsys, str(CASES / "G05.json"))
    assert code == 2 and "DETERMINE_DRAFTER" in one_line_error(err)


def test_no_traceback_from_the_real_command(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("[1, 2]", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "drafting.cli", str(tmp_path / "bad.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2
    assert "must be a JSON object" in one_line_error(done.stderr)


# --- settings and helpers ----------------------------------------------------------------------


def test_command_line_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETERMINE_EXTRACTOR", "hybrid")
    monkeypatch.setenv("DETERMINE_DRAFTER", "llm")
    assert (settings_with(None, None).extractor, settings_with(None, None).drafter) == (
        "hybrid",
        "llm",
    )
    overridden = settings_with("rules", "template")
    assert (overridden.extractor, overridden.drafter) == ("rules", "template")


def test_shorten_cuts_at_a_word_and_flattens_lines() -> None:
    assert shorten("a\n b   c") == "a b c"
    cut = shorten("word " * 100, limit=30)
    assert cut.endswith(" ...") and len(cut) <= 34 and "  " not in cut
