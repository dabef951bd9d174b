"""The Chroma vector store of guideline passages: client choice, collection naming, upsert, query.

Embedded `PersistentClient(path=<data dir>/chroma)` by default; `HttpClient` when
DETERMINE_CHROMA_URL is set. Telemetry is off, and the local embedding function is always
passed explicitly (Chroma's default one downloads a model). One collection per corpus version,
named `<corpus id>-<first 12 hex of the guideline sha256>`, holding one record per embedding
window of a passage (id `<passage id>#<n>`, document = the embedded text, metadata = passage id,
section, kind, heading path, start line). The collection metadata records what was indexed
(guideline sha256, passage and vector counts, passages digest, model, window size) so
staleness can be checked without reading the vectors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
import numpy.typing as npt
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings
from pydantic import BaseModel, ConfigDict

from guideline_corpus.passages import Passage
from retrieval.config import RetrievalSettings
from retrieval.embeddings import EMBEDDING_DIMENSIONS, LocalMiniLM, passage_windows
from retrieval.errors import VectorStoreError

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_VERSION = re.compile(r"[0-9a-f]{12}")
UPSERT_BATCH = 256
WINDOW_SEPARATOR = "#"
# Windows fetched per passage wanted: a passage has several windows near a query.
WINDOWS_PER_PASSAGE_QUERIED = 6


def corpus_prefix(corpus_id: str) -> str:
    """The part of a collection name shared by every version of a corpus."""
    return _UNSAFE.sub("_", corpus_id).strip("_-") or "corpus"


def collection_name(corpus_id: str, guideline_sha256: str) -> str:
    """Chroma collection name for one corpus version, e.g. 'carelon_ipm-490d5bbfaccb'."""
    return f"{corpus_prefix(corpus_id)}-{guideline_sha256[:12]}"


def open_client(settings: RetrievalSettings) -> ClientAPI:
    """A Chroma client for the settings: HTTP when a URL is configured, embedded otherwise."""
    chroma_settings = Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise VectorStoreError(
                f"DETERMINE_CHROMA_URL={settings.chroma_url!r} has no host; "
                "use a URL such as http://127.0.0.1:8000"
            )
        ssl = url.scheme == "https"
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if ssl else 8000),
                ssl=ssl,
                settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises plain ValueError/ConnectError here
            raise VectorStoreError(
                f"cannot reach the Chroma server at {settings.chroma_url} ({exc}); start it "
                "with `chroma run --path DIR --host HOST --port PORT` or unset DETERMINE_CHROMA_URL"
            ) from exc
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class DenseRecord(BaseModel):
    """One stored vector: a window of a passage (id `<passage id>#<n>`) and the text embedded."""

    model_config = ConfigDict(frozen=True)

    id: str
    passage: Passage
    window: int
    text: str


def dense_records(passages: Sequence[Passage]) -> list[DenseRecord]:
    """The records of every passage: one per embedding window, in passage order."""
    return [
        DenseRecord(id=f"{p.id}{WINDOW_SEPARATOR}{n}", passage=p, window=n, text=text)
        for p in passages
        for n, text in enumerate(passage_windows(p), start=1)
    ]


def passage_id_of(record_id: str) -> str:
    """The passage id a record id belongs to."""
    return record_id.rsplit(WINDOW_SEPARATOR, 1)[0]


def record_metadata(record: DenseRecord) -> dict[str, str | int]:
    """Scalar metadata stored with each vector: the passage's section, kind, heading path, line."""
    return {
        "passage_id": record.passage.id,
        "window": record.window,
        "section": record.passage.section,
        "kind": record.passage.kind,
        "heading_path": record.passage.title,
        "start_line": record.passage.start_line,
    }


class PassageStore:
    """One corpus version's passages in Chroma."""

    def __init__(self, client: ClientAPI, name: str, embedding_function: LocalMiniLM) -> None:
        self.client = client
        self.name = name
        self.embedding_function = embedding_function
        self._collection: Collection | None = None
        self._count: int | None = None

    def exists(self) -> bool:
        """Whether the collection exists in the store."""
        return self.name in {c.name for c in self.client.list_collections()}

    def collection(self) -> Collection:
        """The collection, created (cosine space) when missing."""
        if self._collection is None:
            self._collection = self.client.get_or_create_collection(
                name=self.name,
                embedding_function=self.embedding_function,  # type: ignore[arg-type]
                configuration={"hnsw": {"space": "cosine"}},
            )
        return self._collection

    def recorded(self) -> dict[str, Any]:
        """The build record kept in the collection metadata (empty when never built)."""
        if not self.exists():
            return {}
        return dict(self.collection().metadata or {})

    def count(self) -> int:
        """Number of stored vectors (windows)."""
        return self.collection().count() if self.exists() else 0

    def write(
        self,
        records: Sequence[DenseRecord],
        embeddings: npt.NDArray[np.float32],
        build_record: Mapping[str, str | int | float],
    ) -> None:
        """Upsert the records with their vectors, delete stale ids, then save `build_record`.

        The build record is written last, so an interrupted write leaves the collection stale.
        """
        collection = self.collection()
        collection.modify(metadata={"complete": 0})
        keep = {r.id for r in records}
        obsolete = sorted(set(collection.get(include=[])["ids"]) - keep)
        if obsolete:
            collection.delete(ids=obsolete)
        for start in range(0, len(records), UPSERT_BATCH):
            batch = list(records[start : start + UPSERT_BATCH])
            collection.upsert(
                ids=[r.id for r in batch],
                documents=[r.text for r in batch],
                embeddings=embeddings[start : start + len(batch)],
                metadatas=[record_metadata(r) for r in batch],
            )
        collection.modify(metadata={**dict(build_record), "complete": 1})
        self._count = None

    def query(
        self,
        embedding: npt.NDArray[np.float32],
        n_passages: int,
        section: str | None = None,
        body_only: bool = False,
    ) -> list[tuple[str, float]]:
        """(passage id, cosine distance of its nearest window), nearest first, at most
        `n_passages`, optionally within one section and/or body passages only."""
        available = self._cached_count()
        if available == 0 or n_passages <= 0:
            return []
        conditions: list[dict[str, Any]] = []
        if section:
            conditions.append({"section": section})
        if body_only:
            conditions.append({"kind": "body"})
        where: dict[str, Any] | None = None
        if len(conditions) == 1:
            where = conditions[0]
        elif conditions:
            where = {"$and": conditions}
        result = self.collection().query(
            query_embeddings=[embedding.astype(np.float32).tolist()],
            n_results=min(n_passages * WINDOWS_PER_PASSAGE_QUERIED, available),
            where=where,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[0.0] * len(ids)])[0]
        nearest: dict[str, float] = {}
        for record_id, distance in zip(ids, distances, strict=True):
            nearest.setdefault(passage_id_of(record_id), float(distance))
        return list(nearest.items())[:n_passages]

    def _cached_count(self) -> int:
        if self._count is None:
            self._count = self.count()
        return self._count

    def vectors(self) -> tuple[list[str], npt.NDArray[np.float32]]:
        """Every stored record id and its vector (one row per id), for an in-memory copy."""
        got = self.collection().get(include=["embeddings"])
        embeddings = got["embeddings"]
        if embeddings is None or len(embeddings) == 0:
            return [], np.zeros((0, EMBEDDING_DIMENSIONS), dtype=np.float32)
        return list(got["ids"]), np.asarray(embeddings, dtype=np.float32)

    def stored_passage_ids(self) -> set[str]:
        """Ids of the passages that have at least one stored vector."""
        got = self.collection().get(include=[])
        return {passage_id_of(record_id) for record_id in got["ids"]}

    def drop_other_versions(self, corpus_id: str) -> list[str]:
        """Delete this corpus's collections for other guideline versions; return their names."""
        prefix = corpus_prefix(corpus_id) + "-"
        dropped = []
        for existing in self.client.list_collections():
            suffix = existing.name[len(prefix) :]
            is_version = existing.name.startswith(prefix) and _VERSION.fullmatch(suffix)
            if existing.name != self.name and is_version:
                self.client.delete_collection(existing.name)
                dropped.append(existing.name)
        return dropped
