"""Building the passage index: chunk -> embed -> upsert into Chroma, and the staleness check.

`build_index()` always re-embeds and rewrites the current corpus version's collection
(idempotent: same ids, same vectors). `ensure_index()` builds only when the stored collection
is missing or stale (guideline sha256, passage count, passages digest, model or window size
changed, or an interrupted build), so an app's first page load reuses what `determine ingest`
stored. The BM25 side is rebuilt in memory by the searcher from the passages (milliseconds).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
from pydantic import BaseModel

from guideline_corpus.passages import Passage
from retrieval.config import RetrievalSettings, get_settings
from retrieval.embeddings import (
    EMBEDDING_DIMENSIONS,
    MODEL_ID,
    WINDOW_CHARS,
    get_embedding_function,
)
from retrieval.errors import CorpusNotFoundError
from retrieval.store import PassageStore, collection_name, dense_records, open_client

# progress(stage, done, total); stages: "chunk", "embed", "store"
ProgressCallback = Callable[[str, int, int], None]
EMBED_BATCH = 64


class IndexStats(BaseModel):
    """What a build (or a freshness check) found and did."""

    corpus_id: str
    collection: str
    location: str
    guideline_sha256: str
    passages: int
    vectors: int
    embedded: int
    rebuilt: bool
    seconds: float


class CorpusVersion(BaseModel):
    """The passages of one guideline version and the digests that identify them."""

    corpus_id: str
    guideline_sha256: str
    passages: list[Passage]

    @property
    def passages_digest(self) -> str:
        """sha256 over every passage's fields, so a chunker change also counts as stale."""
        digest = hashlib.sha256()
        for passage in self.passages:
            digest.update(json.dumps(passage.model_dump(mode="json"), sort_keys=True).encode())
        return digest.hexdigest()

    def record(self) -> dict[str, str | int | float]:
        """Collection metadata written after a successful build."""
        return {
            "corpus_id": self.corpus_id,
            "guideline_sha256": self.guideline_sha256,
            "passage_count": len(self.passages),
            "vector_count": len(dense_records(self.passages)),
            "passages_digest": self.passages_digest,
            "embedding_model": MODEL_ID,
            "window_chars": WINDOW_CHARS,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }


def load_corpus_version(settings: RetrievalSettings) -> CorpusVersion:
    """Chunk the configured corpus's guideline.md and hash it."""
    if not settings.guideline_path.is_file():
        raise CorpusNotFoundError(
            f"no guideline at {settings.guideline_path}; check DETERMINE_CORPUS="
            f"{settings.corpus_id!r} or run the guideline converter"
        )
    from guideline_corpus.chunking import load_passages  # the chunker owns passage boundaries

    return CorpusVersion(
        corpus_id=settings.corpus_id,
        guideline_sha256=hashlib.sha256(settings.guideline_path.read_bytes()).hexdigest(),
        passages=list(load_passages(settings.corpus_id)),
    )


def open_store(settings: RetrievalSettings, version: CorpusVersion) -> PassageStore:
    """The store holding (or about to hold) this corpus version."""
    return PassageStore(
        open_client(settings),
        collection_name(version.corpus_id, version.guideline_sha256),
        get_embedding_function(settings),
    )


def _resolved(
    settings: RetrievalSettings | None, version: CorpusVersion | None
) -> tuple[RetrievalSettings, CorpusVersion]:
    """The settings given (else the configured ones) and the version given (else theirs)."""
    settings = settings or get_settings()
    return settings, version or load_corpus_version(settings)


def _location(settings: RetrievalSettings) -> str:
    return settings.chroma_url or str(settings.chroma_path)


def _stats(
    settings: RetrievalSettings,
    version: CorpusVersion,
    store: PassageStore,
    *,
    vectors: int,
    embedded: int,
    rebuilt: bool,
    started: float,
) -> IndexStats:
    """The stats of a build (everything embedded) or of a check that found the index current."""
    return IndexStats(
        corpus_id=version.corpus_id,
        collection=store.name,
        location=_location(settings),
        guideline_sha256=version.guideline_sha256,
        passages=len(version.passages),
        vectors=vectors,
        embedded=embedded,
        rebuilt=rebuilt,
        seconds=time.perf_counter() - started,
    )


def stale_reason(store: PassageStore, version: CorpusVersion) -> str | None:
    """Why the stored collection does not match `version`, or None when it is current."""
    recorded = store.recorded()
    if not recorded:
        return "no index stored yet"
    if recorded.get("complete") != 1:
        return "the last build did not finish"
    expected = version.record()
    for key in (
        "guideline_sha256",
        "passage_count",
        "passages_digest",
        "embedding_model",
        "window_chars",
        "vector_count",
    ):
        if recorded.get(key) != expected[key]:
            return f"{key} changed"
    if store.count() != expected["vector_count"]:
        return "stored vector count differs"
    return None


def build_index(
    progress: ProgressCallback | None = None,
    *,
    settings: RetrievalSettings | None = None,
    version: CorpusVersion | None = None,
) -> IndexStats:
    """Chunk, embed and store every passage of the corpus version (default: the configured one)."""
    started = time.perf_counter()
    settings, version = _resolved(settings, version)
    report = progress or (lambda stage, done, total: None)
    passages = version.passages
    report("chunk", len(passages), len(passages))

    embedding_function = get_embedding_function(settings)
    records = dense_records(passages)
    texts = [record.text for record in records]
    vectors = np.zeros((len(texts), EMBEDDING_DIMENSIONS), dtype=np.float32)
    report("embed", 0, len(texts))
    by_length = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding per batch
    for start in range(0, len(by_length), EMBED_BATCH):
        chunk = by_length[start : start + EMBED_BATCH]
        vectors[chunk] = embedding_function._forward([texts[i] for i in chunk])
        report("embed", min(start + EMBED_BATCH, len(texts)), len(texts))

    store = open_store(settings, version)
    report("store", 0, len(passages))
    store.write(records, vectors, version.record())
    store.drop_other_versions(version.corpus_id)
    report("store", len(passages), len(passages))
    count = len(records)
    return _stats(
        settings, version, store, vectors=count, embedded=count, rebuilt=True, started=started
    )


def ensure_index(
    progress: ProgressCallback | None = None,
    *,
    settings: RetrievalSettings | None = None,
    version: CorpusVersion | None = None,
) -> IndexStats:
    """Build the index only when the stored one is missing or stale; report what is there."""
    started = time.perf_counter()
    settings, version = _resolved(settings, version)
    store = open_store(settings, version)
    if stale_reason(store, version) is not None:
        return build_index(progress, settings=settings, version=version)
    return _stats(
        settings, version, store, vectors=store.count(), embedded=0, rebuilt=False, started=started
    )
