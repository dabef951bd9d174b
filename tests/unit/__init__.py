"""Unit tests: one module or table of behaviour at a time, no pipeline run end to end."""
