"""What a learner's kernel imports stays cheap: the self-check and the lab guardrails load jsonschema without
the IRI grammar (rfc3987_syntax) that costs about 1.5 s of CPU per kernel (see learner/json_schema.py)."""

import subprocess
import sys

PROBE = """
import sys
import {module}
loaded = sys.modules.get("rfc3987_syntax")
print("jsonschema" in sys.modules, loaded is not None)
"""


def test_the_self_check_and_the_guardrails_skip_the_iri_grammar():
    for module in ("mlai_course.learner.quiz", "mlai_course.labs.guardrails"):
        result = subprocess.run(
            [sys.executable, "-c", PROBE.format(module=module)], capture_output=True, text=True, check=True
        )
        assert result.stdout.split() == ["True", "False"], (module, result.stdout, result.stderr)


def test_a_bank_still_fails_its_schema_without_it():
    from mlai_course.learner.quiz_bank import schema_problems

    assert schema_problems({"module": 1, "questions": "none"}), "the schema is still checked"
