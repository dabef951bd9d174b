"""Exceptions raised by the retrieval package; each message says what to do about it."""

from __future__ import annotations


class RetrievalError(Exception):
    """Base class for retrieval failures."""


class EmbeddingModelError(RetrievalError):
    """A local embedding model file is missing or does not match its pinned sha256."""


class CorpusNotFoundError(RetrievalError):
    """The configured guideline corpus has no guideline.md."""


class VectorStoreError(RetrievalError):
    """The Chroma store could not be opened or reached."""
