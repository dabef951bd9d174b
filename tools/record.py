"""Re-record the LLM cassettes from a real endpoint: `python -m tools.record`.

Starts the local llama.cpp server with SmolLM2-135M-Instruct (1 thread, 127.0.0.1, free port;
installs llama-cpp-python first if missing, a ~10 minute build), runs the `vcr`-marked tests with
`--record-mode=rewrite` against it (the client and extraction tests, and the narrative
drafter's gold-case runs through `pipeline.determine` in tests/integration/test_narrative.py),
stops the server, then replays the fresh cassettes with the network closed
(`--record-mode=none`) to prove they are complete. Cassettes land in
tests/cassettes/<test module>/<test>.yaml; never edit them by hand. CI only replays.

Re-record whenever a prompt, a response model (the facts vocabulary, the narrative's rationale
fields), the template letter or the request parameters change: requests are matched on method,
path and body, so a stale cassette fails loudly. Record only some tests with `-k`, e.g.
`python -m tools.record -k recorded_narrative` (about 1-3 minutes per gold case on CPU).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tools.llm_server import ensure_llama_cpp_server, running_server

REPO = Path(__file__).resolve().parent.parent
CASSETTE_DIR = REPO / "tests" / "cassettes"
CASSETTE_TESTS = [
    "tests/unit/test_llm_client.py",
    "tests/unit/test_extract_llm.py",
    "tests/integration/test_narrative.py",
]
RECORD_BASE_URL_ENV = "DETERMINE_RECORD_BASE_URL"


def _pytest(record_mode: str, extra_env: dict[str, str], selection: list[str]) -> int:
    command = [
        sys.executable, "-m", "pytest", "-m", "vcr", f"--record-mode={record_mode}",
        "-p", "no:cacheprovider", "-q", *selection, *CASSETTE_TESTS,
    ]  # fmt: skip
    print("+", " ".join(command), flush=True)
    env = {**os.environ, **extra_env}
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


def cassette_summary() -> tuple[int, int]:
    """(cassette files, recorded interactions) under tests/cassettes."""
    files = sorted(CASSETTE_DIR.rglob("*.yaml"))
    interactions = 0
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        interactions += len(data.get("interactions", []))
    return len(files), interactions


def main(argv: list[str] | None = None) -> int:
    """Record, replay-check and summarise; returns a process exit code."""
    parser = argparse.ArgumentParser(prog="python -m tools.record", description=__doc__)
    parser.add_argument(
        "--no-install", action="store_true", help="fail instead of building llama-cpp-python"
    )
    parser.add_argument("--threads", type=int, default=1, help="llama.cpp threads (default 1)")
    parser.add_argument(
        "-k",
        dest="keyword",
        help="only tests matching this pytest -k expression (e.g. recorded_narrative)",
    )
    args = parser.parse_args(argv)
    selection = ["-k", args.keyword] if args.keyword else []

    started = time.monotonic()
    ensure_llama_cpp_server(install=not args.no_install)
    with running_server(install=not args.no_install, threads=args.threads) as server:
        print(f"llama.cpp server {server.model_alias} at {server.base_url} (log {server.log_path})")
        code = _pytest("rewrite", {RECORD_BASE_URL_ENV: server.base_url}, selection)
    recorded_s = time.monotonic() - started
    if code != 0:
        print(f"recording run failed (exit {code}); cassettes may be partial", file=sys.stderr)
        return code
    code = _pytest("none", {}, selection)
    files, interactions = cassette_summary()
    verdict = "passed" if code == 0 else "FAILED"
    print(
        f"recorded in {recorded_s:.0f}s: {files} cassette(s), {interactions} interaction(s) "
        f"under {CASSETTE_DIR.relative_to(REPO)}; replay check {verdict}"
    )
    return code


if __name__ == "__main__":
    raise SystemExit(main())
