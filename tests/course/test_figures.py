"""Every figure of modules 01-06 reads right: a legend lists its entries in the order the bars stand, and a
colour that does not stand for a role is not mistaken for one (the role colours mean ML or AI engineer
everywhere in the course).

The source notebooks' code cells run in-process (matplotlib's Agg backend, `plt.show` recording each figure),
with the learners' progress file pointed at an empty folder; the self-check widgets are left out.
"""

import math
from functools import cache

import matplotlib
import matplotlib.pyplot as plt
import pytest
from conftest import REPO_ROOT
from matplotlib.colors import to_rgb
from notebook_helpers import read

from mlai_course.learner.plots import ROLE_COLOURS

matplotlib.use("Agg")

MODULES = sorted(path.name for path in (REPO_ROOT / "solutions").glob("0[1-6]-*"))
ROLES = ("ML Engineer", "AI Engineer")
# Two chromatic colours whose hues (CIELAB hue angle) lie this close read as one colour in two shades: a
# learner took the 04 chart's sky blue (#56B4E9) for the ML engineer's blue (#0072B2), 15 degrees apart.
MIN_HUE_DEGREES = 30
CHROMATIC = 20  # CIELAB chroma below which a colour reads as a grey
WIDGET_CELLS = ("show_self_check(", "show_role_profile(")


def lab(colour) -> tuple[float, float, float]:
    """A colour in CIELAB (D65), for perceptual distances."""

    def linear(channel):
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(channel) for channel in to_rgb(colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def difference(first, second) -> float:
    """CIE76 colour difference: 0 for the same colour."""
    return sum((a - b) ** 2 for a, b in zip(lab(first), lab(second), strict=True)) ** 0.5


def looks_like(colour, role_colour) -> bool:
    """Both chromatic, with hues close enough to be read as one colour in two shades."""
    (_, a1, b1), (_, a2, b2) = lab(colour), lab(role_colour)
    if math.hypot(a1, b1) < CHROMATIC or math.hypot(a2, b2) < CHROMATIC:
        return False
    gap = abs(math.degrees(math.atan2(b1, a1)) - math.degrees(math.atan2(b2, a2))) % 360
    return min(gap, 360 - gap) < MIN_HUE_DEGREES


@cache
def figures_of(module: str) -> tuple:
    """Run a source notebook's code cells in-process; return the figures it shows, in order."""
    shown = []
    real_show = plt.show
    plt.show = lambda *args, **kwargs: shown.append(plt.gcf())
    try:
        namespace = {"__name__": "__main__"}
        for cell in read(REPO_ROOT / "solutions" / module / f"{module}.ipynb").cells:
            if cell.cell_type == "code" and not any(name in cell.source for name in WIDGET_CELLS):
                exec(compile(cell.source, f"<{module}>", "exec"), namespace)
    finally:
        plt.show = real_show
    return tuple(shown)


@pytest.fixture(autouse=True)
def empty_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("MLAI_COURSE_PROGRESS", str(tmp_path / "progress.json"))


def legend_entries(ax) -> list[tuple[str, tuple]]:
    legend = ax.get_legend()
    if legend is None:
        return []
    return [
        (text.get_text(), handle.get_facecolor())
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
        if hasattr(handle, "get_facecolor")
    ]


def bar_groups(ax):
    """(label, mean position across, mean position along) of each bar series: across is y for barh."""
    groups = []
    for container in ax.containers:
        bars = list(container)
        if not bars:
            continue
        horizontal = (
            bars[0].get_height() < bars[0].get_width()
            if len(bars) == 1
            else (
                len({round(bar.get_x(), 6) for bar in bars}) <= len({round(bar.get_y(), 6) for bar in bars})
            )
        )
        across = [
            bar.get_y() + bar.get_height() / 2 if horizontal else bar.get_x() + bar.get_width() / 2
            for bar in bars
        ]
        along = [bar.get_x() if horizontal else bar.get_y() for bar in bars]
        groups.append((container.get_label(), horizontal, sum(across) / len(bars), sum(along) / len(bars)))
    return groups


def legend_order_problem(ax) -> str | None:
    """Whether a bar chart's legend lists its series in the order a reader sees them."""
    labels = [label for label, _ in legend_entries(ax)]
    groups = [group for group in bar_groups(ax) if group[0] in labels]
    if len(groups) < 2:
        return None
    horizontal = groups[0][1]
    stacked = len({round(group[2], 6) for group in groups}) == 1
    if stacked:  # segments one after the other: first to last along the bar
        seen = [label for label, *_ in sorted(groups, key=lambda group: group[3])]
    elif horizontal:  # bars side by side, top to bottom on screen
        top_first = not ax.yaxis_inverted()
        seen = [label for label, *_ in sorted(groups, key=lambda group: group[2], reverse=top_first)]
    else:
        seen = [label for label, *_ in sorted(groups, key=lambda group: group[2])]
    listed = [label for label in labels if label in seen]
    if listed != seen:
        return f"the legend lists {listed}, but the bars stand in the order {seen}"
    return None


@pytest.mark.parametrize("module", MODULES)
def test_legends_list_bars_in_the_order_they_stand(module):
    problems = []
    for number, figure in enumerate(figures_of(module), start=1):
        for ax in figure.axes:
            problem = legend_order_problem(ax)
            if problem:
                problems.append(f"figure {number} ({ax.get_title()!r}): {problem}")
    assert not problems, f"{module}: " + "; ".join(problems)


@pytest.mark.parametrize("module", MODULES)
def test_only_the_roles_wear_the_role_colours(module):
    problems = []
    for number, figure in enumerate(figures_of(module), start=1):
        for ax in figure.axes:
            for label, colour in legend_entries(ax):
                where = f"figure {number} ({ax.get_title()!r}), legend entry {label!r}"
                if label in ROLE_COLOURS:
                    if difference(colour, ROLE_COLOURS[label]) > 1:
                        problems.append(f"{where} is a role but not in its colour {ROLE_COLOURS[label]}")
                    continue
                for role in ROLES:
                    if role not in label and looks_like(colour, ROLE_COLOURS[role]):
                        problems.append(f"{where} looks like the {role} colour {ROLE_COLOURS[role]}")
    assert not problems, f"{module}: " + "; ".join(problems)


def test_the_checks_find_a_reversed_legend_and_a_borrowed_colour():
    figure, ax = plt.subplots()
    ax.barh([0, 1], [3, 4], height=0.4, label="ML Engineer", color=ROLE_COLOURS["ML Engineer"])
    ax.barh([0.4, 1.4], [2, 5], height=0.4, label="AI Engineer", color=ROLE_COLOURS["AI Engineer"])
    ax.legend()
    assert "the legend lists ['ML Engineer', 'AI Engineer']" in legend_order_problem(ax)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1])
    assert legend_order_problem(ax) is None
    assert looks_like("#56B4E9", ROLE_COLOURS["ML Engineer"]), "the sky blue a learner took for the ML blue"
    assert not looks_like("#009E73", ROLE_COLOURS["ML Engineer"]) and not looks_like("#CC79A7", "#0072B2")
    assert not looks_like("#999999", ROLE_COLOURS["AI Engineer"]), "a grey is no role's colour"
    assert looks_like("#FFB000", ROLE_COLOURS["AI Engineer"])
    plt.close(figure)
