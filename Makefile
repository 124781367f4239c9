# Course commands. Each target works on a fresh machine with only Python and pip:
# it creates .venv and installs the pins from environment.yml first.
#   make lab      JupyterLab on notebooks/
#   make test     the whole test suite (what CI runs)
#   make release  regenerate notebooks/ from solutions/ with nbgrader
#   make strip    strip outputs and widget state from every notebook
#   make lint     ruff and the notebook-stripped check
#   make data     regenerate the synthetic practice data and check every data table

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lab test release strip lint clean data benchmark-notebooks benchmark-grading

install: $(STAMP)

$(STAMP): environment.yml pyproject.toml tools/requirements_from_env.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PYTHON) tools/requirements_from_env.py environment.yml > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# JupyterLab refuses to run as root unless told to (containers often run as root).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

test: $(STAMP) lint
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadfile \
		--nbval-lax --nbval-current-env tests solutions

release: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m mlai_course.cli release

strip: $(STAMP)
	$(BIN)/python -m nbstripout --extra-keys metadata.language_info $$(find solutions notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*')

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests tools grading
	$(BIN)/python -m mlai_course.cli check-stripped

data: $(STAMP)
	$(BIN)/python tools/generate_job_postings.py
	$(BIN)/python -m mlai_course.data

clean:
	rm -rf $(VENV)

# Notebook run time and size; writes benchmarks/notebooks.md.
benchmark-notebooks: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_notebooks.py

# Grading time per submission, `mlai-course grade` beside plain `nbgrader autograde`,
# on the demo class; writes benchmarks/grading.md and benchmarks/grading.json.
benchmark-grading: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_grading.py
