# vanthu — `make run` serves the demo archive; `make test` runs the whole suite.
# Both set everything up on a fresh Debian machine (root, or sudo available).

PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
DATA    ?= var
DEMO    ?= var/demo-archive
HOST    ?= 127.0.0.1
PORT    ?= 8000
DEBS    := antiword catdoc tesseract-ocr tesseract-ocr-vie poppler-utils fonts-dejavu-core chromium
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup debs venv demo index run test bench clean

setup: debs venv

debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BIN)/vanthu: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

venv: $(BIN)/vanthu

demo: setup
	@[ -f $(DEMO)/catalog.json ] || $(BIN)/python -m corpus.generate --out $(DEMO)

# an index built by an older vanthu is rebuilt from the archive (never wiped), then updated
index: demo
	@$(BIN)/vanthu index $(DEMO) --data $(DATA) || { \
	  echo "rebuilding the index in $(DATA) with this version (vanthu reindex), then indexing again"; \
	  $(BIN)/vanthu reindex --data $(DATA) && $(BIN)/vanthu index $(DEMO) --data $(DATA); }

run: index
	$(BIN)/vanthu serve --data $(DATA) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	@dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui
	$(BIN)/pip install -q -e '.[dev,bench]'
	flock /tmp/vanthu-bench.lock $(BIN)/python -m bench.extraction
	flock /tmp/vanthu-bench.lock $(BIN)/python -m bench.metadata
	flock /tmp/vanthu-bench.lock $(BIN)/python -m bench.ranking
	flock /tmp/vanthu-bench.lock $(BIN)/python -m bench.segmentation
	flock /tmp/vanthu-bench.lock $(BIN)/python -m bench.reindex --count 4000 --workers 2 --kills 20
	flock /tmp/vanthu-bench.lock $(BIN)/python -m bench.latency --count 100000 --queries 1000

clean:
	rm -rf $(VENV) var .pytest_cache
