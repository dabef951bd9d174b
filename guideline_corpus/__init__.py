"""Guideline corpora: one folder per guideline version, its converter, its loader, and its passages
(chunking with stable ids, the Passage contract, the code-to-governing-passages lookup)."""
