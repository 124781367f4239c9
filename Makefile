# Course commands. Each target works on a fresh machine with only Python and pip:
# it creates .venv and installs the pins from environment.yml first.
#   make lab             JupyterLab on notebooks/, as learners see it (no instructor tools)
#   make test            the whole test suite (what CI runs)
#   make instructor-lab  JupyterLab with nbgrader's instructor tools (formgrader), for grading/
#   make release         regenerate notebooks/ from solutions/ with nbgrader
#   make strip           strip outputs and widget state from every notebook
#   make lint            ruff and the notebook-stripped check
#   make data            regenerate the synthetic practice data and check every data table
#
# `make install` installs what learners need (environment.yml's pip section, as Binder does);
# `make install-dev` adds the test and authoring tools (environment.yml's commented dev block).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LEARNER_STAMP := $(VENV)/.installed-learner
DEV_STAMP := $(VENV)/.installed-dev
# Learners' Jupyter configuration: nbgrader's instructor extensions off (Binder's postBuild installs the same).
LEARNER_CONFIG := $(CURDIR)/jupyter-config/learner

.PHONY: install install-dev lab instructor-lab test release strip lint clean data \
	benchmark-notebooks benchmark-grading

install: $(LEARNER_STAMP)

install-dev: $(DEV_STAMP)

$(LEARNER_STAMP): environment.yml pyproject.toml tools/requirements_from_env.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PYTHON) tools/requirements_from_env.py environment.yml --group learner > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(LEARNER_STAMP)

$(DEV_STAMP): $(LEARNER_STAMP)
	$(PYTHON) tools/requirements_from_env.py environment.yml --group dev > $(VENV)/requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt -r $(VENV)/requirements-dev.txt
	touch $(DEV_STAMP)

# JupyterLab refuses to run as root unless told to (containers often run as root).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(LEARNER_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" JUPYTER_CONFIG_PATH="$(LEARNER_CONFIG)" \
		$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

# Formgrader reads grading/nbgrader_config.py from the folder it starts in; the file browser shows the repository.
instructor-lab: $(LEARNER_STAMP)
	cd grading && PATH="$(CURDIR)/$(BIN):$$PATH" $(CURDIR)/$(BIN)/jupyter lab --ServerApp.root_dir=.. $(ALLOW_ROOT)

test: $(DEV_STAMP) lint
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadfile \
		--nbval-lax --nbval-current-env tests solutions

release: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m mlai_course.cli release

strip: $(DEV_STAMP)
	$(BIN)/python -m nbstripout --extra-keys metadata.language_info $$(find solutions notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*')

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests tools grading
	$(BIN)/python -m mlai_course.cli check-stripped

data: $(LEARNER_STAMP)
	$(BIN)/python tools/generate_job_postings.py
	$(BIN)/python tools/generate_lab_postings.py
	$(BIN)/python -m mlai_course.data

clean:
	rm -rf $(VENV)

# Notebook run time and size; writes benchmarks/notebooks.md.
benchmark-notebooks: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_notebooks.py

# Grading time per submission, `mlai-course grade` beside plain `nbgrader autograde`,
# on the demo class; writes benchmarks/grading.md and benchmarks/grading.json.
benchmark-grading: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_grading.py
