"""Issue 13 item 5 and issue 15: every known failure is one line on stderr (exit 2), never a
traceback; a batch survives a stalled case; case folders refuse symlinks."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drafting import cli

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "eval" / "gold" / "cases"
DATE = ["--date", "2026-12-01"]
Capture = pytest.CaptureFixture[str]


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def run_cli(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = cli.main([*argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def determine_process(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drafting.cli", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        timeout=300,
    )


# --- 13.5: one base for known failures; eval and bench without vcrpy ---------------------------


@pytest.fixture
def fresh_guideline() -> Iterator[None]:
    """load_guideline() caches the default corpus per process: forget it around the test."""
    from drafting.pipeline import load_guideline

    load_guideline.cache_clear()
    yield
    load_guideline.cache_clear()


@pytest.mark.usefixtures("fresh_guideline")
def test_bad_corpus_is_one_line(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETERMINE_CORPUS", "no_such_corpus")
    code, _, err = run_cli(capsys, str(CASES / "G01.json"), *DATE)
    assert code == 2
    line = one_line_error(err)
    assert "no_such_corpus" in line and "DETERMINE_CORPUS" in line


@pytest.mark.usefixtures("fresh_guideline")
def test_corpus_id_with_a_path_is_refused(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETERMINE_CORPUS", "../drafting")
    code, _, err = run_cli(capsys, str(CASES / "G01.json"), *DATE)
    assert code == 2
    assert "DETERMINE_CORPUS" in one_line_error(err)


def test_known_errors_cover_every_package_base() -> None:
    from criteria.errors import CriteriaError
    from drafting.errors import KNOWN_ERRORS, DeterminationError
    from guideline_corpus.errors import CorpusError
    from retrieval.errors import RetrievalError

    for base in (DeterminationError, CorpusError, CriteriaError, RetrievalError):
        assert issubclass(base, KNOWN_ERRORS)


_NO_VCR = "import sys; sys.modules['vcr'] = sys.modules['pytest'] = None; "
_BENCHES = "retrieval_bench, extraction_bench, engine_bench, determine_bench, sources_bench"


def test_eval_and_bench_import_without_vcrpy() -> None:
    benches = ", ".join(f"bench.{name}" for name in _BENCHES.split(", "))
    modules = f"eval.commands, eval.runner, bench.extraction_llm, {benches}"
    code = _NO_VCR + f"import {modules}; print('ok')"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_replay_without_vcrpy_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "X1.yaml").write_text("interactions: []\n", encoding="utf-8")
    code = _NO_VCR + (
        "from pathlib import Path\n"
        "from eval.replay import cassette, CassetteError\n"
        "try:\n"
        f"    with cassette('X1', 'none', Path({str(tmp_path)!r})):\n"
        "        pass\n"
        "except CassetteError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "vcrpy" in one_line_error(done.stdout)


# --- 15.3: bad input and broken output are one line, never a traceback -------------------------


def g01() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CASES / "G01.json").read_text(encoding="utf-8"))
    return data


def write_case(tmp_path: Path, data: dict[str, Any] | str, name: str = "case.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return path


def test_json_nested_ten_thousand_levels_is_one_line(capsys: Capture, tmp_path: Path) -> None:
    path = write_case(tmp_path, '{"case_id": ' + "[" * 10_000 + "]" * 10_000 + "}")
    code, _, err = run_cli(capsys, str(path), *DATE)
    assert code == 2
    assert "nested" in one_line_error(err)


def test_an_age_of_five_thousand_digits_names_the_field(capsys: Capture, tmp_path: Path) -> None:
    case = g01()
    raw = json.dumps(case).replace(f'"age": {case["patient"]["age"]}', '"age": ' + "9" * 5000)
    path = write_case(tmp_path, raw)
    code, _, err = run_cli(capsys, str(path), *DATE)
    assert code == 2
    line = one_line_error(err)
    assert "patient.age" in line and "5000 digits" in line


def test_received_year_one_is_refused_naming_the_field(capsys: Capture, tmp_path: Path) -> None:
    path = write_case(tmp_path, g01() | {"received": "0001-01-01"})
    code, _, err = run_cli(capsys, str(path), *DATE)
    assert code == 2
    assert "received" in one_line_error(err)


def test_shift_date_is_safe_near_the_first_date() -> None:
    from criteria.compile import shift_date

    first = dt.date.min
    assert shift_date(dt.date(1, 2, 28), 3, "months") == first
    assert shift_date(dt.date(1, 1, 5), 30, "days") == first
    assert shift_date(dt.date(1, 1, 5), 8, "weeks") == first
    assert shift_date(dt.date(1, 1, 5), 2.5, "months") == first
    assert shift_date(dt.date(2026, 3, 31), 1, "months") == dt.date(2026, 2, 28)


def test_json_into_a_closed_pipe_exits_quietly() -> None:
    # head -n 0 exits before reading: every write of determine meets a closed pipe (| head -1
    # does the same once the output outgrows the pipe's buffer)
    command = f"{sys.executable} -m drafting.cli {CASES / 'G01.json'} --json --date 2026-12-01"
    done = subprocess.run(
        f"{command} | head -n 0",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert done.stdout == ""
    assert done.stderr == "", done.stderr


def test_output_to_a_full_disk_is_one_line() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "drafting.cli", str(CASES / "G01.json"), "--json", *DATE],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=300,
        )
    assert done.returncode == 2
    assert "No space left on device" in one_line_error(done.stderr)


# --- 15.10: symlinks inside a case folder ------------------------------------------------------

FOLDER_CASE = ROOT / "tests" / "fixtures" / "cases" / "lumbar_tfesi_folder"


def copy_folder_case(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "case"
    shutil.copytree(FOLDER_CASE, folder)
    return folder


def test_a_symlinked_document_is_refused(capsys: Capture, tmp_path: Path) -> None:
    folder = copy_folder_case(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("Patient: someone else entirely.\n", encoding="utf-8")
    (folder / "2025-10-30_note.txt").symlink_to(outside)
    code, _, err = run_cli(capsys, str(folder), *DATE)
    assert code == 2
    line = one_line_error(err)
    assert "2025-10-30_note.txt" in line and "symbolic link" in line


def test_a_symlinked_request_is_refused(capsys: Capture, tmp_path: Path) -> None:
    folder = copy_folder_case(tmp_path)
    moved = tmp_path / "elsewhere.json"
    (folder / "request.json").rename(moved)
    (folder / "request.json").symlink_to(moved)
    code, _, err = run_cli(capsys, str(folder), *DATE)
    assert code == 2
    assert "request.json" in one_line_error(err) and "symbolic link" in err


# --- 15.2: a per-case time limit in a batch; rows labelled by file ------------------------------


def batch_folder(tmp_path: Path, names: dict[str, str]) -> Path:
    """A batch folder: file name -> gold case it copies."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, case_id in names.items():
        (folder / name).write_text((CASES / f"{case_id}.json").read_text(encoding="utf-8"))
    return folder


def test_a_stalled_case_times_out_and_the_batch_goes_on(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import drafting.pipeline

    real = drafting.pipeline.determine

    def stalls_on_g02(case: Any, *args: Any, **kwargs: Any) -> Any:
        if case.case_id == "G02":
            time.sleep(600)
        return real(case, *args, **kwargs)

    monkeypatch.setattr(drafting.pipeline, "determine", stalls_on_g02)
    folder = batch_folder(tmp_path, {"a.json": "G01", "b.json": "G02", "c.json": "G05"})
    started = time.perf_counter()
    code, out, _ = run_cli(capsys, str(folder), "--case-timeout", "3", *DATE)
    assert time.perf_counter() - started < 120
    assert code == 1
    rows = {
        line.split()[0]: line
        for line in out.splitlines()
        if line.endswith(".json") or ".json " in line
    }
    assert "timed out after 3 s" in rows["b.json"]
    assert "ERROR" not in rows["a.json"] and "ERROR" not in rows["c.json"]
    assert "3 cases: 2 decided, 1 failed" in out


def test_case_timeout_from_the_environment(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DETERMINE_CASE_TIMEOUT", "soon")
    folder = batch_folder(tmp_path, {"a.json": "G01", "b.json": "G05"})
    code, _, err = run_cli(capsys, str(folder), *DATE)
    assert code == 2
    assert "DETERMINE_CASE_TIMEOUT" in one_line_error(err)


def test_batch_rows_name_the_file_as_well_as_the_case(capsys: Capture, tmp_path: Path) -> None:
    folder = batch_folder(tmp_path, {"first.json": "G05", "second.json": "G05"})
    code, out, _ = run_cli(capsys, str(folder), *DATE)
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["file", "case"]
    assert any(line.startswith("first.json") and " G05 " in line for line in out.splitlines())
    assert any(line.startswith("second.json") and " G05 " in line for line in out.splitlines())
    code, out, _ = run_cli(capsys, str(folder), "--json", *DATE)
    assert [row["source"] for row in json.loads(out)] == ["first.json", "second.json"]
