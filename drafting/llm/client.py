"""The one way this tool talks to a language model: `LLMClient`, plus the errors it raises.

`LLMClient` wraps `openai.OpenAI` (any OpenAI-compatible endpoint: OpenAI, llama.cpp, vLLM) with
instructor in `Mode.TOOLS` (grammar-constrained on llama.cpp; `JSON_SCHEMA` gets HTTP 500 there).
Two kinds of retry, both bounded and both observable:

- transport: our own loop retries timeouts, HTTP 408/409/429/5xx and connection errors with
  exponential backoff (the OpenAI client itself is built with `max_retries=0`, so every attempt is
  ours to count); when they run out the caller gets `LLMUnavailableError` and falls back;
- validation: instructor re-asks, up to `validation_retries` times, when the answer fails the
  response model's validators (a quote not in the record, a number not in its quote, bad JSON);
  when they run out the caller gets `LLMOutputError` with the last raw answer.

Every call leaves a `CallRecord` (purpose, model, tokens, latency, attempts, ok, error) in
`client.calls`. The API key is never logged nor put in an error message.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorError, InstructorRetryException
from pydantic import BaseModel, ValidationError

from drafting.errors import DeterminationError
from drafting.llm.settings import Settings

log = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)
ResultT = TypeVar("ResultT")
Messages = Sequence[Mapping[str, str]]

RETRYABLE_STATUS = frozenset({408, 409, 429})
DEFAULT_MAX_TOKENS = 1024
_SECRET_RE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{4,}|Bearer\s+\S+)")


class LLMError(DeterminationError):
    """A language-model call failed; the caller falls back to the rules extractor or template."""


class LLMNotConfiguredError(LLMError):
    """An LLM path was requested but no model or endpoint is configured."""


class LLMUnavailableError(LLMError):
    """The endpoint did not answer usefully (timeouts, 429, 5xx, connection) after all retries."""


class LLMRequestError(LLMError):
    """The endpoint refused the request itself (bad key, unknown model, malformed request)."""


class LLMOutputError(LLMError):
    """The model's answer still failed validation after the allowed re-asks."""

    def __init__(
        self, message: str, *, problems: Sequence[str] = (), last_output: str | None = None
    ) -> None:
        super().__init__(message)
        self.problems = list(problems)
        # The raw tool-call arguments (or text) of the last answer, for salvaging valid parts.
        self.last_output = last_output


class CallRecord(BaseModel):
    """What one logical LLM call cost and how it ended (one per `structured`/`text` call)."""

    purpose: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    attempts: int = 0  # requests sent: transport retries and validation re-asks included
    ok: bool = False
    error: str | None = None


@dataclass
class _CallState:
    """Counters the instructor hooks fill while one call is in flight."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add_usage(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            self.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)


def redact(text: str, secret: str | None = None) -> str:
    """`text` with the API key (and anything shaped like one) replaced by `***`."""
    if secret:
        text = text.replace(secret, "***")
    return _SECRET_RE.sub("***", text)


def _api_error(exc: BaseException) -> BaseException:
    """The openai error behind `exc` (instructor wraps endpoint errors in its retry exception)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, openai.APIError):
            return seen
        seen = seen.__cause__
    return exc


def _is_retryable(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code in RETRYABLE_STATUS or error.status_code >= 500
    return False


def _describe_api_error(error: BaseException) -> str:
    if isinstance(error, openai.APITimeoutError):
        return "timed out"
    if isinstance(error, openai.APIConnectionError):
        return "connection failed"
    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code}"
    return type(error).__name__


def _retry_after_s(error: BaseException) -> float | None:
    response = getattr(error, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None


def _last_raw_output(exc: InstructorRetryException | IncompleteOutputException) -> str | None:
    completion = exc.last_completion
    choices = getattr(completion, "choices", None) or []
    if not choices:
        return None
    message = choices[0].message
    tool_calls = getattr(message, "tool_calls", None) or []
    if tool_calls:
        return cast(str, tool_calls[0].function.arguments)
    return cast(str | None, getattr(message, "content", None))


def _validation_problems(exc: InstructorRetryException) -> list[str]:
    problems: list[str] = []
    last = exc.failed_attempts[-1].exception if exc.failed_attempts else exc.__cause__
    if isinstance(last, ValidationError):
        for error in last.errors():
            where = ".".join(str(part) for part in error["loc"]) or "answer"
            problems.append(f"{where}: {str(error['msg']).removeprefix('Value error, ')}")
    elif isinstance(last, json.JSONDecodeError):
        problems.append(f"answer is not valid JSON ({last.msg})")
    elif last is not None:
        problems.append(str(last).splitlines()[0][:200])
    return problems


class LLMClient:
    """Structured and free-text calls to one model, with bounded retries and usage records.

    One call at a time per client (the per-call counters live on the instance).
    """

    def __init__(
        self,
        openai_client: openai.OpenAI,
        model: str,
        *,
        max_retries: int = 2,
        validation_retries: int = 1,
        backoff_s: float = 0.5,
        backoff_cap_s: float = 8.0,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.openai = openai_client
        self.model = model
        self.max_retries = max_retries
        self.validation_retries = validation_retries
        self.backoff_s = backoff_s
        self.backoff_cap_s = backoff_cap_s
        self.max_tokens = max_tokens
        self.calls: list[CallRecord] = []
        self._sleep = sleep
        self._state = _CallState()
        self._instructor = instructor.from_openai(openai_client, mode=instructor.Mode.TOOLS)
        self._instructor.on("completion:kwargs", self._on_request)
        self._instructor.on("completion:response", self._on_response)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> LLMClient:
        """A client for the configured endpoint; raises `LLMNotConfiguredError` when there is none.

        `overrides` go to the constructor (tests pass `sleep`, `backoff_s`); an `http_client`
        override goes to the OpenAI client (tests pass one with a mock transport).
        """
        if not settings.llm_configured or settings.llm_model is None:
            raise LLMNotConfiguredError(
                "no language model is configured: set DETERMINE_LLM_MODEL and OPENAI_API_KEY "
                "(or OPENAI_BASE_URL for a local server), or use DETERMINE_EXTRACTOR=rules"
            )
        http_client = overrides.pop("http_client", None)
        client_kwargs: dict[str, Any] = {
            "api_key": settings.api_key_or_placeholder(),
            "base_url": settings.openai_base_url,
            "timeout": settings.llm_timeout_s,
            "max_retries": 0,
        }
        if http_client is not None:
            client_kwargs["http_client"] = http_client
        overrides.setdefault("max_retries", settings.llm_max_retries)
        overrides.setdefault("validation_retries", settings.llm_validation_retries)
        return cls(openai.OpenAI(**client_kwargs), settings.llm_model, **overrides)

    @property
    def endpoint(self) -> str:
        """The base URL calls go to (no credentials in it)."""
        return str(self.openai.base_url)

    def structured(
        self,
        response_model: type[ModelT],
        messages: Messages,
        *,
        purpose: str,
        context: dict[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> ModelT:
        """One validated `response_model` from the model (tool call), `context` for validators."""

        def send() -> ModelT:
            return self._instructor.chat.completions.create(
                model=self.model,
                messages=cast(Any, list(messages)),
                response_model=response_model,
                context=context,
                max_retries=self.validation_retries,
                max_tokens=max_tokens or self.max_tokens,
                temperature=0.0,
            )

        return self._run(purpose, send)

    def text(self, messages: Messages, *, purpose: str, max_tokens: int | None = None) -> str:
        """Free text from the model (for narrative drafting); empty answers are an error."""

        def send() -> str:
            self._on_request()
            response = self.openai.chat.completions.create(
                model=self.model,
                messages=cast(Any, list(messages)),
                max_tokens=max_tokens or self.max_tokens,
                temperature=0.0,
            )
            self._on_response(response)
            content = response.choices[0].message.content if response.choices else None
            if not content or not content.strip():
                raise LLMOutputError(f"{purpose}: the model returned an empty answer")
            return content

        return self._run(purpose, send)

    def usage_totals(self) -> dict[str, int]:
        """Token and request totals over every call this client made."""
        return {
            "calls": len(self.calls),
            "prompt_tokens": sum(call.prompt_tokens for call in self.calls),
            "completion_tokens": sum(call.completion_tokens for call in self.calls),
            "attempts": sum(call.attempts for call in self.calls),
        }

    # -- internals ---------------------------------------------------------------------------

    def _on_request(self, *_args: Any, **_kwargs: Any) -> None:
        self._state.requests += 1

    def _on_response(self, response: Any) -> None:
        self._state.add_usage(response)

    def _backoff_delay(self, retry_index: int, error: BaseException) -> float:
        delay = min(self.backoff_cap_s, self.backoff_s * (2**retry_index))
        retry_after = _retry_after_s(error)
        if retry_after is not None:
            delay = max(delay, min(self.backoff_cap_s, retry_after))
        return delay

    def _run(self, purpose: str, send: Callable[[], ResultT]) -> ResultT:
        self._state = state = _CallState()
        started = time.perf_counter()
        error_text: str | None = None
        try:
            for retry_index in range(self.max_retries + 1):
                try:
                    return send()
                except (openai.OpenAIError, InstructorError) as exc:
                    cause = _api_error(exc)
                    if _is_retryable(cause) and retry_index < self.max_retries:
                        delay = self._backoff_delay(retry_index, cause)
                        log.warning(
                            "LLM %s: %s on attempt %d, retrying in %.2fs",
                            purpose,
                            _describe_api_error(cause),
                            state.requests,
                            delay,
                        )
                        self._sleep(delay)
                        continue
                    translated = self._translate(purpose, exc, cause, state.requests)
                    error_text = str(translated)
                    raise translated from exc
                except LLMError as exc:
                    error_text = str(exc)
                    raise
            raise AssertionError("unreachable: the retry loop returns or raises")
        finally:
            record = CallRecord(
                purpose=purpose,
                model=self.model,
                prompt_tokens=state.prompt_tokens,
                completion_tokens=state.completion_tokens,
                latency_s=round(time.perf_counter() - started, 3),
                attempts=state.requests,
                ok=error_text is None,
                error=error_text,
            )
            self.calls.append(record)
            log.info(
                "LLM %s model=%s attempts=%d tokens=%d+%d ok=%s",
                purpose,
                self.model,
                record.attempts,
                record.prompt_tokens,
                record.completion_tokens,
                record.ok,
            )

    def _translate(
        self, purpose: str, exc: BaseException, cause: BaseException, attempts: int
    ) -> LLMError:
        secret = self.openai.api_key
        if _is_retryable(cause):
            return LLMUnavailableError(
                f"{purpose}: the language model at {self.endpoint} did not answer "
                f"({_describe_api_error(cause)}) after {attempts} attempt(s); continuing without "
                "it. Check that the server is running (OPENAI_BASE_URL) or raise "
                "DETERMINE_LLM_TIMEOUT / DETERMINE_LLM_MAX_RETRIES"
            )
        if isinstance(cause, openai.APIStatusError):
            detail = redact(str(cause.message), secret)[:200]
            return LLMRequestError(
                f"{purpose}: the language model endpoint refused the request "
                f"(HTTP {cause.status_code}: {detail}); check OPENAI_API_KEY and "
                f"DETERMINE_LLM_MODEL ({self.model})"
            )
        if isinstance(exc, IncompleteOutputException):
            return LLMOutputError(
                f"{purpose}: the model's answer was cut off at the token limit "
                f"({attempts} attempt(s)); ask for fewer facts per call or raise max_tokens",
                problems=["answer cut off at the token limit"],
                last_output=_last_raw_output(exc),
            )
        if isinstance(exc, InstructorRetryException):
            problems = [redact(problem, secret) for problem in _validation_problems(exc)]
            shown = "; ".join(problems[:3]) or "no usable answer"
            return LLMOutputError(
                f"{purpose}: the model's answer failed validation after {attempts} attempt(s) "
                f"({shown})",
                problems=problems,
                last_output=_last_raw_output(exc),
            )
        return LLMError(
            f"{purpose}: the language model call failed ({redact(str(exc), secret)[:200]})"
        )
