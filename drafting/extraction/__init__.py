"""Fact extraction: rules reader, clinical NLP, quantities, LLM extractor, evidence checks."""
