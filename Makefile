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
	SPSU_WAREHOUSE=$(WAREHOUSE) $(VENV)/bin/streamlit run app.py --server.port $(PORT) \
		--browser.gatherUsageStats false

test: venv
	$(PY) -m pytest -q

bench: venv
	$(PY) -m bench --scale $(SCALE)

clean:
	rm -rf data tests/artifacts
