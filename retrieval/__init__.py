"""Guideline retrieval over the corpus's passages: offline embeddings, chromadb, hybrid search."""
