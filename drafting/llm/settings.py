"""Runtime settings read from the environment: which extractor and drafter run, and which LLM.

Everything that talks to a language model is off by default: the rules extractor and the template
drafter need nothing but the repository. Setting `DETERMINE_EXTRACTOR=llm` (or `hybrid`) and/or
`DETERMINE_DRAFTER=llm`, plus a model and an endpoint, turns the LLM paths on. Any
OpenAI-compatible server works (OpenAI itself, or a local llama.cpp / vLLM server through
`OPENAI_BASE_URL`). The API key is a `SecretStr`: it never appears in a repr, a log or an error.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from drafting.errors import DeterminationError

ExtractorName = Literal["rules", "llm", "hybrid"]
DrafterName = Literal["template", "llm"]

# A local server (llama.cpp, vLLM) ignores the key, but the OpenAI client insists on one.
PLACEHOLDER_API_KEY = "not-needed-for-local-server"


def _env(variable: str, name: str, default: Any, **constraints: Any) -> Any:
    """A setting read from the environment `variable`, or given in code by its field `name`."""
    return Field(default=default, validation_alias=AliasChoices(variable, name), **constraints)


class Settings(BaseSettings):
    """What the environment says about extractors, drafters and the LLM endpoint."""

    model_config = SettingsConfigDict(
        case_sensitive=False, extra="ignore", populate_by_name=True, frozen=True
    )

    extractor: ExtractorName = _env("DETERMINE_EXTRACTOR", "extractor", "rules")
    drafter: DrafterName = _env("DETERMINE_DRAFTER", "drafter", "template")
    llm_model: str | None = _env("DETERMINE_LLM_MODEL", "llm_model", None)
    openai_api_key: SecretStr | None = _env("OPENAI_API_KEY", "openai_api_key", None)
    openai_base_url: str | None = _env("OPENAI_BASE_URL", "openai_base_url", None)
    llm_timeout_s: float = _env("DETERMINE_LLM_TIMEOUT", "llm_timeout_s", 60.0, gt=0)
    llm_max_retries: int = _env(
        "DETERMINE_LLM_MAX_RETRIES",
        "llm_max_retries",
        2,
        ge=0,
        le=10,
        description="Retries after a timeout, HTTP 429/5xx or a connection error.",
    )
    llm_validation_retries: int = _env(
        "DETERMINE_LLM_VALIDATION_RETRIES",
        "llm_validation_retries",
        1,
        ge=0,
        le=5,
        description="Re-asks after an answer fails validation (quote not in record, ...).",
    )

    @property
    def llm_configured(self) -> bool:
        """True when a model is named and there is somewhere to send it (a key or a base URL)."""
        has_key = self.openai_api_key is not None and bool(self.openai_api_key.get_secret_value())
        return bool(self.llm_model) and (has_key or bool(self.openai_base_url))

    @property
    def wants_llm(self) -> bool:
        """True when the extractor or the drafter setting asks for a language model."""
        return self.extractor != "rules" or self.drafter == "llm"

    def api_key_or_placeholder(self) -> str:
        """The key to hand the OpenAI client (a placeholder for keyless local servers)."""
        if self.openai_api_key is not None and self.openai_api_key.get_secret_value():
            return self.openai_api_key.get_secret_value()
        return PLACEHOLDER_API_KEY

    def describe(self) -> str:
        """One line for logs and the UI: never includes the key, only whether one is set."""
        key_state = "set" if self.openai_api_key is not None else "unset"
        endpoint = self.openai_base_url or "api.openai.com"
        return (
            f"extractor={self.extractor} drafter={self.drafter} model={self.llm_model or '-'} "
            f"endpoint={endpoint} api_key={key_state} timeout={self.llm_timeout_s:g}s "
            f"retries={self.llm_max_retries}"
        )


class SettingsError(DeterminationError):
    """An environment variable holds a value the tool cannot use."""


def load_settings() -> Settings:
    """Settings from the current environment (a fresh read each call, so tests can monkeypatch)."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise SettingsError(
            f"invalid setting in the environment ({problems}); fix or unset the variable"
        ) from None
