# What learners run: `make lab` (and `make install`, `make clean`). The instructor repository's Makefile includes
# this file; the student edition's Makefile is this file.
#   make lab      install what learners need into .venv (environment.yml's pip section), then JupyterLab on
#                 notebooks/, with the learners' Jupyter configuration (jupyter-config/learner/)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LEARNER_STAMP := $(VENV)/.installed-learner
LEARNER_CONFIG := $(CURDIR)/jupyter-config/learner
# JupyterLab refuses to run as root unless told to (containers often run as root).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install lab clean

install: $(LEARNER_STAMP)

$(LEARNER_STAMP): environment.yml pyproject.toml tools/requirements_from_env.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PYTHON) tools/requirements_from_env.py environment.yml --group learner > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(LEARNER_STAMP)

lab: $(LEARNER_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" JUPYTER_CONFIG_PATH="$(LEARNER_CONFIG)" \
		$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

clean:
	rm -rf $(VENV)
