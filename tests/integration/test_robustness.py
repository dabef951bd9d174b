"""Issue 13 item 5 and issue 15: every known failure is one line on stderr (exit 2), never a
traceback; a batch survives a stalled case; case folders refuse symlinks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_bad_corpus_is_one_line(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETERMINE_CORPUS", "no_such_corpus")
    code, _, err = run_cli(capsys, str(CASES / "G01.json"), *DATE)
    assert code == 2
    line = one_line_error(err)
    assert "no_such_corpus" in line and "DETERMINE_CORPUS" in line


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
