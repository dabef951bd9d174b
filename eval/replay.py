"""LLM cassettes for the eval: record a case's LLM calls once, replay them offline ever after.

A cassette is `eval/cassettes/<case_id>.yaml` (vcrpy), recorded by `determine eval --record`
against a live OpenAI-compatible endpoint (`OPENAI_BASE_URL`, or a local llama.cpp server with
SmolLM2 started by `--start-server`). Requests match on method, path and body, as in the test
cassettes (`tests/conftest.py`): the body holds the model name, the prompt (the case's
documents) and the request parameters, so replay must use the recording's model name and
settings; the host is not matched, so replay points the client at an unused placeholder URL and
nothing leaves the machine (record mode ``none``: a request with no recorded answer fails at
once). Credentials (Authorization and similar headers) are filtered before anything is written.
The vcrpy settings are `tools.cassettes`, shared with the test cassettes.

`eval/cassettes/index.json` says, per case, how each cassette was recorded (extractor, drafter,
model, seconds, interactions); `--replay` reads it to rebuild the same settings. Never edit a
cassette by hand: re-record it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, SecretStr

from drafting.errors import DeterminationError
from drafting.llm.settings import DrafterName, ExtractorName, Settings
from tools.cassettes import REPLAY_BASE_URL as REPLAY_BASE_URL  # re-exported for eval.runner
from tools.cassettes import vcr_options

if TYPE_CHECKING:  # vcrpy is a test extra: imported when a cassette is recorded or replayed
    import vcr
    from vcr.cassette import Cassette

CASSETTE_DIR = Path(__file__).resolve().parent / "cassettes"
INDEX_NAME = "index.json"
RecordMode = Literal["none", "all"]


class CassetteError(DeterminationError):
    """A cassette is missing or its index entry does not fit the requested run."""


class CassetteEntry(BaseModel):
    """How one case's cassette was recorded (the settings replay must reproduce)."""

    case_id: str
    extractor: ExtractorName
    drafter: DrafterName
    model: str
    recorded_at: str
    seconds: float
    interactions: int


def cassette_vcr(mode: RecordMode) -> vcr.VCR:
    """The vcrpy configuration every eval cassette is recorded and replayed with."""
    try:
        import vcr
    except ImportError:
        raise CassetteError(
            "recording or replaying LLM cassettes needs vcrpy, a test extra: "
            "pip install -e '.[test]' (or run the eval without --replay/--record)"
        ) from None
    return vcr.VCR(record_mode=mode, **vcr_options())


def cassette_path(case_id: str, directory: Path = CASSETTE_DIR) -> Path:
    """Where the cassette of a case lives."""
    return directory / f"{case_id}.yaml"


@contextmanager
def cassette(case_id: str, mode: RecordMode, directory: Path = CASSETTE_DIR) -> Iterator[Cassette]:
    """Record (mode ``all``) or replay (mode ``none``) the case's LLM calls.

    A recording goes to a side file and replaces the case's cassette only when the block ends
    without an error and captured at least one answer: a failed recording loses nothing.
    """
    path = cassette_path(case_id, directory)
    if mode == "none" and not path.is_file():
        raise CassetteError(f"no cassette for {case_id} at {path}: record it with --record")
    if mode == "none":
        with cassette_vcr(mode).use_cassette(str(path)) as replayed:
            yield replayed
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    side = path.with_name(f"{path.stem}.recording{path.suffix}")
    side.unlink(missing_ok=True)
    try:
        with cassette_vcr(mode).use_cassette(str(side)) as recorded:
            yield recorded
    except BaseException:
        side.unlink(missing_ok=True)
        raise
    if not side.is_file():
        raise CassetteError(
            f"recording {case_id} captured no LLM answer (is the endpoint up?); "
            f"the previous cassette at {path} is kept"
        )
    side.replace(path)


def interactions_in(path: Path) -> int:
    """How many request/response pairs a cassette file holds."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return len(data.get("interactions", []))


def load_index(directory: Path = CASSETTE_DIR) -> dict[str, CassetteEntry]:
    """Every recorded case and how it was recorded (empty when nothing was recorded)."""
    path = directory / INDEX_NAME
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {case_id: CassetteEntry.model_validate(entry) for case_id, entry in raw.items()}


def save_entry(entry: CassetteEntry, directory: Path = CASSETTE_DIR) -> None:
    """Add or replace one case in the index."""
    index = load_index(directory)
    index[entry.case_id] = entry
    payload = {k: v.model_dump(mode="json") for k, v in sorted(index.items())}
    (directory / INDEX_NAME).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def new_entry(
    case_id: str, settings: Settings, seconds: float, directory: Path = CASSETTE_DIR
) -> CassetteEntry:
    """The index entry for a cassette just recorded with `settings`."""
    return CassetteEntry(
        case_id=case_id,
        extractor=settings.extractor,
        drafter=settings.drafter,
        model=settings.llm_model or "",
        recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(seconds, 1),
        interactions=interactions_in(cassette_path(case_id, directory)),
    )


def llm_settings(
    extractor: ExtractorName, drafter: DrafterName, model: str, base_url: str, api_key: str | None
) -> Settings:
    """Settings for a recorded or replayed run: no transport retries, one validation re-ask.

    No retries, so a cassette miss fails at once instead of after back-offs; a long timeout,
    because a small local model on one thread is slow to answer.
    """
    return Settings(
        extractor=extractor,
        drafter=drafter,
        llm_model=model,
        openai_base_url=base_url,
        openai_api_key=SecretStr(api_key) if api_key else None,
        llm_timeout_s=900,
        llm_max_retries=0,
        llm_validation_retries=1,
    )
