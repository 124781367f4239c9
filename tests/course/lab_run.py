"""Run a lab's source notebook once, as the labs' tests read it: what it prints, and what its plots show.

A cell added after the setup cell makes `plt.show()` describe each figure (drawn as on screen) on one printed
line, "FIGURE {json}", before closing it: per axes, its title and labels, its limits, where its legend sits,
its bars and its lines (in screen pixels), and their colours. The tests then check the plots themselves: a
legend that covers no bar and no line, bars not cut by the top of the axes, shares drawn on a 0-to-1 scale,
the course's colours.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

FIGURE_HOOK = r"""
import json as _json

import matplotlib.pyplot as _plt
from matplotlib.colors import to_hex as _to_hex


def _box(extent):
    return [float(extent.x0), float(extent.y0), float(extent.x1), float(extent.y1)]


def _drawn_colour(line):  # a line drawn as markers only (error-bar caps) shows its markers' colour
    return line.get_markeredgecolor() if line.get_linestyle() in ("None", "") else line.get_color()


def _describe_and_close(*args, **kwargs):
    figure = _plt.gcf()
    figure.canvas.draw()
    for ax in figure.axes:
        legend = ax.get_legend()
        record = {
            "title": ax.get_title() or (figure._suptitle.get_text() if figure._suptitle else ""),
            "xlabel": ax.get_xlabel(),
            "ylabel": ax.get_ylabel(),
            "xlim": [float(v) for v in ax.get_xlim()],
            "ylim": [float(v) for v in ax.get_ylim()],
            "yscale": ax.get_yscale(),
            "images": len(ax.images),
            "legend": _box(legend.get_window_extent()) if legend else None,
            "bars": [
                {
                    "box": _box(patch.get_window_extent()),
                    "data": [float(v) for v in patch.get_bbox().extents],
                    "colour": _to_hex(patch.get_facecolor()),
                }
                for patch in ax.patches
                if patch.get_visible() and patch.get_width() != 0 and patch.get_height() != 0
            ],
            "lines": [
                {
                    "points": ax.transData.transform(line.get_xydata()).tolist(),
                    "colour": _to_hex(_drawn_colour(line)),
                    "label": line.get_label(),
                }
                for line in ax.lines
                if line.get_visible()
            ],
        }
        print("FIGURE " + _json.dumps(record))
    _plt.close(figure)


_plt.show = _describe_and_close
"""


@dataclass
class LabRun:
    printed: str
    figures: list[dict]  # one record per axes of every figure shown, in order


def run_lab(path: Path, timeout: int = 300) -> LabRun:
    """Run the notebook once in its own folder (a cell that fails raises nbclient's CellExecutionError, as
    `printed_text` does; graded test cells fail until answered, but a source notebook has its answers)."""
    notebook = nbformat.read(path, as_version=4)
    setup = next(
        index
        for index, cell in enumerate(notebook.cells)
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "setup"
    )
    notebook.cells.insert(setup + 1, nbformat.v4.new_code_cell(FIGURE_HOOK))
    NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}).execute()
    lines = [
        line
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
        for line in output.text.splitlines()
    ]
    figures = [json.loads(line.removeprefix("FIGURE ")) for line in lines if line.startswith("FIGURE ")]
    printed = "\n".join(line for line in lines if not line.startswith("FIGURE "))
    return LabRun(printed, figures)


def overlaps(box, other) -> bool:
    """Whether two screen boxes [x0, y0, x1, y1] share any area."""
    return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]


def plot_problems(figure: dict, course_colours: set[str]) -> list[str]:
    """What is wrong with one axes' plot (an empty list when nothing is)."""
    name = figure["title"] or figure["ylabel"]
    problems = []
    legend = figure["legend"]
    if legend:
        for bar in figure["bars"]:
            if overlaps(legend, bar["box"]):
                problems.append(f"{name}: the legend covers a bar")
                break
        for line in figure["lines"]:
            if any(legend[0] <= x <= legend[2] and legend[1] <= y <= legend[3] for x, y in line["points"]):
                problems.append(f"{name}: the legend covers a point of the line {line['label']!r}")
    top, right = max(figure["ylim"]), max(figure["xlim"])  # an inverted axis keeps its top at the larger end
    for bar in figure["bars"]:
        if bar["data"][3] >= top or bar["data"][2] > right:
            problems.append(f"{name}: a bar reaches the edge of the axes and is cut flush ({bar['data']})")
            break
    label = figure["ylabel"].lower()
    if ("share" in label or "accuracy" in label or "hit rate" in label) and top > 1.1:
        problems.append(f"{name}: a share is drawn up to {top:.2f}; keep its axis near 0 to 1")
    if not figure["images"]:
        colours = {bar["colour"] for bar in figure["bars"]} | {line["colour"] for line in figure["lines"]}
        strangers = colours - course_colours
        if strangers:
            problems.append(f"{name}: colours {sorted(strangers)} are not the course's")
    return problems
