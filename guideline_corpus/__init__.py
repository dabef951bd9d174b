"""Guideline corpora: one folder per guideline version, the converter that builds them, and their loader."""
