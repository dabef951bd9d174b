"""The `determine ingest` and `determine search` subcommands (dispatched by drafting.cli).

    determine ingest [--force]
    determine search "QUERY" [--section S] [-k N] [--include-references] [--json]

Each handler takes the argv after the subcommand name and returns an exit code; a retrieval or
corpus error prints its message (which says what to do) and returns 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from guideline_corpus.errors import CorpusError
from retrieval.errors import RetrievalError

SNIPPET_CHARS = 240


def _progress(stage: str, done: int, total: int) -> None:
    if stage == "embed":
        end = "\n" if done >= total else ""
        print(f"\r  embedding windows {done}/{total}", end=end, file=sys.stderr, flush=True)
    elif done == 0 or stage == "chunk":
        label = {"chunk": "chunked passages", "store": "storing vectors"}.get(stage, stage)
        print(f"  {label}: {total}", file=sys.stderr, flush=True)


def ingest_main(argv: Sequence[str]) -> int:
    """Build the guideline index (only when missing or stale, unless --force)."""
    parser = argparse.ArgumentParser(
        prog="determine ingest", description="Build or rebuild the guideline passage index."
    )
    parser.add_argument(
        "--force", action="store_true", help="rebuild even when the stored index is current"
    )
    args = parser.parse_args(list(argv))
    from retrieval.config import get_settings
    from retrieval.index import build_index, ensure_index

    settings = get_settings()
    started = time.perf_counter()
    try:
        print(f"corpus {settings.corpus_id} -> {settings.chroma_url or settings.chroma_path}")
        build = build_index if args.force else ensure_index
        stats = build(_progress, settings=settings)
    except (RetrievalError, CorpusError) as exc:
        print(f"determine ingest: {exc}", file=sys.stderr)
        return 1
    action = "built" if stats.rebuilt else "already current, reused"
    print(
        f"index {stats.collection} {action}: {stats.passages} passages, {stats.vectors} vectors, "
        f"{time.perf_counter() - started:.1f} s"
    )
    return 0


def snippet(text: str, query: str = "", limit: int = SNIPPET_CHARS) -> str:
    """The passage text on one line, about `limit` characters, starting a little before the
    first word of the query it contains (or at the start), cut at word boundaries."""
    flat = " ".join(text.split())
    lowered = flat.lower()
    positions = [lowered.find(w) for w in query.lower().split() if len(w) >= 3]
    found = [p for p in positions if p >= 0]
    start = 0
    if found and min(found) > limit // 3:
        start = flat.find(" ", min(found) - limit // 4) + 1
    piece = flat[start : start + limit]
    if start + limit < len(flat):
        piece = piece.rsplit(" ", 1)[0] + " ..."
    return ("... " if start else "") + piece


def search_main(argv: Sequence[str]) -> int:
    """Print the best passages for a query."""
    parser = argparse.ArgumentParser(
        prog="determine search", description="Hybrid (BM25 + dense) search of guideline passages."
    )
    parser.add_argument("query", help="what to look for, e.g. 'isolated axial low back pain'")
    parser.add_argument("--section", help="only this section (e.g. epidural, facet, sacroiliac)")
    parser.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    parser.add_argument(
        "--include-references",
        action="store_true",
        help="also search references, code tables and history (ranked after body text)",
    )
    parser.add_argument("--json", action="store_true", help="print the hits as JSON")
    args = parser.parse_args(list(argv))
    if args.k < 1:
        parser.error("-k must be at least 1")
    from retrieval.search import get_searcher

    try:
        searcher = get_searcher()
        if args.section and args.section not in searcher.sections:
            print(
                f"determine search: unknown section {args.section!r}; "
                f"choose one of {', '.join(searcher.sections)}",
                file=sys.stderr,
            )
            return 2
        hits = searcher.search(
            args.query, k=args.k, section=args.section, include_references=args.include_references
        )
    except (RetrievalError, CorpusError) as exc:
        print(f"determine search: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([hit.model_dump(mode="json") for hit in hits], indent=2))
        return 0
    if not hits:
        print("no passages found")
        return 0
    for rank, hit in enumerate(hits, start=1):
        ranks = f"bm25 #{hit.bm25_rank or '-'}, dense #{hit.dense_rank or '-'}"
        print(f"{rank}. {hit.passage.id}  score {hit.score:.4f}  ({ranks})")
        print(f"   {hit.passage.title}  [line {hit.passage.start_line}, {hit.passage.kind}]")
        print(f"   {snippet(hit.passage.text, args.query)}")
    return 0
