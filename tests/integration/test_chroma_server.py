"""Integration test: index and search through a real `chroma run` server (HttpClient).

Starts the venv's `chroma` executable on a free local port with a temporary data path, waits
for its heartbeat, points DETERMINE_CHROMA_URL at it, builds a small synthetic index through
the store, searches it both ways (dense side queried in Chroma, and a warm copy of the vectors
read back from the server), and stops the server in the fixture teardown.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from guideline_corpus.passages import Passage, PassageKind
from retrieval.config import get_settings
from retrieval.index import CorpusVersion, build_index, ensure_index, open_store
from retrieval.search import open_searcher
from retrieval.store import open_client
from tests.local_server import serving
from tools.llm_server import free_port

STARTUP_TIMEOUT_S = 30.0


def _chroma_executable() -> str | None:
    beside_python = Path(sys.executable).with_name("chroma")
    return str(beside_python) if beside_python.exists() else shutil.which("chroma")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    executable = _chroma_executable()
    if executable is None:
        pytest.skip("the chroma executable is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [executable, "run", "--path", str(tmp_path / "server-data")]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    environment = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    with serving(
        "chroma",
        command,
        f"{url}/api/v2/heartbeat",
        tmp_path / "chroma.log",
        env=environment,
        timeout_s=STARTUP_TIMEOUT_S,
    ):
        yield url


def _passage(
    pid: str, headings: tuple[str, ...], text: str, start_line: int, kind: PassageKind = "body"
) -> Passage:
    return Passage(
        id=pid,
        section=pid.split("/")[0],
        heading_path=headings,
        text=text,
        kind=kind,
        start_line=start_line,
    )


# (id, heading path, text, start line[, kind]); the section is the id's first part.
PASSAGES = [
    _passage(
        "epidural/exclusions/1",
        ("Epidural Injections", "Exclusions"),
        "- Isolated axial neck pain, mid-back pain, or low back pain\n- Lysis of adhesions",
        10,
    ),
    _passage(
        "sympathetic/exclusions/1",
        ("Regional Sympathetic Nerve Block", "Exclusions"),
        "- Bilateral sympathetic blocks\n- Ganglion impar block",
        20,
    ),
    _passage(
        "stimulators/clinical-indications/stimulator-trial/1",
        ("Spinal Cord Stimulators", "Clinical Indications", "Stimulator Trial"),
        "Evaluation by a licensed mental health provider within 6 months of the trial.",
        30,
    ),
    _passage(
        "facet/codes/1",
        ("Facet Procedures", "Codes"),
        "- 64635 Destruction by neurolytic agent, lumbar facet joint",
        40,
        kind="codes",
    ),
]


def test_index_and_search_through_chroma_server(
    chroma_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DETERMINE_CHROMA_URL", chroma_server)
    monkeypatch.setenv("DETERMINE_DATA_DIR", str(tmp_path / "data"))
    settings = get_settings()
    assert settings.chroma_url == chroma_server
    version = CorpusVersion(
        corpus_id="server_test", guideline_sha256="c0ffee" * 10 + "0000", passages=PASSAGES
    )

    stats = build_index(settings=settings, version=version)
    assert stats.rebuilt and stats.location == chroma_server and stats.vectors >= len(PASSAGES)
    assert not (tmp_path / "data" / "chroma").exists()  # nothing stored in the embedded path

    client = open_client(settings)
    assert stats.collection in {c.name for c in client.list_collections()}
    store = open_store(settings, version)
    assert store.stored_passage_ids() == {p.id for p in PASSAGES}
    assert not ensure_index(settings=settings, version=version).rebuilt  # record read back

    for backend in ("chroma", "memory"):
        searcher = open_searcher(settings, version=version, dense_backend=backend)
        hits = searcher.search("psychological assessment before stimulator placement", k=2)
        assert hits[0].passage.id == "stimulators/clinical-indications/stimulator-trial/1"
        assert hits[0].dense_rank == 1
        filtered = searcher.search("blocks", section="sympathetic")
        assert [h.passage.id for h in filtered] == ["sympathetic/exclusions/1"]
        codes = searcher.search("64635", include_references=True)
        assert [h.passage.id for h in codes] == ["facet/codes/1"]
