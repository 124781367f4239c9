"""Helpers for the ML Engineer vs AI Engineer course, in four rooms by who uses them:

- learner/    what a learner's kernel imports: data loaders and schemas, the checks of visible tests, the
              self-check, its banks and saved progress, the role profile and plan, plot defaults, paths;
- labs/       what labs 07 and 08 import: their postings, model, stand-in chat model and app;
- grading/    the instructor's grading pipeline (`mlai-course grade`), one module per stage;
- authoring/  the authors' release, the student edition and what the benchmarks share.

learner/ and labs/ never import grading/ or authoring/: the student edition ships them (and this file) alone.
cli.py is the `mlai-course` command.
"""

__version__ = "0.1.0"
