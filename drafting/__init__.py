"""Case loading, fact extraction, letters, linting, export, the pipeline and the CLI."""
