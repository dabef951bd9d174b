"""A scripted fake OpenAI-compatible server on 127.0.0.1 (for the fault tests).

Each request to `/v1/chat/completions` takes the next step of the script: a tool-call answer, an
HTTP error status, raw text, or a hang (the handler waits until the test ends, so the client's
own timeout fires). The server records every request body so a test can count attempts and read
what was re-asked. The `fake_openai` fixture (tests/conftest.py) runs one per test.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


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
