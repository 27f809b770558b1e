# The course in two commands: `make dashboards` serves it, `make test` checks it.
# Everything installs into .venv from the package registries; nothing else is assumed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866
INSTRUCTOR_PORT ?= 8867
STAMP := $(VENV)/.installed

.PHONY: install dashboards instructor lab test test-fast bench check lessons lint chromium postgresql hub-proxy preload-list screenshots clean help

help:
	@echo "make dashboards  serve the lessons as Voila dashboards on http://127.0.0.1:$(PORT)"
	@echo "make instructor  serve the instructor's notes, answer keys and live sessions on http://127.0.0.1:$(INSTRUCTOR_PORT)"
	@echo "make lab         open the lessons in JupyterLab"
	@echo "make test        run every test (lint, content check, unit, notebook, server, browser): what CI runs"
	@echo "make test-fast   models, content, HTML and the command line only (under a minute)"
	@echo "make bench       measure speed (pytest-benchmark; not part of make test)"
	@echo "make check       validate the content, the instructor's notes and the decision points (lowback check)"
	@echo "make lint        ruff, and import-linter's contracts: the package's layers run one way"
	@echo "make lessons     re-execute the lessons in place (Restart & Run All) after editing them"
	@echo "make slides      present the lessons as slides (Voila's reveal template) on http://127.0.0.1:$(SLIDES_PORT)"
	@echo "make handouts    write every lesson as a standalone HTML page and an A4 PDF into build/handouts/"
	@echo "make preload-list  after upgrading Voila or a widget package: record the scripts a lesson page preloads"
	@echo "make screenshots  save the landing page and every lesson, phone and desktop, light and dark, in build/screenshots/"
	@echo "make install     only create .venv and install the pinned dependencies"

# setuptools' reminder that an editable install is being made is silenced by its message; every other warning shows.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Standalone Voila reads config/voila.py: sources stripped, no tracebacks, only images
# served as files, idle kernels culled, preheated kernels. For a class opening one lesson together:
#   make dashboards CLASS_LESSON=08_case_simulator.ipynb CLASS_SIZE=30
CLASS_LESSON ?=
CLASS_SIZE ?= 30
# The widgets package is compiled to bytecode first: a kernel that finds none compiles it again (or, where
# Python may not write bytecode, every kernel does).
# Quiet on purpose: a few lines of progress, then the address. The lessons are signed as trusted first (they are
# the course's own), so Jupyter does not warn once per lesson; Voila logs warnings and errors only.
dashboards: $(STAMP)
	@echo "Preparing the course: landing page, bytecode, lesson signatures..."
	@$(BIN)/lowback landing >/dev/null
	@$(BIN)/python -m compileall -q widgets
	@$(BIN)/jupyter trust lessons/*.ipynb >/dev/null
	@echo "Starting Voila; each lesson runs once in a waiting kernel, so the first page may take a few seconds."
	@echo "The course: http://127.0.0.1:$(PORT)   (Ctrl-C stops it)"
	@LOWBACK_CLASS_LESSON=$(CLASS_LESSON) LOWBACK_CLASS_SIZE=$(CLASS_SIZE) $(BIN)/voila lessons --port=$(PORT) \
		--Voila.config_file_paths=config --Voila.log_level=WARN

# The instructor's server: instructor/ only, read through config/instructor/voila.py. Run it beside
# `make dashboards`; both find live sessions in the same place (LOWBACK_LIVE_URL, else the Jupyter data folder).
instructor: $(STAMP)
	$(BIN)/python -m compileall -q widgets
	$(BIN)/voila instructor --port=$(INSTRUCTOR_PORT) --Voila.config_file_paths=config/instructor

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=lessons --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root)

check: $(STAMP)
	$(BIN)/lowback check
	$(BIN)/lowback schemas --check

# Progress saved while the lessons run goes to a throwaway file, never your own progress.
# The spaced review (lessons/review.ipynb, not a numbered lesson) is stored executed too.
lessons: $(STAMP)
	LOWBACK_PROGRESS=$$(mktemp -d)/progress.sqlite $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.store_widget_state=False --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=300 lessons/[0-9]*.ipynb lessons/review.ipynb

# After upgrading Voila or a widget package: record again the scripts a lesson page preloads.
preload-list: $(STAMP) chromium
	$(BIN)/python -m tests.preload_list

# Issue 17: the landing page and every lesson at a phone's 390x844 and a desktop's 1280x900, light and dark, as PNGs
# in build/screenshots/ (<page>-<width>x<height>-<theme>.png, and the whole page as <...>-full.png), drawn by
# Chromium from the learners' Voila, so anyone can look. Options (tests/screenshots.py) go in SCREENSHOTS_ARGS:
#   make screenshots SCREENSHOTS_ARGS="--lesson 05 landing --no-full-page"
screenshots: $(STAMP) chromium
	$(BIN)/python -m tests.screenshots $(SCREENSHOTS_ARGS)

# import-linter's contracts are in pyproject.toml ([tool.importlinter]): layers, no widget library below the
# views, nothing importing publish/, no import cycles.
lint: $(STAMP)
	$(BIN)/ruff check widgets tests benchmarks
	$(BIN)/lint-imports --no-cache

# Browser tests need Chromium: $CHROMIUM_PATH, else /usr/bin/chromium, else (as root on Debian)
# Debian's chromium package is installed. Playwright never downloads a browser here.
chromium:
	@bash .ci/ensure-chromium

# The live-session tests start a throwaway PostgreSQL (Debian's package; skipped with the reason if absent).
postgresql:
	@bash .ci/ensure-postgresql

# JupyterHub's proxy is a Node program (configurable-http-proxy), installed from npm into .venv.
HUB_PROXY := $(VENV)/hub/node_modules/.bin/configurable-http-proxy
hub-proxy: $(HUB_PROXY)
$(HUB_PROXY):
	npm install --silent --no-fund --no-audit --prefix $(VENV)/hub configurable-http-proxy@5.3.0

# Tiers (markers in pyproject.toml): browser (Chromium against Voila), server (starts Voila or PostgreSQL),
# hub (JupyterHub), slow. `make test` runs them all and the lessons through nbval; `make test-fast` the rest.
test: lint check chromium postgresql $(HUB_PROXY)
	$(BIN)/python -m pytest --nbval --nbval-current-env

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests -q -p no:cacheprovider -p no:nbval -m "not browser and not server and not hub and not slow"

# Benchmarks live in benchmarks/, which `make test` does not collect: speed is measured, not
# asserted in timed tests. The table is printed and saved under .benchmarks/.
# The dashboard bench (benchmarks/bench_dashboards.py, 12 to 15 minutes on 2 cores) starts its own Voila servers
# on 127.0.0.1 and Chromium, compares the course's Voila with a plain one, and rewrites the table in
# docs/benchmarks.md and in .benchmarks/dashboards.md.
bench: $(STAMP) chromium
	$(BIN)/python -m pytest benchmarks/bench_simulator.py -p no:cacheprovider --benchmark-only \
		--benchmark-columns=min,median,mean,max,rounds --benchmark-sort=name --benchmark-autosave
	$(BIN)/python -m benchmarks.bench_dashboards

# Slides and handouts (issue 6). Slide breaks are each cell's metadata.slideshow.slide_type, set by
# `lowback slides` (the rule is in its docstring; `--check` says whether they are up to date).
# `make slides` serves the lessons through the course-slides template, Voila's reveal template with reveal.js's
# style sheets and jQuery installed from npm into .venv, so slides need no CDN.
# `make handouts` draws each lesson in Chromium from the learners' Voila and saves it with no script,
# readable offline, plus a PDF (lowback handouts; about 40 s for the nine lessons).
.PHONY: slides handouts
SLIDES_PORT ?= 8868
SLIDES_NPM := $(VENV)/slides/node_modules
$(SLIDES_NPM)/reveal.js/dist/reveal.css:
	npm install --silent --no-fund --no-audit --prefix $(VENV)/slides reveal.js@6.0.1 jquery@3.7.1
slides: $(STAMP) $(SLIDES_NPM)/reveal.js/dist/reveal.css
	-$(BIN)/lowback slides --check
	$(BIN)/lowback slides --template $(SLIDES_NPM)
	$(BIN)/voila lessons --port=$(SLIDES_PORT) --Voila.config_file_paths=config --template=course-slides

handouts: $(STAMP) chromium
	$(BIN)/lowback handouts --out build/handouts

clean:
	rm -rf $(VENV) .pytest_cache
