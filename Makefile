# Two commands for a newcomer: `make run` (dashboard on the sample) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WAREHOUSE ?= $(or $(SPSU_WAREHOUSE),data/warehouse.duckdb)
PORT ?= 8501
SCALE ?= 1

.PHONY: run test venv sample bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

venv: $(VENV)/.installed

$(WAREHOUSE): | venv
	$(PY) -m warehouse build --sample --warehouse $(WAREHOUSE)

sample: venv
	$(PY) -m warehouse build --sample --warehouse $(WAREHOUSE)

run: venv $(WAREHOUSE)
	SPSU_WAREHOUSE=$(WAREHOUSE) $(PY) -m ui.serve --server.port $(PORT) \
		--browser.gatherUsageStats false

# The suite in two processes on a 2-core machine: the page tests (Streamlit AppTest, the browser,
# the benchmark's quick run), the sign-in pages, the bad-input corpus and the marts' refresh tests
# beside the rest (a split by measured durations: 5 min 49 s against 7 min 38 s before the marts'
# ~65 s moved). The first, small run builds the shared sample warehouse (tests/artifacts) once, so
# the two runs only read it.
PAGE_TESTS := $(sort $(wildcard tests/test_page_*.py)) tests/test_browser.py tests/test_bench.py \
    tests/test_auth.py tests/test_bad_inputs.py tests/test_marts.py
test: venv
	$(PY) -m pytest -q tests/test_seed_facts.py
	$(PY) -m pytest -q $(PAGE_TESTS) & pages=$$!; \
	$(PY) -m pytest -q $(addprefix --ignore=,$(PAGE_TESTS)) --ignore=tests/test_seed_facts.py; rest=$$?; \
	wait $$pages; pages_rc=$$?; \
	echo "pruebas: páginas -> $$pages_rc, resto -> $$rest"; \
	test $$rest -eq 0 && test $$pages_rc -eq 0

bench: venv
	$(PY) -m bench --scale $(SCALE)

clean:
	rm -rf data tests/artifacts
