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

import importlib
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
        return _load(target)(rest)
    except KNOWN_ERRORS as error:  # a subcommand that let a known failure through: still one line
        print(f"determine: {' '.join(str(error).split())}", file=sys.stderr)
        return USER_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
