# The two commands of the README; both install everything they need first.
.PHONY: run test bench up down status lint

run:            ## run the whole system locally (stack, 3 BFFs, lake, demo data); Ctrl-C stops it
	scripts/run

test:           ## the full test suite: quality gates, unit, integration, e2e
	scripts/test $(ARGS)

bench:          ## the benchmarks (bench/README.md); not part of the tests
	scripts/bootstrap && .venv/bin/python -m bench $(ARGS)

up:             ## start the local stack in the background
	scripts/bootstrap && .venv/bin/python -m devstack up

down:           ## stop the local stack
	.venv/bin/python -m devstack down

status:
	.venv/bin/python -m devstack status

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy
