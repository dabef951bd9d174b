"""Evaluation harness: gold cases, metrics, runs and reports."""
