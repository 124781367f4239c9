"""Record the key figures the two labs print (their story, in numbers); write benchmarks/labs.md.

Runs the instructor versions of labs 07 and 08 once each and keeps the printed lines that carry the figures
the labs' text relies on: lab 07's accuracy, the bug's effect, latency, the A/B test and the drift drop; lab
08's retrieval hit rate, the prompt change's regression and the two roles side by side (accuracy, latency per
posting, cost per 1,000 postings). tests/test_lab_ml.py and tests/test_lab_ai.py assert the same figures
loosely; this file records the values this machine gave. Run with `make benchmark-labs`.
"""

import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
from mlai_course.authoring.benchmarks import measured_by, printed_text, write_report  # noqa: E402

LABS = {
    "07-lab-a-day-as-an-ml-engineer": (
        "Test accuracy:",
        "Broken pipeline accuracy:",
        "Your fixed pipeline's test accuracy:",
        "One at a time:",
        "Batching is",
        "Best overall:",
        "A/B test:",
        "Next quarter accuracy:",
        "Retrain trigger fired:",
        "After retraining",
    ),
    "08-lab-a-day-as-an-ai-engineer": (
        "Hit rate at 3 with",
        "Prompt change:",
        "Trained model (lab 07):",
        "LLM application (lab 08):",
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
        "Latency figures depend on the machine; the stand-in model's latency and prices are the course's own "
        "examples, not a real provider's.",
        "",
        *sections,
    ]
    write_report("labs.md", lines)


if __name__ == "__main__":
    main()
