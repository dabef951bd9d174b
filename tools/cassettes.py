"""The vcrpy settings every LLM cassette is recorded and replayed with (tests and eval alike).

Requests match on method, path and body: the body holds the model name, the prompt and the
request parameters, so a replay must use the recording's model and settings. The host is not
matched, so a replay points the client at `REPLAY_BASE_URL`, which is never contacted.
Credentials (Authorization and similar request headers, cookies and organisation ids in
responses) are removed before anything is written.
"""

from __future__ import annotations

from typing import Any

REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # never contacted: every answer comes from a cassette
SECRET_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
]
SECRET_RESPONSE_HEADERS = {"set-cookie", "openai-organization", "openai-project"}


def drop_response_secrets(response: dict[str, Any]) -> dict[str, Any]:
    """The recorded response without cookies or organisation/project headers."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_RESPONSE_HEADERS:
            del headers[name]
    return response


def vcr_options() -> dict[str, Any]:
    """Keyword arguments for `vcr.VCR` (and pytest-recording's `vcr_config`)."""
    return {
        "match_on": ["method", "path", "body"],
        "filter_headers": SECRET_HEADERS,
        "decode_compressed_response": True,
        "before_record_response": drop_response_secrets,
    }
