"""Guideline retrieval: passages with stable ids, offline embeddings, chromadb, hybrid search."""
