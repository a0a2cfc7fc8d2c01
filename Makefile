# The two commands: `make demo` and `make test`. Both do all set-up first.
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= var/demo
HOST ?= 127.0.0.1
PORT ?= 8000
# Scripted inspections the autopilot runs alongside the demo (make demo AUTOPILOT=20).
AUTOPILOT ?= 0
PYTEST_ARGS ?= -n auto --dist loadfile --no-loadscope-reorder --durations=15

export INBOUND_STATION_DATA_DIR ?= $(abspath $(DEMO_DIR))

.PHONY: demo demo-reset test lint setup setup-test clean help

help:
	@echo "make demo        set up, load sample data, simulated devices, serve on http://$(HOST):$(PORT)"
	@echo "                 (AUTOPILOT=N: N scripted inspections alongside, for the dashboard)"
	@echo "make test        set up and run every test (lint, import contracts, pytest)"
	@echo "make demo-reset  forget the demo database and evidence, then run the demo"

setup:
	@scripts/setup.sh demo

setup-test:
	@scripts/setup.sh test

demo: setup
	@# Migrates, loads the sample data and the demo sign-ins when missing, starts the
	@# simulated devices and serves (docs/demo.md). Ctrl-C stops it; run again to go on.
	$(BIN)/inbound-station demo --data-dir $(DEMO_DIR) --host $(HOST) --port $(PORT) --autopilot $(AUTOPILOT)

demo-reset:
	rm -rf $(DEMO_DIR)
	$(MAKE) demo

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache build dist
