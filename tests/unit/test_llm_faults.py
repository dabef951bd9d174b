"""Fault tests: a scripted OpenAI-compatible server on 127.0.0.1 misbehaves; the client copes.

Each test counts the requests the server saw (the retries really happened) and checks the clean
end: a success after the retry, `LLMUnavailableError` / `LLMOutputError` for the caller to turn
into a fallback, and never a value whose quote or number is unverified.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from criteria.facts import CaseFacts
from drafting.case.contract import Document
from drafting.extraction.evidence import QuotedValue, evidence_context
from drafting.extraction.llm import LLMExtractor
from drafting.llm.client import (
    LLMClient,
    LLMOutputError,
    LLMRequestError,
    LLMUnavailableError,
)
from drafting.llm.settings import Settings
from tests.llm_fakes import FakeOpenAIServer, hang, http_error, tool_answer

RECORD = [
    "Pain clinic consultation.\nLow back pain radiating to the left leg, rated 7/10.\n"
    "Completed 6 weeks of physical therapy without improvement."
]
MESSAGES = [{"role": "user", "content": "Extract the pain score with its quote."}]


class PainScore(QuotedValue):
    value: int


class PainAnswer(BaseModel):
    pain_score: PainScore | None = None


def make_client(
    server: FakeOpenAIServer,
    *,
    max_retries: int = 2,
    validation_retries: int = 1,
    timeout_s: float = 5.0,
    api_key: str | None = None,
) -> tuple[LLMClient, list[float]]:
    delays: list[float] = []
    settings = Settings(
        llm_model="fake-model",
        openai_base_url=server.base_url,
        openai_api_key=api_key,
        llm_timeout_s=timeout_s,
        llm_max_retries=max_retries,
        llm_validation_retries=validation_retries,
    )
    return LLMClient.from_settings(settings, sleep=delays.append, backoff_s=0.5), delays


def ask(client: LLMClient) -> PainAnswer:
    return client.structured(PainAnswer, MESSAGES, purpose="pain", context=evidence_context(RECORD))


def test_timeouts_are_retried_then_reported_unavailable(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script = [hang(), hang(), hang()]
    client, delays = make_client(fake_openai, max_retries=2, timeout_s=0.3)

    with pytest.raises(LLMUnavailableError, match="timed out") as caught:
        ask(client)

    assert len(fake_openai.requests) == 3
    assert delays == [0.5, 1.0]  # exponential backoff between the three attempts
    assert "DETERMINE_LLM_TIMEOUT" in str(caught.value)
    (record,) = client.calls
    assert (record.attempts, record.ok) == (3, False)
    assert record.error == str(caught.value)


def test_rate_limit_then_success_uses_retry_after(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script = [
        http_error(429, headers={"retry-after": "2"}),
        tool_answer({"pain_score": {"value": 7, "quote": "rated 7/10"}}),
    ]
    client, delays = make_client(fake_openai)

    answer = ask(client)

    assert answer.pain_score is not None
    assert (answer.pain_score.value, answer.pain_score.quote) == (7, "rated 7/10")
    assert len(fake_openai.requests) == 2
    assert delays == [2.0]  # the server's Retry-After beats the 0.5 s first backoff
    (record,) = client.calls
    assert (record.attempts, record.ok) == (2, True)
    assert (record.prompt_tokens, record.completion_tokens) == (100, 20)


def test_server_errors_exhaust_the_retries(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script = [http_error(500)] * 4
    client, delays = make_client(fake_openai, max_retries=3)

    with pytest.raises(LLMUnavailableError, match="HTTP 500"):
        ask(client)

    assert len(fake_openai.requests) == 4
    assert delays == [0.5, 1.0, 2.0]
    assert client.calls[-1].attempts == 4
    assert not client.calls[-1].ok


def test_refused_request_is_not_retried_and_hides_the_key(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script = [http_error(401)]
    client, delays = make_client(fake_openai, api_key="sk-test-SECRET-1234567890")

    with pytest.raises(LLMRequestError, match="HTTP 401") as caught:
        ask(client)

    assert len(fake_openai.requests) == 1
    assert delays == []
    assert "SECRET" not in str(caught.value)
    assert "SECRET" not in client.calls[-1].model_dump_json()


def test_invalid_json_in_tool_call_is_reasked_then_reported(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script = [tool_answer('{"pain_score": {"value": 7,'), tool_answer("not json")]
    client, delays = make_client(fake_openai, validation_retries=1)

    with pytest.raises(LLMOutputError) as caught:
        ask(client)

    assert len(fake_openai.requests) == 2  # one answer, one re-ask; no transport retries
    assert delays == []
    assert caught.value.last_output == "not json"
    assert client.calls[-1].attempts == 2
    assert client.calls[-1].prompt_tokens == 200  # usage of both answers is counted


def test_quote_not_in_record_is_reasked_with_the_reason(fake_openai: FakeOpenAIServer) -> None:
    invented = {"pain_score": {"value": 7, "quote": "pain is 7/10 and worsening"}}
    fake_openai.script = [tool_answer(invented), tool_answer(invented)]
    client, _ = make_client(fake_openai, validation_retries=1)

    with pytest.raises(LLMOutputError) as caught:
        ask(client)

    assert len(fake_openai.requests) == 2
    reask = str(fake_openai.requests[1]["messages"])
    assert "not in the record" in reask  # the validator's message went back to the model
    assert any("not in the record" in problem for problem in caught.value.problems)


def test_number_not_in_quote_is_rejected(fake_openai: FakeOpenAIServer) -> None:
    wrong_number = {"pain_score": {"value": 8, "quote": "rated 7/10"}}
    fake_openai.script = [tool_answer(wrong_number)] * 3
    client, _ = make_client(fake_openai, validation_retries=2)

    with pytest.raises(LLMOutputError, match="8"):
        ask(client)

    assert len(fake_openai.requests) == 3
    assert client.calls[-1].attempts == 3


def test_bad_quote_repaired_on_reask_is_accepted(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script = [
        tool_answer({"pain_score": {"value": 7, "quote": "severe pain 7/10"}}),
        tool_answer({"pain_score": {"value": 7, "quote": "Low back pain radiating"}}),
        tool_answer({"pain_score": {"value": 7, "quote": "leg, rated\n 7/10."}}),
    ]
    client, _ = make_client(fake_openai, validation_retries=2)

    answer = ask(client)

    # The second answer's quote is in the record but does not state 7: it is refused too.
    assert answer.pain_score is not None
    assert answer.pain_score.quote == "leg, rated 7/10."
    assert len(fake_openai.requests) == 3
    assert client.calls[-1].ok


# --- the same faults seen through the extractor: facts stay not documented, flagged -------------

DOCUMENTS = [Document(title="Pain clinic consultation", text=RECORD[0])]
NAMES = ["pain.score", "pain.side"]


def flagged_names(flags: list[str]) -> list[str]:
    return [flag.split(":", 1)[0] for flag in flags]


def test_extractor_drops_a_fact_whose_quote_is_invented(fake_openai: FakeOpenAIServer) -> None:
    answer = {
        "score": {"quote": "rated 7/10", "value": 7},
        "side": {"quote": "pain on the left side", "value": "left"},  # not in the record
    }
    fake_openai.script = [tool_answer(answer), tool_answer(answer)]
    client, _ = make_client(fake_openai, validation_retries=1)

    result = LLMExtractor(client).extract(DOCUMENTS, NAMES)

    assert len(fake_openai.requests) == 2  # the answer and one re-ask
    assert result.facts.pain.side is None
    assert flagged_names(result.flags) == ["pain.side"]
    assert "not in the record" in result.flags[0]
    score = result.facts.pain.score  # the verified sibling fact is kept
    assert score is not None and score.evidence[0].quote == "rated 7/10"


def test_extractor_drops_a_number_its_quote_does_not_state(fake_openai: FakeOpenAIServer) -> None:
    answer = {"score": {"quote": "rated 7/10", "value": 8}}
    fake_openai.script = [tool_answer(answer)] * 2
    client, _ = make_client(fake_openai, validation_retries=1)

    result = LLMExtractor(client).extract(DOCUMENTS, NAMES)

    assert len(fake_openai.requests) == 2
    assert result.facts.pain.score is None
    assert flagged_names(result.flags) == ["pain.score"]
    assert result.filled == []


def test_extractor_flags_every_fact_of_an_unreadable_answer(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script = [tool_answer("{not json"), tool_answer("{still not json")]
    client, _ = make_client(fake_openai, validation_retries=1)

    result = LLMExtractor(client).extract(DOCUMENTS, NAMES)

    assert len(fake_openai.requests) == 2
    assert result.facts == CaseFacts()
    assert flagged_names(result.flags) == NAMES


def test_unavailable_endpoint_reaches_the_caller_or_keeps_the_base(
    fake_openai: FakeOpenAIServer,
) -> None:
    fake_openai.script = [http_error(503)] * 3
    client, delays = make_client(fake_openai, max_retries=2)
    extractor = LLMExtractor(client)
    many_groups = [*NAMES, "conservative.pt_formal", "neuro.radiculopathy"]

    with pytest.raises(LLMUnavailableError):
        extractor.extract(DOCUMENTS, many_groups)
    assert len(fake_openai.requests) == 3  # stops at the first group: no call per group
    assert delays == [0.5, 1.0]

    base = CaseFacts()
    base.set("pain.score", {"value": 7, "quote": "rated 7/10", "document": 0})
    fake_openai.script = [hang(), hang(), hang()]
    impatient, _ = make_client(fake_openai, max_retries=2, timeout_s=0.2)
    result = LLMExtractor(impatient).fill_missing(DOCUMENTS, base, many_groups)

    assert len(fake_openai.requests) == 6
    assert result.facts == base  # the rules facts stand unchanged
    assert result.filled == [] and len(result.flags) == 1
    assert "rules facts kept" in result.flags[0] and "timed out" in result.flags[0]
