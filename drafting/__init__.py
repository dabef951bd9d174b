"""From a case to a determination: case contract, extraction, letters, lint, audit, LLM, CLI.

Subpackages, in pipeline order: `case` (contract and loaders), `extraction` (facts with quotes),
`letters` (template, narrative, notices, export), `lint` (the letter linter), `audit` (the store of
finalized cases), `llm` (client and settings), `cli`; `pipeline` runs them, `result` is its output.
"""
