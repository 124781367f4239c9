"""jsonschema, imported without the IRI grammar that the course never uses.

jsonschema imports the optional package rfc3987_syntax whenever it is installed (jupyter-events, a part of
JupyterLab, installs it), only to check the "iri" string format; importing it builds a parser and costs about
1.5 s of CPU. The course's schemas use no "iri" format, yet every kernel that showed a self-check paid it: a
third of the CPU of grading a submission. So it is marked as absent before jsonschema is imported (jsonschema
then skips that one format check), unless something in this process already imported it.

    from mlai_course.learner.json_schema import jsonschema
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)

import jsonschema  # noqa: E402

__all__ = ["jsonschema"]
