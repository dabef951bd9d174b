"""Load a converted guideline corpus (guideline.md, MANIFEST.json, codes.csv) as pydantic models.

`load_corpus("carelon_ipm")` is cached; it refuses a folder whose guideline.md or codes.csv no
longer matches the sha256 in MANIFEST.json (edit the source and re-run the converter instead).
Also home of the quote helpers `normalize_ws` and `contains_verbatim` used to check that a quote
appears in the guideline word for word.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from guideline_corpus.errors import CorpusChangedError, CorpusNotFoundError, ManifestError

CORPORA_ROOT = Path(__file__).resolve().parent
DEFAULT_CORPUS_ID = "carelon_ipm"
_WS_RE = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """Collapse every whitespace run (spaces, tabs, newlines) to one space and strip the ends."""
    return _WS_RE.sub(" ", text).strip()


def contains_verbatim(haystack: str, quote: str) -> bool:
    """True when `quote` (non-empty) occurs in `haystack` once whitespace is normalised."""
    needle = normalize_ws(quote)
    return bool(needle) and needle in normalize_ws(haystack)


class SectionRef(BaseModel):
    """A top-level section as listed in the manifest."""

    model_config = ConfigDict(frozen=True)

    slug: str
    title: str


class Manifest(BaseModel):
    """MANIFEST.json: what the corpus is, where it came from, and the hashes of its files."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    corpus_id: str
    title: str
    publisher: str
    version: str
    effective_date: str
    review_date: str | None
    source_file: str
    source_sha256: str
    converter_version: str
    guideline_file: str = "guideline.md"
    guideline_sha256: str
    codes_file: str = "codes.csv"
    codes_sha256: str
    code_lines: int
    sections: tuple[SectionRef, ...]
    front_matter: tuple[str, ...] = ()


class CodeEntry(BaseModel):
    """One CPT/HCPCS line of the guideline's code tables."""

    model_config = ConfigDict(frozen=True)

    code: str
    description: str
    section: str
    group: str = ""
    flags: tuple[str, ...] = ()
    line: int

    @property
    def notification_only(self) -> bool:
        """Marked '*' in the source: preauthorization for notification only in some cases."""
        return "notification_only" in self.flags

    @property
    def addon(self) -> bool:
        """An add-on code ("List separately in addition to code for primary procedure")."""
        return "addon" in self.flags


class Corpus(BaseModel):
    """A loaded guideline corpus."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: Path
    markdown: str
    manifest: Manifest
    codes: list[CodeEntry]

    def codes_for(self, code: str) -> list[CodeEntry]:
        """Every code-table line for `code` (case-insensitive, a trailing '*' ignored)."""
        wanted = code.strip().rstrip("*").upper()
        return [entry for entry in self.codes if entry.code == wanted]

    def section_slugs_for(self, code: str) -> list[str]:
        """Section slugs whose code tables list `code`, in document order, without repeats."""
        slugs: list[str] = []
        for entry in self.codes_for(code):
            if entry.section not in slugs:
                slugs.append(entry.section)
        return slugs

    def section_title(self, slug: str) -> str:
        """Printed title of a top-level section."""
        for section in self.manifest.sections:
            if section.slug == slug:
                return section.title
        raise KeyError(f"No section {slug!r} in corpus {self.id!r}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise CorpusNotFoundError(
            f"Missing {path}; run `python -m guideline_corpus.convert SOURCE.txt {path.parent}`."
        )
    return path.read_bytes()


def _parse_codes(text: str) -> list[CodeEntry]:
    rows = csv.DictReader(io.StringIO(text))
    return [
        CodeEntry(
            code=row["code"],
            description=row["description"],
            section=row["section"],
            group=row["group"],
            flags=tuple(flag for flag in row["flags"].split(";") if flag),
            line=int(row["line"]),
        )
        for row in rows
    ]


def load_corpus_from(path: Path) -> Corpus:
    """Load and verify the corpus folder at `path` (not cached)."""
    if not path.is_dir():
        raise CorpusNotFoundError(
            f"No corpus folder {path}; create it with `python -m guideline_corpus.convert`."
        )
    try:
        manifest = Manifest.model_validate(json.loads(_read(path / "MANIFEST.json")))
    except (json.JSONDecodeError, ValidationError) as error:
        raise ManifestError(
            f"{path / 'MANIFEST.json'} is invalid ({error}); re-run the converter."
        ) from error
    guideline_bytes = _read(path / manifest.guideline_file)
    codes_bytes = _read(path / manifest.codes_file)
    for name, data, expected in (
        (manifest.guideline_file, guideline_bytes, manifest.guideline_sha256),
        (manifest.codes_file, codes_bytes, manifest.codes_sha256),
    ):
        if _sha256(data) != expected:
            raise CorpusChangedError(
                f"{path / name} differs from the sha256 in MANIFEST.json: do not edit it by hand; "
                "change the source and re-run `python -m guideline_corpus.convert`."
            )
    return Corpus(
        id=manifest.corpus_id,
        path=path,
        markdown=guideline_bytes.decode("utf-8"),
        manifest=manifest,
        codes=_parse_codes(codes_bytes.decode("utf-8")),
    )


_CORPUS_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def available_corpora() -> list[str]:
    """Ids of the corpus folders shipped in guideline_corpus/ (those with a MANIFEST.json)."""
    return sorted(p.name for p in CORPORA_ROOT.iterdir() if (p / "MANIFEST.json").is_file())


@lru_cache(maxsize=8)
def _load_cached(corpus_id: str) -> Corpus:
    if not _CORPUS_ID.fullmatch(corpus_id) or ".." in corpus_id:
        raise CorpusNotFoundError(
            f"guideline corpus id {corpus_id[:80]!r} (DETERMINE_CORPUS) must be a folder name "
            f"under guideline_corpus/, one of: {', '.join(available_corpora())}"
        )
    if not (CORPORA_ROOT / corpus_id).is_dir():
        raise CorpusNotFoundError(
            f"no guideline corpus {corpus_id!r} (DETERMINE_CORPUS) under guideline_corpus/; "
            f"use one of: {', '.join(available_corpora())}"
        )
    try:
        return load_corpus_from(CORPORA_ROOT / corpus_id)
    except (OSError, UnicodeDecodeError, KeyError, ValueError) as error:
        raise ManifestError(
            f"guideline corpus {corpus_id!r} cannot be read ({type(error).__name__}: "
            f"{' '.join(str(error).split())[:160]}); re-run the converter"
        ) from error


def load_corpus(corpus_id: str = DEFAULT_CORPUS_ID) -> Corpus:
    """The corpus in guideline_corpus/<corpus_id>/ (loaded once per id and process)."""
    return _load_cached(corpus_id)
