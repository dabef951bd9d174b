"""Errors raised while converting or loading a guideline corpus; each message says what to do."""

from __future__ import annotations


class CorpusError(Exception):
    """Base class for every guideline-corpus problem."""


class SourceFormatError(CorpusError):
    """The source text does not have the structure the converter expects."""


class CorpusNotFoundError(CorpusError):
    """The corpus folder or one of its files is missing."""


class ManifestError(CorpusError):
    """MANIFEST.json is missing a field or cannot be parsed."""


class CorpusChangedError(CorpusError):
    """A corpus file no longer matches the sha256 recorded in MANIFEST.json."""


class ChunkingError(CorpusError):
    """guideline.md cannot be split into passages (e.g. duplicate ids)."""
