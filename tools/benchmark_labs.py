"""Record the key figures the two labs print (their story, in numbers); write benchmarks/labs.md.

Runs the instructor versions of labs 07 and 08 once each and keeps the printed lines that carry the figures
the labs' text relies on: lab 07's validation accuracy, the bug's effect, latency, the A/B test, the chosen
model's one test figure beside its validation figure, the drift drop and the retraining's cost; lab 08's
retrieval hit rate, what the passages in the prompt change (closed book, retrieval, poor retrieval), the
temperature check, the prompt costs, the prompt change's regression, and the two roles side by side like with
like (accuracy, latency, throughput, running and labelling costs). tests/course/test_lab_ml.py and
tests/course/test_lab_ai.py assert the same figures loosely; this file records the values this machine gave.
Run with `make benchmark-labs`.
"""

import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
from mlai_course.authoring.benchmarks import measured_by, printed_text, write_report  # noqa: E402

LABS = {
    "07-lab-a-day-as-an-ml-engineer": (
        "Validation accuracy:",
        "Broken pipeline accuracy:",
        "Your fixed pipeline's validation accuracy:",
        "One at a time:",
        "Batching is",
        "Best overall:",
        "A/B test:",
        "Chosen on validation:",
        "Next quarter accuracy:",
        "Retrain trigger fired:",
        "After retraining",
        "Retraining ",
    ),
    "08-lab-a-day-as-an-ai-engineer": (
        "Hit rate at 3 with",
        "Right answers on",
        "closed book:",
        "retrieval:",
        "poor retrieval:",
        "5 calls at temperature",
        "Terse:",
        "Prompt change:",
        "Drops:",
        "Trained model (lab 07):",
        "LLM application (lab 08):",
        "Latency, one posting at a time:",
        "Throughput:",
        "Running cost per 1,000 postings:",
        "Labelling:",
        "LLM application: junior",
    ),
}


def printed_lines(path: Path) -> tuple[list[str], float]:
    """(every line the notebook prints, the seconds it took to run)."""
    start = time.perf_counter()
    text = printed_text(path)
    return text.splitlines(), time.perf_counter() - start


def main() -> None:
    sections = []
    for name, prefixes in LABS.items():
        lines, seconds = printed_lines(REPO_ROOT / "solutions" / name / f"{name}.ipynb")
        rows = []
        for prefix in prefixes:
            found = [line.strip() for line in lines if line.strip().startswith(prefix)]
            if not found:
                sys.exit(f"solutions/{name}: no printed line starts with {prefix!r}")
            rows += [f"| {line.replace('|', '/')} |" for line in found]
        sections += [f"## {name} (ran in {seconds:.1f} s)", "", "| printed figure |", "| --- |", *rows, ""]
    lines = [
        "# The labs' key figures",
        "",
        f"{measured_by('tools/benchmark_labs.py')}: one run of each lab's instructor version. "
        "Latency figures depend on the machine; the stand-in model's latency and prices, and the server and "
        "labelling prices, are the course's own examples, not a real provider's.",
        "",
        *sections,
    ]
    write_report("labs.md", lines)


if __name__ == "__main__":
    main()
