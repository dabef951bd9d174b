"""`determine explain CODE`: print the criteria tree that applies to a code, with quotes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from criteria.errors import CriteriaError
from criteria.explain import explain_code
from criteria.loader import load_library
from guideline_corpus.corpus import DEFAULT_CORPUS_ID


def explain_main(argv: Sequence[str]) -> int:
    """Print how each CODE is routed and every criterion (quote, passage, logic) that applies."""
    parser = argparse.ArgumentParser(
        prog="determine explain",
        description="Show the criteria that apply to a procedure code, with guideline quotes.",
    )
    parser.add_argument("codes", nargs="+", metavar="CODE", help="CPT/HCPCS code(s), e.g. 64483")
    parser.add_argument("--corpus", default=DEFAULT_CORPUS_ID, help="guideline corpus id")
    args = parser.parse_args(list(argv))
    try:
        library = load_library(args.corpus)
    except CriteriaError as error:
        print(f"The criteria could not be loaded:\n{error}", file=sys.stderr)
        return 2
    for number, code in enumerate(args.codes):
        if number:
            print()
        print("\n".join(explain_code(library, code)))
    return 0


if __name__ == "__main__":
    raise SystemExit(explain_main(sys.argv[1:]))
