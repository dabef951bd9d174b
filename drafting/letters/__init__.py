"""Determination letters: model, template, reasons, notices, LLM narrative and export."""
