"""Measure how much disk each install takes; write benchmarks/install.md and benchmarks/install.json.

Three fresh virtual environments from environment.yml's pins (pip's cache makes later runs quick):

- learner: the pip section, what `make install` / `make lab` and Binder install;
- learner + dev: what `make install-dev` / `make test` install (test and authoring tools added);
- learner without scikit-learn: to see what the labs' one extra dependency costs.

    python tools/benchmark_install.py        (or: make benchmark-install)
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tools"))
from requirements_from_env import dev_requirements, pip_requirements  # noqa: E402

ENVIRONMENT = REPO_ROOT / "environment.yml"
MIB = 1024 * 1024


def folder_bytes(folder: Path) -> int:
    """Bytes on disk of every file under a folder (symlinks not followed)."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def install(venv: Path, requirements: list[str]) -> int:
    """Create a venv, install the requirements and the course package; return its size in bytes."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, *requirements], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(REPO_ROOT)], check=True)
    return folder_bytes(venv)


def main() -> None:
    learner = pip_requirements(ENVIRONMENT)
    dev = dev_requirements(ENVIRONMENT)
    without_sklearn = [pin for pin in learner if not pin.startswith("scikit-learn==")]
    installs = {
        "learner": learner,
        "learner + dev": learner + dev,
        "learner without scikit-learn": without_sklearn,
    }
    sizes = {}
    with tempfile.TemporaryDirectory(prefix="mlai-install-") as scratch:
        for number, (name, requirements) in enumerate(installs.items()):
            sizes[name] = install(Path(scratch) / f"venv{number}", requirements)
            print(f"{name}: {sizes[name] / MIB:.0f} MiB", flush=True)
    record = {
        "measured": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "bytes": sizes,
    }
    results = REPO_ROOT / "benchmarks" / "install.json"
    results.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    sklearn_cost = sizes["learner"] - sizes["learner without scikit-learn"]
    dev_cost = sizes["learner + dev"] - sizes["learner"]
    mib = {name: f"{size / MIB:.0f}" for name, size in sizes.items()}
    lines = [
        "# Install size",
        "",
        f"Measured {record['measured']} UTC by `tools/benchmark_install.py` (`make benchmark-install`) on "
        f"{record['machine']}: fresh virtual environments from `environment.yml`'s pins, sizes on disk.",
        "",
        "| install | what installs it | MiB |",
        "| --- | --- | ---: |",
        f"| learner | `make install`, `make lab`, Binder | {mib['learner']} |",
        f"| learner + dev | `make install-dev`, `make test` | {mib['learner + dev']} |",
        f"| learner without scikit-learn | (for comparison) | {mib['learner without scikit-learn']} |",
        "",
        f"Learners do not install the test and authoring tools: they would add {dev_cost / MIB:.0f} MiB. "
        f"scikit-learn (with SciPy, joblib and threadpoolctl, which it needs) adds {sklearn_cost / MIB:.0f} "
        "MiB to the learner install; it is the labs' only extra dependency.",
        "",
    ]
    (REPO_ROOT / "benchmarks" / "install.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
