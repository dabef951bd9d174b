"""Integration tests: the pipeline, CLI, eval, audit store and Chroma run end to end."""
