"""Loading the gold labels: the fast libyaml loader reads them as the safe loader does."""

from __future__ import annotations

import itertools
from pathlib import Path

import yaml

from eval.gold_set import _SAFE_LOADER

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold"


def test_the_fast_label_loader_reads_labels_as_the_safe_loader_does() -> None:
    labels = sorted(GOLD.rglob("labels/*.yaml"))
    assert len(labels) > 100
    for path in itertools.islice(labels, 0, None, 25):  # every 25th label of every source
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=_SAFE_LOADER) == yaml.safe_load(text), path.name
