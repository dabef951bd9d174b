"""Retrieval on the real corpus and a real index.

The `real_index` fixture builds one index of the real corpus in a temporary data dir per module
(about 15-30 s: every passage window is embedded once) and reuses it: ranking, the section
filter, the dense side, lookup, the CLI and the embeddings. Synthetic-corpus tests are
tests/integration/test_retrieval.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from guideline_corpus.lookup import passages_for_codes
from guideline_corpus.passages import Passage
from retrieval.config import RetrievalSettings
from retrieval.index import CorpusVersion, IndexStats, build_index, ensure_index, stale_reason
from retrieval.search import (
    HybridSearcher,
    open_searcher,
    reset_searchers,
)


@pytest.fixture(scope="module")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> RetrievalSettings:
    data_dir = tmp_path_factory.mktemp("retrieval-data")
    return RetrievalSettings(data_dir=data_dir, chroma_url=None, corpus_id="carelon_ipm")


@pytest.fixture(scope="module")
def real_index(real_settings: RetrievalSettings) -> Iterator[tuple[IndexStats, HybridSearcher]]:
    stats = build_index(settings=real_settings)
    yield stats, open_searcher(real_settings)
    reset_searchers()


def _passage_containing(passages: Sequence[Passage], phrase: str, section: str) -> Passage:
    found = [p for p in passages if p.section == section and phrase in p.text]
    assert len(found) == 1, f"expected one {section} passage containing {phrase!r}"
    return found[0]


def test_real_index_is_built_once_and_then_reused(
    real_settings: RetrievalSettings, real_index
) -> None:
    stats, searcher = real_index
    assert (
        stats.rebuilt
        and stats.passages == len(searcher.passages)
        and stats.vectors >= stats.passages
    )
    again = ensure_index(settings=real_settings)
    assert not again.rebuilt and again.embedded == 0 and again.collection == stats.collection


def test_changed_passages_make_the_index_stale(
    real_settings: RetrievalSettings, real_index
) -> None:
    from retrieval.index import load_corpus_version, open_store

    version = load_corpus_version(real_settings)
    store = open_store(real_settings, version)
    assert stale_reason(store, version) is None
    edited = [*version.passages[:-1], version.passages[-1].model_copy(update={"text": "changed"})]
    changed = CorpusVersion(
        corpus_id=version.corpus_id, guideline_sha256=version.guideline_sha256, passages=edited
    )
    assert stale_reason(store, changed) == "passages_digest changed"


def test_axial_back_pain_retrieves_the_epidural_exclusions(real_index) -> None:
    _, searcher = real_index
    exclusions = _passage_containing(
        searcher.passages, "Isolated axial neck pain, mid-back pain, or low back pain", "epidural"
    )
    hits = searcher.search("isolated axial low back pain", k=5)
    assert exclusions.id in [h.passage.id for h in hits]
    assert all(h.passage.kind == "body" for h in hits)


def test_paraphrase_needs_the_dense_side(real_index) -> None:
    _, searcher = real_index
    trial = _passage_containing(searcher.passages, "licensed mental health provider", "stimulators")
    hits = searcher.search("psychological evaluation before a spinal cord stimulator trial", k=5)
    assert trial.id in [h.passage.id for h in hits]


def test_code_number_finds_the_facet_code_table(real_index) -> None:
    _, searcher = real_index
    table = _passage_containing(searcher.passages, "64635 ", "facet")
    hits = searcher.search("64635", k=3, include_references=True)
    assert hits[0].passage.id == table.id and hits[0].passage.kind == "codes"


def test_section_filter_on_real_index(real_index) -> None:
    _, searcher = real_index
    hits = searcher.search("radiofrequency ablation", k=5, section="sacroiliac")
    assert hits and all(h.passage.section == "sacroiliac" for h in hits)
    sacral = _passage_containing(
        searcher.passages, "Radiofrequency ablation sacral lateral branch", "sacroiliac"
    )
    assert sacral.id in [h.passage.id for h in hits]


def test_in_memory_and_chroma_dense_rankings_agree(
    real_settings: RetrievalSettings, real_index
) -> None:
    _, memory = real_index
    chroma = open_searcher(real_settings, dense_backend="chroma")
    for query in ["failed back surgery syndrome", "bilateral sympathetic blocks"]:
        in_memory = memory.dense_ranking(query, None, False)[:5]
        assert chroma.dense_ranking(query, None, False)[:5] == in_memory


def test_lookup_on_real_corpus() -> None:
    result = passages_for_codes(["64635", "64483", "99999"])
    facet = result["64635"]
    assert facet and {p.section for p in facet} == {"facet"}
    headings = {h for p in facet for h in p.heading_path}
    assert {"Clinical Indications", "Exclusions", "General Information"} <= headings
    assert any("Radiofrequency" in h for h in headings)
    assert "Contraindications" in {p.heading_path[1] for p in result["64483"]}
    assert result["99999"] == []
    assert all(p.kind == "body" for ps in result.values() for p in ps)


def test_cli_ingest_and_search(
    real_settings: RetrievalSettings,
    real_index,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from retrieval.commands import ingest_main, search_main

    monkeypatch.setenv("DETERMINE_DATA_DIR", str(real_settings.data_dir))
    monkeypatch.delenv("DETERMINE_CHROMA_URL", raising=False)
    monkeypatch.delenv("DETERMINE_CORPUS", raising=False)
    reset_searchers()
    assert ingest_main([]) == 0
    assert "already current" in capsys.readouterr().out
    assert search_main(["64635", "--include-references", "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. facet/") and "64635" in out
    assert search_main(["RFA", "--section", "nowhere"]) == 2
    assert "unknown section" in capsys.readouterr().err
    assert search_main(["sacral lateral branch", "--json", "-k", "1"]) == 0
    import json

    [hit] = json.loads(capsys.readouterr().out)
    assert hit["passage"]["section"] == "sacroiliac" and hit["score"] > 0
    reset_searchers()


def test_embeddings_are_unit_vectors_and_batch_independent(
    real_settings: RetrievalSettings, real_index
) -> None:
    from retrieval.embeddings import embed_texts

    texts = ["short", "a much longer sentence about lumbar facet radiofrequency neurotomy " * 3]
    together = embed_texts(texts, real_settings)
    alone = np.vstack([embed_texts([t], real_settings) for t in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-5)
