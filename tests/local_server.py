"""Run a server process on 127.0.0.1 for the length of a test (the chroma and browser tests).

`serving` starts the command with its output in a log file, polls a health URL until it answers
(failing at once if the process exits), yields, and always stops the process (terminate, then
kill after 10 s). Ports come from `tools.llm_server.free_port`.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path


class ServerNotReadyError(RuntimeError):
    """The server exited or did not answer its health URL in time: read its log file."""


def _healthy(url: str, expected_body: bytes | None) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return expected_body is None or reply.read().strip() == expected_body
    except OSError:
        return False


def wait_until_healthy(
    name: str,
    process: subprocess.Popen[bytes],
    health_url: str,
    *,
    expected_body: bytes | None = None,
    timeout_s: float = 30.0,
    poll_s: float = 0.2,
) -> None:
    """Return once `health_url` answers 2xx (with `expected_body`, when given)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerNotReadyError(f"{name} exited early with code {process.returncode}")
        if _healthy(health_url, expected_body):
            return
        time.sleep(poll_s)
    raise ServerNotReadyError(f"{name} did not answer at {health_url} within {timeout_s:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the process; kill it if it has not exited after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def serving(
    name: str,
    command: Sequence[str],
    health_url: str,
    log_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    expected_body: bytes | None = None,
    timeout_s: float = 30.0,
) -> Iterator[None]:
    """The command running (and healthy) for the duration of the block; stopped afterwards."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(command), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_healthy(
                name, process, health_url, expected_body=expected_body, timeout_s=timeout_s
            )
            yield
        finally:
            stop(process)
