"""Retrieval settings read from the environment: where data lives, which Chroma, which corpus.

    DETERMINE_DATA_DIR    directory for the vector store and assembled model files
                          (default: <repo>/data)
    DETERMINE_CHROMA_URL  e.g. http://127.0.0.1:8000 to use a Chroma server; unset means an
                          embedded PersistentClient under <data dir>/chroma
    DETERMINE_CORPUS      guideline corpus id, a folder under guideline_corpus/
                          (default carelon_ipm)

Settings are read on every call (not cached) so tests and the CLI can change the environment.
Importing this module also sets ORT_DISABLE_TELEMETRY=1 (every retrieval module imports it),
so onnxruntime never starts with telemetry on.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from pydantic import BaseModel, ConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_ROOT = REPO_ROOT / "guideline_corpus"
DEFAULT_CORPUS_ID = "carelon_ipm"


class RetrievalSettings(BaseModel):
    """Where the index lives and which guideline it serves."""

    model_config = ConfigDict(frozen=True)

    data_dir: Path
    chroma_url: str | None
    corpus_id: str

    @property
    def chroma_path(self) -> Path:
        """Directory of the embedded Chroma database."""
        return self.data_dir / "chroma"

    @property
    def model_dir(self) -> Path:
        """Directory where the embedding model files are assembled."""
        return self.data_dir / "models"

    @property
    def guideline_path(self) -> Path:
        """The corpus's guideline.md."""
        return CORPUS_ROOT / self.corpus_id / "guideline.md"


def get_settings() -> RetrievalSettings:
    """Read the settings from the environment now."""
    data_dir = os.environ.get("DETERMINE_DATA_DIR", "").strip()
    chroma_url = os.environ.get("DETERMINE_CHROMA_URL", "").strip()
    corpus_id = os.environ.get("DETERMINE_CORPUS", "").strip()
    return RetrievalSettings(
        data_dir=Path(data_dir).expanduser().resolve() if data_dir else REPO_ROOT / "data",
        chroma_url=chroma_url or None,
        corpus_id=corpus_id or DEFAULT_CORPUS_ID,
    )
