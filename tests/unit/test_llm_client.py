"""Settings from the environment, the evidence checks, and the LLM client's call records.

Endpoint misbehaviour (timeouts, 429, 500, bad JSON) is in test_llm_faults.py; the `vcr`-marked
test replays a real SmolLM2 recording (re-record with `python -m tools.record`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx2
import pytest
from pydantic import BaseModel, ValidationError, create_model

from drafting.errors import DeterminationError
from drafting.extraction.evidence import (
    QuotedValue,
    check_numbers_in_quote,
    dates_in,
    evidence_context,
    locate_quote,
    numbers_in,
    unsupported_by_quote,
)
from drafting.llm.client import LLMClient, LLMError, LLMNotConfiguredError, LLMOutputError
from drafting.llm.settings import Settings, SettingsError, load_settings

LLM_ENV = [
    "DETERMINE_EXTRACTOR",
    "DETERMINE_DRAFTER",
    "DETERMINE_LLM_MODEL",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "DETERMINE_LLM_TIMEOUT",
    "DETERMINE_LLM_MAX_RETRIES",
    "DETERMINE_LLM_VALIDATION_RETRIES",
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# --- settings --------------------------------------------------------------------------------


def test_defaults_need_no_language_model(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert (settings.extractor, settings.drafter) == ("rules", "template")
    assert not settings.llm_configured
    assert not settings.wants_llm


def test_environment_configures_the_llm(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DETERMINE_EXTRACTOR", "hybrid")
    clean_env.setenv("DETERMINE_DRAFTER", "llm")
    clean_env.setenv("DETERMINE_LLM_MODEL", "gpt-4o-mini")
    clean_env.setenv("OPENAI_API_KEY", "sk-test-VERYSECRET-000")
    clean_env.setenv("DETERMINE_LLM_TIMEOUT", "12.5")
    clean_env.setenv("DETERMINE_LLM_MAX_RETRIES", "4")

    settings = load_settings()

    assert (settings.extractor, settings.drafter, settings.llm_model) == (
        "hybrid",
        "llm",
        "gpt-4o-mini",
    )
    assert (settings.llm_timeout_s, settings.llm_max_retries) == (12.5, 4)
    assert settings.llm_configured and settings.wants_llm
    for text in (repr(settings), str(settings), settings.describe()):
        assert "VERYSECRET" not in text


def test_local_server_needs_no_key(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DETERMINE_LLM_MODEL", "smollm2")
    clean_env.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    settings = load_settings()
    assert settings.llm_configured
    assert settings.api_key_or_placeholder()  # the OpenAI client insists on some key


def test_model_without_endpoint_is_not_configured(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DETERMINE_LLM_MODEL", "gpt-4o-mini")
    settings = load_settings()
    assert not settings.llm_configured
    with pytest.raises(LLMNotConfiguredError, match="OPENAI_API_KEY"):
        LLMClient.from_settings(settings)


def test_bad_setting_names_the_variable(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DETERMINE_EXTRACTOR", "magic")
    with pytest.raises(SettingsError, match="DETERMINE_EXTRACTOR") as caught:
        load_settings()
    assert isinstance(caught.value, DeterminationError)


# --- evidence --------------------------------------------------------------------------------

RECORD = [
    "Intake form.",
    "Pain clinic note\n\nLow back pain,   rated\n7/10, for six weeks.\nMRI on October 3, 2025.",
]


def test_locate_quote_ignores_whitespace_and_maps_back_to_the_original() -> None:
    where = locate_quote(RECORD, "“back pain, rated 7/10”")
    assert where is not None
    document, start, end = where
    assert document == 1
    assert RECORD[1][start:end] == "back pain,   rated\n7/10"


def test_locate_quote_is_exact_otherwise() -> None:
    assert locate_quote(RECORD, "back pain rated 7/10") is None  # the comma is missing
    assert locate_quote(RECORD, "low back pain") is None  # case differs
    assert locate_quote(RECORD, "7/1") is None  # too short to be evidence


def test_numbers_and_dates_in_text() -> None:
    assert numbers_in("rated 7/10 at L5-S1, 80% relief") == {7, 10, 80}
    assert numbers_in("six weeks", words=True) == {6}
    assert dates_in("seen 10/20/2025, MRI Oct. 3, 2025 and 2025-11-01") == {
        dt.date(2025, 10, 20),
        dt.date(2025, 10, 3),
        dt.date(2025, 11, 1),
    }


def test_every_number_and_date_of_a_value_must_be_in_its_quote() -> None:
    assert unsupported_by_quote(7.0, "rated 7/10") == []
    assert unsupported_by_quote(6, "for six weeks") == []
    assert unsupported_by_quote(True, "denies numbness") == []
    assert unsupported_by_quote(dt.date(2025, 10, 3), "MRI on October 3, 2025") == []
    assert unsupported_by_quote(8, "rated 7/10") == ["8"]
    assert unsupported_by_quote(dt.date(2025, 10, 4), "MRI on October 3, 2025") == ["2025-10-04"]
    with pytest.raises(ValueError, match="75"):
        check_numbers_in_quote({"relief_percent": 75}, "80% relief")


class Score(QuotedValue):
    value: float


def test_quoted_value_checks_quote_and_numbers_against_the_context() -> None:
    context = evidence_context(RECORD)
    good = Score.model_validate({"quote": "rated\n7/10", "value": 7}, context=context)
    assert good.quote == "rated 7/10"
    with pytest.raises(ValidationError, match="not in the record"):
        Score.model_validate({"quote": "rated 8/10", "value": 8}, context=context)
    with pytest.raises(ValidationError, match="states 8"):
        Score.model_validate({"quote": "rated 7/10", "value": 8}, context=context)


def test_quote_check_fails_closed_without_record_text() -> None:
    with pytest.raises(ValidationError, match="no record text"):
        Score.model_validate({"quote": "rated 7/10", "value": 7})


# --- client (mock transport) -----------------------------------------------------------------


class Answer(BaseModel):
    level: str


def completion(message: dict[str, Any], prompt: int = 50, completion_tokens: int = 7) -> Any:
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens,
        },
    }
    return httpx2.Response(200, json=body)


def mock_client(handler: Any, **overrides: Any) -> LLMClient:
    settings = Settings(llm_model="m", openai_base_url="http://llm.test/v1", llm_max_retries=1)
    transport = httpx2.MockTransport(handler)
    return LLMClient.from_settings(
        settings, http_client=httpx2.Client(transport=transport), **overrides
    )


def test_structured_call_uses_tools_mode_and_records_usage() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx2.Request) -> Any:
        seen.append(json.loads(request.content))
        call = {
            "id": "c",
            "type": "function",
            "function": {"name": "Answer", "arguments": '{"level": "L5-S1"}'},
        }
        return completion({"role": "assistant", "content": None, "tool_calls": [call]})

    client = mock_client(handler)
    answer = client.structured(Answer, [{"role": "user", "content": "level?"}], purpose="probe")

    assert answer.level == "L5-S1"
    (sent,) = seen
    assert sent["tool_choice"]["function"]["name"] == "Answer"  # forced tool call (Mode.TOOLS)
    assert sent["temperature"] == 0.0
    (record,) = client.calls
    assert record.model_dump(exclude={"latency_s"}) == {
        "purpose": "probe",
        "model": "m",
        "prompt_tokens": 50,
        "completion_tokens": 7,
        "attempts": 1,
        "ok": True,
        "error": None,
    }
    assert client.usage_totals() == {
        "calls": 1,
        "prompt_tokens": 50,
        "completion_tokens": 7,
        "attempts": 1,
    }


def test_truncated_answer_is_an_output_error() -> None:
    def handler(request: httpx2.Request) -> Any:
        call = {"id": "c", "type": "function", "function": {"name": "Answer", "arguments": '{"le'}}
        response = completion({"role": "assistant", "content": None, "tool_calls": [call]})
        body = json.loads(response.content)
        body["choices"][0]["finish_reason"] = "length"
        return httpx2.Response(200, json=body)

    client = mock_client(handler)
    with pytest.raises(LLMOutputError, match="cut off") as caught:
        client.structured(Answer, [{"role": "user", "content": "level?"}], purpose="probe")
    assert caught.value.last_output == '{"le'
    assert isinstance(caught.value, LLMError) and isinstance(caught.value, DeterminationError)


def test_empty_text_answer_is_an_output_error() -> None:
    client = mock_client(lambda request: completion({"role": "assistant", "content": "  "}))
    with pytest.raises(LLMOutputError, match="empty"):
        client.text([{"role": "user", "content": "hi"}], purpose="draft")
    assert client.calls[-1].attempts == 1 and not client.calls[-1].ok


def test_dynamic_models_work_as_response_models() -> None:
    model = create_model("level_answer", level=(str, ...))

    def handler(request: httpx2.Request) -> Any:
        name = json.loads(request.content)["tools"][0]["function"]["name"]
        call = {
            "id": "c",
            "type": "function",
            "function": {"name": name, "arguments": '{"level": "L4"}'},
        }
        return completion({"role": "assistant", "content": None, "tool_calls": [call]})

    answer = mock_client(handler).structured(model, [{"role": "user", "content": "?"}], purpose="p")
    assert answer.level == "L4"  # type: ignore[attr-defined]


# --- real recording --------------------------------------------------------------------------


@pytest.mark.vcr
def test_recorded_text_call_returns_text_and_usage(recorded_client: LLMClient) -> None:
    text = recorded_client.text(
        [
            {"role": "system", "content": "You write one short, polite sentence."},
            {"role": "user", "content": "Thank the provider for sending the clinical notes."},
        ],
        purpose="draft:probe",
        max_tokens=40,
    )
    assert text.strip()
    (record,) = recorded_client.calls
    assert record.ok and record.attempts == 1
    assert record.prompt_tokens > 0 and 0 < record.completion_tokens <= 40
