"""Criteria as data and the deterministic decision engine. Imports no language-model code."""
