# Course commands. Each target works on a fresh machine with only Python and pip:
# it creates .venv and installs the pins from environment.yml first.
#   make lab             JupyterLab on notebooks/, as learners see it (no instructor tools)
#   make test            the whole test suite (what CI runs)
#   make instructor-lab  JupyterLab with nbgrader's instructor tools (formgrader), for grading/
#   make class-hub ROSTER=roster.csv  (as root) a class on this machine's JupyterHub: users from the roster,
#                        nbgrader's exchange, students' and instructor's servers (grading/README.md)
#   make release         regenerate notebooks/ from solutions/ with nbgrader
#   make strip           strip outputs and widget state from every notebook
#   make lint            ruff and the notebook-stripped check
#   make data            regenerate the synthetic practice data and check every data table
#   make student-edition DIR=...  write the student edition (no answers) into DIR, for publishing
#   make benchmark-...   notebooks, labs, grading, install, browser, class-hub, tests: measurements into benchmarks/
#
# `make install` installs what learners need (environment.yml's pip section, as Binder does);
# `make install-instructor` adds what an instructor's machines need to run a class (the instructor block);
# `make install-dev` adds the test and authoring tools too (environment.yml's commented dev block).

include tools/learner.mk

INSTRUCTOR_STAMP := $(VENV)/.installed-instructor
DEV_STAMP := $(VENV)/.installed-dev
# JupyterHub's proxy, from npm, pinned by grading/hub/package-lock.json
HUB_PROXY_STAMP := grading/hub/node_modules/.installed
CLASS_ROOT ?= /srv/mlai-class
HUB_IP ?= 127.0.0.1
HUB_PORT ?= 8000

.PHONY: install-instructor install-dev instructor-lab class-hub hub-proxy test release strip lint data \
	student-edition benchmark-notebooks benchmark-labs benchmark-grading benchmark-install benchmark-browser \
	benchmark-class-hub benchmark-tests

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

$(HUB_PROXY_STAMP): grading/hub/package.json grading/hub/package-lock.json
	cd grading/hub && npm ci --no-audit --no-fund
	touch $(HUB_PROXY_STAMP)

hub-proxy: $(HUB_PROXY_STAMP)

# One class on this machine's JupyterHub, as root: sudo make class-hub ROSTER=grading/hub/roster.csv
# (CLASS_ROOT, HUB_IP and HUB_PORT can be set too). Ctrl-C stops the hub; running it again keeps the class.
class-hub: $(INSTRUCTOR_STAMP) $(HUB_PROXY_STAMP)
	@test -n "$(ROSTER)" || (echo "usage: sudo make class-hub ROSTER=<roster.csv> [CLASS_ROOT=$(CLASS_ROOT)] \
	[HUB_IP=$(HUB_IP)] [HUB_PORT=$(HUB_PORT)]" >&2; exit 2)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/mlai-course class-hub "$(ROSTER)" --class-root "$(CLASS_ROOT)" \
		--ip "$(HUB_IP)" --port "$(HUB_PORT)"

# Formgrader reads grading/nbgrader_config.py from the folder it starts in; the file browser shows the repository.
instructor-lab: $(LEARNER_STAMP)
	cd grading && PATH="$(CURDIR)/$(BIN):$$PATH" $(CURDIR)/$(BIN)/jupyter lab --ServerApp.root_dir=.. $(ALLOW_ROOT)

test: $(DEV_STAMP) $(HUB_PROXY_STAMP) lint
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder --durations=15 \
		--nbval-lax --nbval-current-env tests solutions

release: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m mlai_course.cli release

strip: $(DEV_STAMP)
	$(BIN)/python -m mlai_course.cli strip

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

# The whole test suite's time, as `make test` runs it, group by group; writes benchmarks/test_suite.md.
benchmark-tests: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_tests.py

# Real-browser test time, test by test; writes benchmarks/browser_test.md.
benchmark-browser: $(DEV_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_browser_test.py

# The class hub test's time, step by step, and its CPU seconds (as root); writes benchmarks/class_hub.md.
benchmark-class-hub: $(DEV_STAMP) $(HUB_PROXY_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/benchmark_class_hub.py
