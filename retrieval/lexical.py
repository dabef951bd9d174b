"""BM25 over passages (bm25s), with a tokenizer that keeps codes and acronyms intact.

Tokens are lower-cased runs of letters and digits, dots inside a code kept ("M51.16"):
CPT/HCPCS codes such as 64483 or 0627T and acronyms such as MBB, RFA, SNRB, CRPS survive as
single tokens. Acronym plurals ("MBBs", "ESIs") map to the acronym. Plain words are Porter
stemmed (nltk's PorterStemmer needs no downloaded data); tokens with digits and acronyms are
not stemmed. English stopwords are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import numpy as np
import numpy.typing as npt
from bm25s.stopwords import STOPWORDS_EN
from nltk.stem.porter import PorterStemmer

from guideline_corpus.passages import Passage

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*")
_ACRONYM_PLURAL = re.compile(r"^([A-Z][A-Z0-9]+)s$")
_STOPWORDS = frozenset(STOPWORDS_EN)
_STEMMER = PorterStemmer()


@lru_cache(maxsize=50_000)
def _normalise(raw: str) -> str:
    plural = _ACRONYM_PLURAL.match(raw)
    if plural:
        return plural.group(1).lower()
    lowered = raw.lower()
    if raw.isupper() or any(ch.isdigit() for ch in raw):
        return lowered
    return str(_STEMMER.stem(lowered))


def tokenize(text: str) -> list[str]:
    """BM25 tokens of a text: codes and acronyms whole, words stemmed, stopwords removed."""
    tokens: list[str] = []
    for raw in _TOKEN.findall(text):
        if raw.lower() in _STOPWORDS:
            continue
        tokens.append(_normalise(raw))
    return tokens


def passage_text_for_index(passage: Passage) -> str:
    """What BM25 and the dense model see: the heading path, then the passage text."""
    return f"{passage.title}\n{passage.text}"


class LexicalIndex:
    """BM25 over a fixed list of passages; scores every passage for a query."""

    def __init__(self, passages: Sequence[Passage], k1: float = 1.2, b: float = 0.75) -> None:
        self.passages = list(passages)
        corpus_tokens = [tokenize(passage_text_for_index(p)) for p in self.passages]
        self.vocabulary = frozenset(token for tokens in corpus_tokens for token in tokens)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        if self.passages:
            self._bm25.index(corpus_tokens, show_progress=False)

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 score of every passage (index order); zeros when no query token is known."""
        known = [token for token in tokenize(query) if token in self.vocabulary]
        if not known or not self.passages:
            return np.zeros(len(self.passages), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def ranking(self, query: str, allowed: Sequence[bool] | None = None) -> list[int]:
        """Indices of passages with a positive score, best first (ties keep index order)."""
        scores = self.scores(query)
        order = np.argsort(-scores, kind="stable")
        return [int(i) for i in order if scores[i] > 0 and (allowed is None or allowed[int(i)])]
