"""Retrieval benchmark: recall@1, recall@5 and MRR for BM25, dense and hybrid; latency; build time.

    python -m bench.retrieval_bench [--queries FILE] [--data-dir DIR] [--rrf-k K]
                                    [--bm25-weight W] [--dense-weight W] [--depth N] [--json]

Builds a fresh index in a temporary data dir and times the full build (with --data-dir the
index there is reused when current, for quick fusion sweeps), then runs every labelled query of
bench/retrieval_queries.yaml in each mode. A query is found at k when any of its expected
passage ids is in the top k; MRR uses the first expected id in the top 10. Latency is per
hybrid query (k=5) after one warm-up pass over all queries, with the default in-memory dense
ranking and again with the dense side queried in Chroma.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel

from retrieval.config import get_settings
from retrieval.index import build_index, ensure_index, load_corpus_version
from retrieval.search import FusionSettings, HybridSearcher, SearchMode, open_searcher

QUERIES_FILE = Path(__file__).with_name("retrieval_queries.yaml")
MODES: tuple[SearchMode, ...] = ("bm25", "dense", "hybrid")
MRR_DEPTH = 10


class LabelledQuery(BaseModel):
    """One benchmark query and the passage ids that answer it."""

    query: str
    kind: str
    expected: list[str]
    include_references: bool = False


class ModeScores(BaseModel):
    """Retrieval quality of one mode over a set of queries."""

    queries: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    misses_at_5: list[str]


def load_queries(path: Path) -> list[LabelledQuery]:
    """The labelled queries of a YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [LabelledQuery.model_validate(item) for item in data["queries"]]


def check_expected_ids(queries: Sequence[LabelledQuery], known_ids: set[str]) -> list[str]:
    """Expected ids that are not passages of the corpus (the labels need fixing)."""
    return sorted({pid for q in queries for pid in q.expected if pid not in known_ids})


def first_relevant_rank(ranked_ids: Sequence[str], expected: Sequence[str]) -> int | None:
    """1-based rank of the first expected id, or None."""
    for rank, passage_id in enumerate(ranked_ids, start=1):
        if passage_id in expected:
            return rank
    return None


def score_mode(
    searcher: HybridSearcher, queries: Sequence[LabelledQuery], mode: SearchMode
) -> ModeScores:
    """Recall@1, recall@5 and MRR@10 of one mode."""
    ranks: list[int | None] = []
    misses: list[str] = []
    for q in queries:
        hits = searcher.search(
            q.query, k=MRR_DEPTH, include_references=q.include_references, mode=mode
        )
        rank = first_relevant_rank([h.passage.id for h in hits], q.expected)
        ranks.append(rank)
        if rank is None or rank > 5:
            misses.append(q.query)
    total = max(len(queries), 1)
    return ModeScores(
        queries=len(queries),
        recall_at_1=sum(1 for r in ranks if r == 1) / total,
        recall_at_5=sum(1 for r in ranks if r is not None and r <= 5) / total,
        mrr=sum(1 / r for r in ranks if r is not None) / total,
        misses_at_5=misses,
    )


def latency_ms(searcher: HybridSearcher, queries: Sequence[LabelledQuery]) -> list[float]:
    """Per-query hybrid search time (ms) after a warm-up pass."""
    for q in queries:
        searcher.search(q.query, k=5, include_references=q.include_references)
    timings = []
    for q in queries:
        started = time.perf_counter()
        searcher.search(q.query, k=5, include_references=q.include_references)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarize(timings: Sequence[float]) -> dict[str, float]:
    """p50, p95 and max of a list of timings."""
    return {
        "p50": round(statistics.median(timings), 2),
        "p95": round(percentile(timings, 0.95), 2),
        "max": round(max(timings), 2),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    defaults = FusionSettings()
    parser = argparse.ArgumentParser(prog="python -m bench.retrieval_bench")
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE)
    parser.add_argument(
        "--data-dir", type=Path, help="use this data dir (index reused when current)"
    )
    parser.add_argument("--rrf-k", type=float, default=defaults.rrf_k)
    parser.add_argument("--bm25-weight", type=float, default=defaults.bm25_weight)
    parser.add_argument("--dense-weight", type=float, default=defaults.dense_weight)
    parser.add_argument("--depth", type=int, default=defaults.dense_depth)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser.parse_args(argv)


def run(args: argparse.Namespace, data_dir: Path) -> dict[str, object]:
    """Build, score and time; return every figure."""
    settings = get_settings().model_copy(update={"data_dir": data_dir, "chroma_url": None})
    version = load_corpus_version(settings)
    queries = load_queries(args.queries)
    unknown = check_expected_ids(queries, {p.id for p in version.passages})
    if unknown:
        raise SystemExit(f"{args.queries}: expected ids not in the corpus: {unknown}")

    reuse = args.data_dir is not None
    stats = (ensure_index if reuse else build_index)(settings=settings, version=version)
    fusion = FusionSettings(
        rrf_k=args.rrf_k,
        bm25_weight=args.bm25_weight,
        dense_weight=args.dense_weight,
        dense_depth=args.depth,
    )
    searcher = open_searcher(settings, fusion, version)
    kinds = sorted({q.kind for q in queries})
    scores = {
        mode: {
            "all": score_mode(searcher, queries, mode).model_dump(),
            **{
                kind: score_mode(searcher, [q for q in queries if q.kind == kind], mode).model_dump(
                    exclude={"misses_at_5"}
                )
                for kind in kinds
            },
        }
        for mode in MODES
    }
    timings = latency_ms(searcher, queries)
    chroma_timings = latency_ms(open_searcher(settings, fusion, version, "chroma"), queries)
    return {
        "queries": len(queries),
        "passages": stats.passages,
        "build_seconds": round(stats.seconds, 2),
        "rebuilt": stats.rebuilt,
        "fusion": fusion.model_dump(),
        "latency_ms": summarize(timings),
        "latency_ms_chroma_query": summarize(chroma_timings),
        "scores": scores,
    }


def print_report(figures: dict[str, object]) -> None:
    """Human-readable tables."""
    scores = figures["scores"]
    assert isinstance(scores, dict)
    print(f"queries: {figures['queries']}   passages: {figures['passages']}")
    print(f"fusion: {figures['fusion']}")
    what = "full index build (chunk + embed + store)" if figures["rebuilt"] else "index reused"
    print(f"{what}: {figures['build_seconds']} s")
    print(f"hybrid query latency after warm-up (ms): {figures['latency_ms']}")
    print(f"  same, dense side queried in Chroma (ms): {figures['latency_ms_chroma_query']}")
    groups = ["all", *sorted(k for k in scores["hybrid"] if k != "all")]
    print(f"\n{'mode':<8}{'group':<12}{'n':>4}{'R@1':>8}{'R@5':>8}{'MRR':>8}")
    for mode in MODES:
        for group in groups:
            row = scores[mode][group]
            print(
                f"{mode:<8}{group:<12}{row['queries']:>4}{row['recall_at_1']:>8.3f}"
                f"{row['recall_at_5']:>8.3f}{row['mrr']:>8.3f}"
            )
    for mode in MODES:
        misses = scores[mode]["all"]["misses_at_5"]
        print(f"\n{mode} misses at 5 ({len(misses)}): " + "; ".join(misses))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    args = parse_args(argv)
    if args.data_dir:
        figures = run(args, args.data_dir.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="retrieval-bench-") as tmp:
            figures = run(args, Path(tmp))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
