"""The `determine` command line: one entry point, subcommands dispatched to their owning module.

    determine ingest                 build or rebuild the guideline index
    determine search "QUERY" [...]   hybrid search over guideline passages
    determine explain CODE           the criteria tree that applies to a code
    determine CASE.json [...]        decide a case and draft its letter
    determine eval [...]             run the evaluation harness

Each handler takes the remaining argv and returns an exit code; imports are lazy so that
`determine search` does not load the extraction models and `determine --help` is instant.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from drafting.errors import KNOWN_ERRORS

# subcommand -> ("module:function", one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("retrieval.commands:ingest_main", "build or rebuild the guideline index"),
    "search": ("retrieval.commands:search_main", "search guideline passages (hybrid BM25 + dense)"),
    "explain": ("criteria.commands:explain_main", "print the criteria that apply to a code"),
    "eval": ("eval.commands:eval_main", "run the evaluation harness over gold cases"),
}
CASE_HANDLER = "drafting.cli.commands:determine_main"
USER_ERROR = 2

USAGE = """usage: determine CASE.json|DIR [--json] [--out FILE] [--extractor X] [--drafter Y]
       determine {ingest,search,explain,eval} ...

subcommands:
""" + "\n".join(f"  {name:<9} {help_}" for name, (_, help_) in SUBCOMMANDS.items())


def _load(target: str) -> Callable[[Sequence[str]], int]:
    module_name, func_name = target.split(":")
    module = importlib.import_module(module_name)
    handler: Callable[[Sequence[str]], int] = getattr(module, func_name)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a subcommand, or treat the first argument as a case file or directory."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(USAGE)
        return 0 if args else 2
    name = args[0]
    target, rest = (SUBCOMMANDS[name][0], args[1:]) if name in SUBCOMMANDS else (CASE_HANDLER, args)
    try:
        code = _load(target)(rest)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at interpreter exit
        return code
    except KNOWN_ERRORS as error:  # a subcommand that let a known failure through: still one line
        print(f"determine: {' '.join(str(error).split())}", file=sys.stderr)
        return USER_ERROR
    except BrokenPipeError:  # `determine ... | head -1`: the reader has what it wanted
        _drop_stdout()
        return 0
    except OSError as error:
        if error.errno not in _OUTPUT_ERRNOS:
            raise
        _drop_stdout()
        print(f"determine: cannot write the output ({error.strerror})", file=sys.stderr)
        return USER_ERROR


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout without a file descriptor (captured in tests)
        pass


if __name__ == "__main__":
    raise SystemExit(main())
