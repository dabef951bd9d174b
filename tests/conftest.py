"""Fixtures shared by the test folders (unit/, integration/, app/).

`library`: the whole criteria folder. LLM cassettes (tests/cassettes/<test module>/, replayed with
pytest-recording, record mode `none` unless `python -m tools.record` re-records them against a
real server) use the settings of `tools.cassettes`, as the eval's do: requests match on method,
path and body; credentials are filtered out. The client never retries (`max_retries=0`), so a
cassette miss fails at once. `recorded_client` talks to the server named by
`DETERMINE_RECORD_BASE_URL` while recording, and to an unused placeholder URL on replay (the host
is not part of the match). `fake_openai` is a scripted server (tests/llm_fakes.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from criteria.loader import CriteriaLibrary, load_library
from drafting.llm.client import LLMClient
from drafting.llm.settings import Settings
from tests.llm_fakes import FakeOpenAIServer
from tools.cassettes import REPLAY_BASE_URL, vcr_options
from tools.llm_server import MODEL_ALIAS
from tools.record import RECORD_BASE_URL_ENV

CASSETTE_ROOT = Path(__file__).resolve().parent / "cassettes"


@pytest.fixture(scope="module")
def library() -> CriteriaLibrary:
    """The whole criteria folder."""
    return load_library()


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """pytest-recording settings for every LLM cassette (the same as the eval's)."""
    return vcr_options()


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """tests/cassettes/<test module name>/, wherever the test module sits under tests/."""
    return str(CASSETTE_ROOT / request.node.path.stem)


@pytest.fixture
def recorded_client() -> LLMClient:
    """The client cassette tests use: the SmolLM2 alias, no transport retries, one re-ask."""
    settings = Settings(
        llm_model=MODEL_ALIAS,
        openai_base_url=os.environ.get(RECORD_BASE_URL_ENV, REPLAY_BASE_URL),
        llm_timeout_s=600,
        llm_max_retries=0,
        llm_validation_retries=1,
    )
    return LLMClient.from_settings(settings)


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    """A running scripted server; stopped (and any hung handler released) after the test."""
    server = FakeOpenAIServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
