"""Hybrid passage search: BM25 and dense rankings fused by weighted reciprocal rank fusion.

    fused(p) = w_bm25 / (k + rank_bm25(p)) + w_dense / (k + rank_dense(p))

Ranks are 1-based within each ranking after filtering; a passage missing from a ranking gets
nothing from it. BM25 ranks every passage with a positive score; the dense side ranks the
`depth` nearest passages. A query made only of codes (e.g. "64635", "0627T") is answered by
BM25 alone: a sentence embedding of a bare code number carries no meaning.

`section` restricts both rankings to one top-level section. Passages of kind references,
codes and history are left out by default; with `include_references=True` they are kept but
ranked after every body passage.

The dense side ranks by cosine similarity of the query to each passage's embedding windows (a
passage scores as its nearest window). By default it keeps a warm in-memory copy of the vectors
read from the store; `dense_backend="chroma"` queries Chroma instead (same ranking, one round
trip per query). `search()` uses a process-wide `HybridSearcher` (built once: index check,
passages, BM25, vectors, embedding model) so queries after the first are fast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from guideline_corpus.passages import Passage
from retrieval.config import RetrievalSettings, get_settings
from retrieval.embeddings import LocalMiniLM, get_embedding_function
from retrieval.index import CorpusVersion, ensure_index, load_corpus_version, open_store
from retrieval.lexical import LexicalIndex, tokenize
from retrieval.store import PassageStore, passage_id_of

SearchMode = Literal["hybrid", "bm25", "dense"]
_CODE_TOKEN = re.compile(r"^(?=.*\d)[a-z0-9.]+$")


class Hit(BaseModel):
    """One ranked passage with its fused score and the ranks that produced it."""

    model_config = ConfigDict(frozen=True)

    passage: Passage
    score: float = Field(description="Fused reciprocal-rank score (higher is better).")
    bm25_rank: int | None = Field(description="1-based rank in the BM25 ranking, if present.")
    dense_rank: int | None = Field(description="1-based rank in the dense ranking, if present.")


class FusionSettings(BaseModel):
    """Reciprocal rank fusion parameters."""

    model_config = ConfigDict(frozen=True)

    rrf_k: float = 60.0
    bm25_weight: float = 1.0
    dense_weight: float = 1.0
    dense_depth: int = 50
    codes_lexical_only: bool = True


class DenseRanker(Protocol):
    """Anything that ranks passage ids by semantic closeness to a query."""

    def rank(self, query: str, limit: int, section: str | None, body_only: bool) -> list[str]: ...


def is_code_query(query: str) -> bool:
    """True when every token of the query contains a digit (codes, levels), e.g. '64483 64484'."""
    tokens = tokenize(query)
    return bool(tokens) and all(_CODE_TOKEN.match(token) for token in tokens)


def reciprocal_rank_fusion(
    rankings: Sequence[tuple[Sequence[str], float]], k: float
) -> dict[str, float]:
    """Weighted RRF over (ranked ids, weight) pairs: id -> sum of weight / (k + rank)."""
    fused: dict[str, float] = {}
    for ranked_ids, weight in rankings:
        if weight <= 0:
            continue
        for rank, passage_id in enumerate(ranked_ids, start=1):
            fused[passage_id] = fused.get(passage_id, 0.0) + weight / (k + rank)
    return fused


class HybridSearcher:
    """Searches a fixed passage list with BM25 (in memory) and a dense ranker."""

    def __init__(
        self,
        passages: Sequence[Passage],
        dense: DenseRanker,
        fusion: FusionSettings | None = None,
    ) -> None:
        self.passages = list(passages)
        self.by_id = {p.id: p for p in self.passages}
        self.lexical = LexicalIndex(self.passages)
        self.dense = dense
        self.fusion = fusion or FusionSettings()
        self.sections = sorted({p.section for p in self.passages})

    def _allowed(self, section: str | None, include_references: bool) -> list[bool]:
        return [
            (section is None or p.section == section) and (include_references or p.kind == "body")
            for p in self.passages
        ]

    def bm25_ranking(self, query: str, section: str | None, include_references: bool) -> list[str]:
        """Ids of passages with a positive BM25 score, best first, after filtering."""
        allowed = self._allowed(section, include_references)
        return [self.passages[i].id for i in self.lexical.ranking(query, allowed)]

    def dense_ranking(self, query: str, section: str | None, include_references: bool) -> list[str]:
        """Ids of the `dense_depth` nearest passages, after filtering."""
        ranked = self.dense.rank(
            query, self.fusion.dense_depth, section, body_only=not include_references
        )
        return [pid for pid in ranked if pid in self.by_id]

    def search(
        self,
        query: str,
        k: int = 5,
        section: str | None = None,
        include_references: bool = False,
        mode: SearchMode = "hybrid",
    ) -> list[Hit]:
        """The `k` best passages for `query` (see the module docstring for the rules)."""
        if not query.strip() or k <= 0:
            return []
        lexical_only = self.fusion.codes_lexical_only and is_code_query(query)
        bm25_ids = self.bm25_ranking(query, section, include_references) if mode != "dense" else []
        use_dense = mode == "dense" or (mode == "hybrid" and not lexical_only)
        dense_ids = self.dense_ranking(query, section, include_references) if use_dense else []
        fused = reciprocal_rank_fusion(
            [(bm25_ids, self.fusion.bm25_weight), (dense_ids, self.fusion.dense_weight)],
            self.fusion.rrf_k,
        )
        bm25_rank = {pid: rank for rank, pid in enumerate(bm25_ids, start=1)}
        dense_rank = {pid: rank for rank, pid in enumerate(dense_ids, start=1)}
        ordered = sorted(
            fused,
            key=lambda pid: (
                self.by_id[pid].kind != "body",
                -fused[pid],
                self.by_id[pid].start_line,
            ),
        )
        return [
            Hit(
                passage=self.by_id[pid],
                score=fused[pid],
                bm25_rank=bm25_rank.get(pid),
                dense_rank=dense_rank.get(pid),
            )
            for pid in ordered[:k]
        ]


class ChromaDenseRanker:
    """Dense ranking by a Chroma query per search (works against a server too)."""

    def __init__(self, store: PassageStore, embedding_function: LocalMiniLM) -> None:
        self.store = store
        self.embedding_function = embedding_function

    def rank(self, query: str, limit: int, section: str | None, body_only: bool) -> list[str]:
        """Nearest passage ids for the query."""
        vector = self.embedding_function._forward([query])[0]
        return [pid for pid, _ in self.store.query(vector, limit, section, body_only)]


class InMemoryDenseRanker:
    """Dense ranking over a warm copy of the stored vectors: exact cosine, no round trip.

    The vectors are read from the store once (never re-embedded); a query costs one
    embedding and a matrix-vector product.
    """

    def __init__(
        self,
        store: PassageStore,
        embedding_function: LocalMiniLM,
        passages: Sequence[Passage],
    ) -> None:
        by_id = {p.id: p for p in passages}
        record_ids, matrix = store.vectors()
        keep = [i for i, rid in enumerate(record_ids) if passage_id_of(rid) in by_id]
        self.embedding_function = embedding_function
        self.matrix = matrix[keep]
        self.record_passages = [by_id[passage_id_of(record_ids[i])] for i in keep]
        self.is_body = np.array([p.kind == "body" for p in self.record_passages], dtype=bool)
        self.sections = np.array([p.section for p in self.record_passages], dtype=object)

    def rank(self, query: str, limit: int, section: str | None, body_only: bool) -> list[str]:
        """Nearest passage ids for the query (a passage scores as its nearest window)."""
        if limit <= 0 or len(self.record_passages) == 0:
            return []
        vector = self.embedding_function._forward([query])[0]
        similarity = self.matrix @ vector
        allowed = np.ones(len(similarity), dtype=bool)
        if body_only:
            allowed &= self.is_body
        if section:
            allowed &= self.sections == section
        ranked: dict[str, None] = {}
        for index in np.argsort(-similarity, kind="stable"):
            if allowed[index]:
                ranked.setdefault(self.record_passages[index].id, None)
                if len(ranked) >= limit:
                    break
        return list(ranked)


DenseBackend = Literal["memory", "chroma"]


def open_searcher(
    settings: RetrievalSettings,
    fusion: FusionSettings | None = None,
    version: CorpusVersion | None = None,
    dense_backend: DenseBackend = "memory",
) -> HybridSearcher:
    """A searcher over the stored index of `version` (default: the configured corpus), built
    first when missing or stale. `dense_backend` "memory" ranks over a warm copy of the stored
    vectors; "chroma" sends every dense query to the store."""
    version = version or load_corpus_version(settings)
    ensure_index(settings=settings, version=version)
    store = open_store(settings, version)
    embedding_function = get_embedding_function(settings)
    dense: DenseRanker
    if dense_backend == "chroma":
        dense = ChromaDenseRanker(store, embedding_function)
    else:
        dense = InMemoryDenseRanker(store, embedding_function, version.passages)
    return HybridSearcher(version.passages, dense, fusion)


@lru_cache(maxsize=4)
def _searcher_for(settings: RetrievalSettings, fusion: FusionSettings) -> HybridSearcher:
    return open_searcher(settings, fusion)


def get_searcher(fusion: FusionSettings | None = None) -> HybridSearcher:
    """The warm searcher for the current settings (index checked and built once per process)."""
    return _searcher_for(get_settings(), fusion or FusionSettings())


def reset_searchers() -> None:
    """Forget cached searchers (after a rebuild, or when the settings change in tests)."""
    _searcher_for.cache_clear()


def search(
    query: str, k: int = 5, section: str | None = None, include_references: bool = False
) -> list[Hit]:
    """Hybrid search over the configured corpus's passages."""
    return get_searcher().search(query, k=k, section=section, include_references=include_references)
