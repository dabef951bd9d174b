"""Guideline corpora: one folder per guideline version, its converter and its loader."""
