"""Guideline retrieval: chunking into passages with stable ids, offline embeddings, chromadb store, hybrid search."""
