"""Checks for the visible tests of graded tasks: messages a learner can act on.

A test cell checks the answer's type first, then its values, and names what it expected and what it got:

    # Test: role_age (3 points). Run this cell to check your answer.
    from mlai_course.learner.checks import expect_equal, expect_raises, expect_type, visible_tests_passed
    from mlai_course.learner.data import load_table

    table = load_table("role_evolution")
    ages = role_age(table, 2025)
    expect_type(ages, pd.Series, "role_age(table, 2025)")
    expect_equal(int(ages["ML Engineer"]), 10, 'role_age(table, 2025)["ML Engineer"]')
    expect_raises(ValueError, role_age, table, 2010, what="role_age(table, 2010)")
    ...                    (the instructor's hidden tests go here: plain asserts, never this module)
    visible_tests_passed("role_age")

A failed check raises `CheckFailed` (an AssertionError) with the message. In JupyterLab its traceback shows
the learner's own frames (the test cell, their function) and the message, never this module's. A list that
differs names the missing and the extra items. A pass prints one line that says so and reminds the learner
that the autograder runs more tests.
"""

import math
import numbers
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

PASSED = "✓"
MORE_TESTS = (
    "The autograder runs more tests when you hand in (other tables, other row orders, edge cases), "
    "so make sure your answer works for any input, not only this one."
)
TYPE_NAMES = {
    list: "a list",
    dict: "a dict",
    tuple: "a tuple",
    str: "a string",
    int: "a whole number (int)",
    float: "a number (float)",
    bool: "True or False (bool)",
    pd.Series: "a pandas Series",
    pd.DataFrame: "a pandas DataFrame",
    type(None): "None",
    Callable: "a function",
}
HINTS = {
    (list, pd.Series): "A Series becomes a list with `.tolist()`.",
    (pd.Series, list): "A list becomes a Series with `pd.Series(...)`.",
    (list, pd.DataFrame): "Pick one column with `table['name']`, then `.tolist()`.",
    (pd.Series, pd.DataFrame): "Pick one column with `table['name']`; that is a Series.",
}
# What `.unique()` and `.values` give: NumPy arrays and pandas' own arrays (e.g. StringArray).
ARRAY_TYPES = (np.ndarray, pd.api.extensions.ExtensionArray)
ARRAY_HINT = "An array (what `.unique()` or `.values` give) becomes a list with `list(...)`."
MAX_SHOWN = 300
MAX_ITEMS_SHOWN = 40  # a longer list is shown with its first items and a count of the rest
THIS_FILE = Path(__file__).resolve()


class CheckFailed(AssertionError):
    """A visible test failed. In IPython, its traceback leaves out this module's frames: the learner sees
    where their test cell (and their own code) stood, and the message."""

    def _render_traceback_(self) -> list[str]:
        """The structured traceback IPython shows (IPython calls this method when it exists)."""
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:  # pragma: no cover - IPython comes with every kernel
            shell = None
        if shell is None:
            return [f"{type(self).__name__}: {self}"]
        return shell.InteractiveTB.structured_traceback(
            type(self), self, without_our_frames(self.__traceback__)
        )


def without_our_frames(traceback):
    """The traceback with this module's frames left out (a new chain; the original is unchanged)."""
    frames = []
    while traceback is not None:
        if Path(traceback.tb_frame.f_code.co_filename).resolve() != THIS_FILE:
            frames.append(traceback)
        traceback = traceback.tb_next
    chain = None
    for entry in reversed(frames):
        chain = type(entry)(chain, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return chain


def type_name(kind) -> str:
    """A learner-friendly name for a type, e.g. 'a pandas Series'."""
    if isinstance(kind, tuple):
        return " or ".join(type_name(each) for each in kind)
    if kind not in TYPE_NAMES and isinstance(kind, type) and issubclass(kind, ARRAY_TYPES):
        return f"an array ({kind.__name__})"
    return TYPE_NAMES.get(kind, f"a {kind.__name__}")


def shown(value) -> str:
    """A readable form of a value for a message: a list or tuple whole, one item a line when it is long
    (its first MAX_ITEMS_SHOWN items and a count of the rest); other values cut after MAX_SHOWN characters."""
    if isinstance(value, pd.DataFrame | pd.Series):
        text = value.to_string(max_rows=12)
    else:
        text = repr(value)
    if isinstance(value, list | tuple) and len(text) > MAX_SHOWN:
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        lines = [f"    {item!r}," for item in value[:MAX_ITEMS_SHOWN]]
        if len(value) > MAX_ITEMS_SHOWN:
            lines.append(f"    ... and {len(value) - MAX_ITEMS_SHOWN} more")
        return "\n".join([opening, *lines, closing])
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + " ..."


def fail(message: str):
    """Raise the learner's failure message."""
    __tracebackhide__ = True
    raise CheckFailed(message)


def expect_type(value, expected_type, what: str) -> None:
    """Fail unless `value` is an instance of `expected_type` (a type or a tuple of types)."""
    __tracebackhide__ = True
    # NumPy's numbers count: a pandas sum gives numpy.int64, which is a whole number to a learner.
    accepted = {int: numbers.Integral, float: numbers.Real}.get(expected_type, expected_type)
    if isinstance(value, accepted) and not (expected_type in (int, float) and isinstance(value, bool)):
        return
    got = type(value)
    message = f"{what} should give {type_name(expected_type)}, but it gave {type_name(got)}."
    if value is None:
        message += " Did you forget `return`?"
    hint = HINTS.get((expected_type, got))
    if expected_type is list and isinstance(value, ARRAY_TYPES):
        hint = ARRAY_HINT
    if hint:
        message += f" {hint}"
    fail(message)


def _same(got, expected, tolerance: float) -> bool:
    if isinstance(expected, pd.DataFrame | pd.Series):
        try:
            if isinstance(expected, pd.Series):
                pd.testing.assert_series_equal(got, expected, check_dtype=False, atol=tolerance)
            else:
                pd.testing.assert_frame_equal(got, expected, check_dtype=False, atol=tolerance)
        except AssertionError:
            return False
        return True
    if isinstance(expected, numbers.Real) and not isinstance(expected, bool):
        if not isinstance(got, numbers.Real) or isinstance(got, bool):
            return False
        return math.isclose(float(got), float(expected), rel_tol=0, abs_tol=tolerance)
    if isinstance(expected, list | tuple):
        return (
            isinstance(got, list | tuple)
            and len(got) == len(expected)
            and all(_same(g, e, tolerance) for g, e in zip(got, expected, strict=True))
        )
    if isinstance(expected, dict):
        return (
            isinstance(got, dict)
            and set(got) == set(expected)
            and all(_same(got[key], expected[key], tolerance) for key in expected)
        )
    return bool(got == expected)


def _items(values) -> str:
    return ", ".join(repr(value) for value in values)


def _list_difference(got, expected) -> str:
    """What is missing, what is extra, or (same items) where the order first differs."""
    missing, extra = _not_in(expected, got), _not_in(got, expected)
    if missing or extra:
        lines = (
            [f"It has {len(got)} items; {len(expected)} were expected."] if len(got) != len(expected) else []
        )
        if missing:
            lines.append(f"Missing (expected, not in the answer): {_items(_value(k) for k in missing)}")
        if extra:
            lines.append(f"Extra (in the answer, not expected): {_items(_value(k) for k in extra)}")
        return "\n".join(lines)
    for position, (g, e) in enumerate(zip(got, expected, strict=True)):
        if not _same(g, e, 0):
            return (
                "It has the expected items in another order. The first difference is at position "
                f"{position}: {e!r} expected, {g!r} found."
            )
    return ""


def _not_in(values, others) -> list:
    """The keys of `values` that `others` lacks, in the order of `values` (an item twice in `values` and once
    in `others` is left over once)."""
    left = Counter(map(_key, others))
    result = []
    for key in map(_key, values):
        if left[key]:
            left[key] -= 1
        else:
            result.append(key)
    return result


def _key(value):
    """A hashable stand-in for a list item (items such as lists or dicts are compared by their repr)."""
    return ("value", value) if _hashable(value) else ("unhashable", repr(value))


def _hashable(value) -> bool:
    try:
        hash(value)
        return True
    except TypeError:  # a list, a dict, a tuple holding one
        return False


def _value(key):
    kind, value = key
    return _Shown(value) if kind == "unhashable" else value


class _Shown(str):
    def __repr__(self) -> str:
        return str(self)


def _difference(got, expected) -> str:
    """How two values differ, in words; '' when there is nothing more useful to say."""
    if isinstance(expected, pd.Series) and isinstance(got, pd.Series):
        if list(got.index) != list(expected.index):
            return f" The index should be {list(expected.index)!r}, but it is {list(got.index)!r}."
        got, expected = got.tolist(), expected.tolist()
    if isinstance(expected, pd.DataFrame) and isinstance(got, pd.DataFrame):
        if list(got.columns) != list(expected.columns):
            return f" The columns should be {list(expected.columns)!r}, but they are {list(got.columns)!r}."
        if list(got.index) != list(expected.index):
            return f" The index should be {list(expected.index)!r}, but it is {list(got.index)!r}."
        return ""
    if isinstance(expected, list | tuple) and isinstance(got, list | tuple):
        return _list_difference(list(got), list(expected))
    if isinstance(expected, dict) and isinstance(got, dict):
        lines = []
        missing = [key for key in expected if key not in got]
        extra = [key for key in got if key not in expected]
        if missing:
            lines.append(f"Missing keys: {_items(missing)}")
        if extra:
            lines.append(f"Extra keys: {_items(extra)}")
        for key in expected:
            if key in got and not _same(got[key], expected[key], 0):
                detail = _difference(got[key], expected[key]).strip()
                lines.append(
                    f"[{key!r}] should be {shown(expected[key])}, but it is {shown(got[key])}."
                    + (f"\n{detail}" if detail else "")
                )
        return "\n".join(lines)
    return ""


def expect_equal(got, expected, what: str, tolerance: float = 0.0) -> None:
    """Fail unless `got` equals `expected`: lists item by item, pandas objects by labels and values.

    Numbers may differ by `tolerance`. The types must match first: call expect_type before.
    """
    if _same(got, expected, tolerance):
        return
    __tracebackhide__ = True
    message = f"{what} should be\n{shown(expected)}\nbut it is\n{shown(got)}"
    difference = _difference(got, expected).strip()
    fail(f"{message}\n{difference}" if difference else message)


def expect_true(condition: bool, message: str) -> None:
    """Fail with `message` unless `condition` holds: for checks that are not an equality."""
    __tracebackhide__ = True
    if not condition:
        fail(message)


def expect_raises(exception_type, function, *args, what: str, **kwargs) -> None:
    """Fail unless calling function(*args, **kwargs) raises `exception_type`."""
    __tracebackhide__ = True
    try:
        result = function(*args, **kwargs)
    except exception_type:
        return
    except NotImplementedError:
        raise
    except Exception as error:
        message = (
            f"{what} should raise {exception_type.__name__}, but it raised {type(error).__name__}: {error}"
        )
    else:
        message = f"{what} should raise {exception_type.__name__}, but it returned {shown(result)}"
    fail(message)


def visible_tests_passed(task: str) -> None:
    """Print that the visible tests of `task` passed, and what the autograder does beyond them."""
    print(f"{PASSED} The visible tests for {task} passed. {MORE_TESTS}")
