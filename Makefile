# The two commands a new user runs: `make render` and `make test`.
# Dependencies: pyproject.toml lists them, uv.lock pins them, `uv sync --locked`
# installs exactly that into .venv (the virtualenv Pulumi.yaml's runtime uses).
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.synced
TOOLS := .tools

# uv from PATH if there is one, else uv==$(UV_VERSION) installed with pip into .tools/uv.
UV := $(or $(shell command -v uv 2>/dev/null),$(TOOLS)/uv/bin/uv)

# The venv is ./.venv whatever the caller's environment says, built on $(PYTHON);
# uv never downloads a Python. uv's cache stays at its default, shared by clones.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
# Python writes the bytecode of the modules it imports, once, into .venv (where
# PYTHONDONTWRITEBYTECODE is set, as on CI machines, it would compile them
# again on every run: a render took 3.3-3.8 s instead of 1.7-2.3 s here).
# Compiling everything at install instead (UV_COMPILE_BYTECODE) took 48 s of a
# fresh clone's first make render, for the 5,563 files of the SDKs.
unexport PYTHONDONTWRITEBYTECODE
# Also trust the OS certificate store, where a TLS-intercepting proxy's CA is installed.
export UV_SYSTEM_CERTS ?= 1
unexport VIRTUAL_ENV

CHECKOV := $(TOOLS)/checkov/bin/checkov
SCAN_DIR := $(TOOLS)/scan

.PHONY: install uv-version render test lint workflows unit scan bench snapshot restart e2e clean

# The locked environment only (the workflows' first step).
install: $(STAMP)

# The uv version this Makefile installs; the workflows put the same on PATH.
uv-version:
	@echo $(UV_VERSION)

render: $(STAMP)
	rm -rf rendered
	$(PY) -m render --all -o rendered
	@echo "wrote rendered/<stack>/kubernetes.yaml and resources.yaml for: $$(ls rendered | tr '\n' ' ')"

# ruff, mypy, actionlint, zizmor; pytest (unit and mock-engine tests, the policy
# pack's rules, hypothesis properties, kubernetes-validate --strict on every
# manifest); checkov.
test: lint unit scan

lint: $(STAMP) workflows
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The workflows and the composite action: actionlint (shellcheck on every run:
# script, from .venv/bin, which the PATH below puts first) and zizmor's offline
# audits. Both come from the dev group, binaries inside their wheels.
workflows: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/actionlint
	$(VENV)/bin/zizmor --offline --no-progress --quiet --persona auditor .

# On every core (pytest-xdist): each test runs the program in a fresh SDK context.
unit: $(STAMP)
	$(PY) -m pytest -n auto

# checkov on every committed stack's manifests: no failed check. A check that
# cannot be met is skipped in the manifest, with its reason (docs/security.md, "Scanners").
# BC_SKIP_MAPPING: no download of Prisma Cloud's guideline links.
scan: $(STAMP) $(CHECKOV)
	rm -rf $(SCAN_DIR)
	$(PY) -m render --all -o $(SCAN_DIR)
	BC_SKIP_MAPPING=TRUE $(CHECKOV) --framework kubernetes --directory $(SCAN_DIR) \
		--quiet --compact --skip-download

# checkov and its dependencies, exactly as hashed in tools/checkov.txt.
$(CHECKOV): tools/checkov.txt | $(UV)
	$(UV) venv --quiet --allow-existing $(TOOLS)/checkov
	$(UV) pip install --quiet --require-hashes --python $(TOOLS)/checkov/bin/python \
		-r tools/checkov.txt
	touch $@

# Information: render times beside kubectl kustomize (no target).
bench: $(STAMP)
	$(PY) bench/bench.py

# The real Pulumi CLI and kubernetes provider on a real local control plane
# (etcd, kube-apiserver, controller-manager, scheduler, kwok), all built from
# the Go module proxy into .e2e/ on first use; Google Cloud is a stand-in.
# Needs go on PATH. Usage: make e2e [SCENARIOS="bootstrap no-op"] (docs/e2e.md)
e2e: $(STAMP) policy/venv/.installed
	$(PY) -m e2e $(SCENARIOS)

# The policy pack's own virtualenv, which its PulumiPolicy.yaml names; what
# `pulumi install` in policy/ would make (README, "Real-user path"; docs/design.md).
# Every package at its uv.lock version (uv export), not only the two it names.
policy/venv/.installed: policy/requirements.txt uv.lock | $(UV)
	$(UV) venv --quiet --allow-existing policy/venv
	$(UV) export --quiet --frozen --no-hashes --no-emit-project -o policy/venv/locked.txt
	$(UV) pip install --quiet --python policy/venv/bin/python \
		-r policy/requirements.txt -c policy/venv/locked.txt
	touch $@

snapshot: $(STAMP)
	$(PY) -m tests.snapshot

# Restart every pod of a stack through Pulumi: portfolio:restartedAt := now (UTC,
# RFC 3339), then `pulumi up`, which shows the annotation change and rolls out.
# Usage: make restart STACK=dev
restart:
	@test -f "Pulumi.$(STACK).yaml" || { echo "usage: make restart STACK=<stack>, with a Pulumi.<stack>.yaml here" >&2; exit 2; }
	pulumi config set portfolio:restartedAt "$$(date -u +%Y-%m-%dT%H:%M:%SZ)" --stack "$(STACK)"
	pulumi up --stack "$(STACK)"

# Runtime dependencies and the dev group, exactly as locked; fails if uv.lock is
# out of date with pyproject.toml (run `uv lock` after editing pyproject.toml).
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked
	touch $@

$(TOOLS)/uv/bin/uv:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(TOOLS)/uv uv==$(UV_VERSION)

clean:
	rm -rf $(VENV) $(TOOLS) rendered bench/out .pytest_cache .mypy_cache .ruff_cache
