# Course commands. Each target works on a fresh machine with only Python and pip:
# it creates .venv and installs the pins from environment.yml first.
#   make lab      JupyterLab on notebooks/
#   make test     the whole test suite (what CI runs)
#   make release  regenerate notebooks/ from solutions/ with nbgrader
#   make strip    strip outputs and widget state from every notebook
#   make lint     ruff and the notebook-stripped check

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lab test release strip lint clean

install: $(STAMP)

$(STAMP): environment.yml pyproject.toml tools/requirements_from_env.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PYTHON) tools/requirements_from_env.py environment.yml > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

lab: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --notebook-dir=notebooks

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

clean:
	rm -rf $(VENV)

# Grading time per submission, `mlai-course grade` beside plain `nbgrader autograde`,
# on the demo class; writes benchmarks/grading.md and benchmarks/grading.json.
.PHONY: benchmark-grading
benchmark-grading: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_grading.py
