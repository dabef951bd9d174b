"""Language-model access: the runtime settings (extractor, drafter, endpoint) and the one client."""
