"""Shared LLM test helpers: a scripted fake OpenAI server, and the cassette (vcrpy) settings.

The fake server (127.0.0.1, for the fault tests):

Each request to `/v1/chat/completions` takes the next step of the script: a tool-call answer, an
HTTP error status, raw text, or a hang (the handler waits until the test ends, so the client's
own timeout fires). The server records every request body so a test can count attempts and read
what was re-asked.

Cassettes (tests/cassettes/, replayed with pytest-recording, record mode `none` unless
`python -m tools.record` re-records them against a real server) use the settings of
`tools.cassettes`, as the eval's do: requests match on method, path and body; credentials are
filtered out. The client never retries (`max_retries=0`), so a cassette miss fails at once.
`recorded_client` talks to the server named by `DETERMINE_RECORD_BASE_URL` while recording, and
to an unused placeholder URL on replay (the host is not part of the match).

Imported by the LLM tests (not a pytest conftest: the fixtures live here and are imported).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from drafting.llm.client import LLMClient
from drafting.llm.settings import Settings
from tools.cassettes import REPLAY_BASE_URL, vcr_options
from tools.llm_server import MODEL_ALIAS
from tools.record import RECORD_BASE_URL_ENV


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """pytest-recording settings for every LLM cassette (the same as the eval's)."""
    return vcr_options()


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


@dataclass
class Step:
    """One scripted reply: `kind` is tool | status | raw | hang."""

    kind: str
    arguments: str = ""
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def tool_answer(arguments: dict[str, Any] | str) -> Step:
    """A 200 answer whose single tool call carries `arguments` (a dict, or raw text as given)."""
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return Step(kind="tool", arguments=text)


def http_error(status: int, headers: dict[str, str] | None = None) -> Step:
    """An error status with an OpenAI-style error body."""
    body = json.dumps({"error": {"message": f"scripted {status}", "type": "server_error"}})
    return Step(kind="status", status=status, body=body, headers=headers or {})


def hang() -> Step:
    """Never answer (until the test ends): the client's timeout fires."""
    return Step(kind="hang")


def _completion(arguments: str, request: dict[str, Any]) -> dict[str, Any]:
    tools = request.get("tools") or [{"function": {"name": "answer"}}]
    name = tools[0]["function"]["name"]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_0",
                            "type": "function",
                            "function": {"name": name, "arguments": arguments},
                        }
                    ],
                },
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


class FakeOpenAIServer:
    """The scripted server; `requests` holds each request body (parsed JSON) in order."""

    def __init__(self) -> None:
        self.script: list[Step] = []
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                request = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(request)
                step = server.script.pop(0) if server.script else http_error(500)
                if step.kind == "hang":
                    server.release.wait(timeout=30)
                    return
                if step.kind == "tool":
                    self._send(200, json.dumps(_completion(step.arguments, request)), {})
                else:
                    self._send(step.status, step.body, step.headers)

            def _send(self, status: int, body: str, headers: dict[str, str]) -> None:
                data = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    """A running scripted server; stopped (and any hung handler released) after the test."""
    server = FakeOpenAIServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
