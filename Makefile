# Course commands. Each target works on a fresh machine with only Python and pip:
# it creates .venv and installs the pins from environment.yml first.
#   make lab             JupyterLab on notebooks/, as learners see it (no instructor tools)
#   make test            the whole test suite (what CI runs)
#   make instructor-lab  JupyterLab with nbgrader's instructor tools (formgrader), for grading/
#   make release         regenerate notebooks/ from solutions/ with nbgrader
#   make strip           strip outputs and widget state from every notebook
#   make lint            ruff and the notebook-stripped check
#   make data            regenerate the synthetic practice data and check every data table
#   make student-edition DIR=...  write the student edition (no answers) into DIR, for publishing
#   make benchmark-...   notebooks, labs, grading, install, browser: measurements into benchmarks/
#
# `make install` installs what learners need (environment.yml's pip section, as Binder does);
# `make install-instructor` adds what an instructor's machines need to run a class (the instructor block);
# `make install-dev` adds the test and authoring tools too (environment.yml's commented dev block).

include tools/learner.mk

INSTRUCTOR_STAMP := $(VENV)/.installed-instructor
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install-instructor install-dev instructor-lab test release strip lint data student-edition \
	benchmark-notebooks benchmark-labs benchmark-grading benchmark-install benchmark-browser

install-instructor: $(INSTRUCTOR_STAMP)
install-dev: $(DEV_STAMP)

$(INSTRUCTOR_STAMP): $(LEARNER_STAMP)
	$(PYTHON) tools/requirements_from_env.py environment.yml --group instructor > $(VENV)/requirements-instructor.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt -r $(VENV)/requirements-instructor.txt
	touch $(INSTRUCTOR_STAMP)

$(DEV_STAMP): $(INSTRUCTOR_STAMP)
	$(PYTHON) tools/requirements_from_env.py environment.yml --group dev > $(VENV)/requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt -r $(VENV)/requirements-instructor.txt \
		-r $(VENV)/requirements-dev.txt
	touch $(DEV_STAMP)

# Formgrader reads grading/nbgrader_config.py from the folder it starts in; the file browser shows the repository.
instructor-lab: $(LEARNER_STAMP)
	cd grading && PATH="$(CURDIR)/$(BIN):$$PATH" $(CURDIR)/$(BIN)/jupyter lab --ServerApp.root_dir=.. $(ALLOW_ROOT)

test: $(DEV_STAMP) lint
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadfile --durations=15 \
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
	$(BIN)/python -m mlai_course.learner.data

# The student edition (notebooks, data, learner helpers, learner README): make student-edition DIR=../course
student-edition: $(LEARNER_STAMP)
	@test -n "$(DIR)" || (echo "usage: make student-edition DIR=<folder>" >&2; exit 2)
	$(BIN)/mlai-course student-edition "$(DIR)"

# Notebook run time and size; writes benchmarks/notebooks.md.
benchmark-notebooks: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_notebooks.py

# The key figures labs 07 and 08 print (accuracy, latency, cost, drift); writes benchmarks/labs.md.
benchmark-labs: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_labs.py

# Disk size of the learner install and of the install with the test tools; writes benchmarks/install.md.
benchmark-install: $(LEARNER_STAMP)
	$(BIN)/python tools/benchmark_install.py

# Grading time and CPU per submission, `mlai-course grade` beside plain `nbgrader autograde`, on the demo class
# and a generated class; the 300-student class here and on a local Dask cluster of 1 and 2 workers;
# writes benchmarks/grading.md and benchmarks/grading.json.
benchmark-grading: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_grading.py

# Real-browser test time, test by test; writes benchmarks/browser_test.md.
benchmark-browser: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_browser_test.py
