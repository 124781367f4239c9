"""Checks for the visible tests of graded tasks: messages a learner can act on.

A test cell checks the answer's type first, then its values, and names what it expected and what it got:

    # Test: focus_of (2 points). Run this cell to check your answer.
    from mlai_course.learner.checks import expect_equal, expect_raises, expect_type, visible_tests_passed
    from mlai_course.learner.data import load_table

    table = load_table("role_focus")
    result = focus_of(table, "ML Engineer")
    expect_type(result, list, 'focus_of(table, "ML Engineer")')
    expect_equal(result, ["training pipelines", "model serving", "MLOps"], 'focus_of(table, "ML Engineer")')
    ...                    (the instructor's hidden tests go here: plain asserts, never this module)
    visible_tests_passed("focus_of")

A failed check raises AssertionError with the message, which ends the traceback the learner sees. A pass
prints one line that says so and reminds the learner that the autograder runs more tests.
"""

import math
import numbers
from collections.abc import Callable

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


def type_name(kind) -> str:
    """A learner-friendly name for a type, e.g. 'a pandas Series'."""
    if isinstance(kind, tuple):
        return " or ".join(type_name(each) for each in kind)
    if kind not in TYPE_NAMES and isinstance(kind, type) and issubclass(kind, ARRAY_TYPES):
        return f"an array ({kind.__name__})"
    return TYPE_NAMES.get(kind, f"a {kind.__name__}")


def shown(value) -> str:
    """A short, readable form of a value for a message."""
    if isinstance(value, pd.DataFrame | pd.Series):
        text = value.to_string(max_rows=12)
    else:
        text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + " ..."


def expect_type(value, expected_type, what: str) -> None:
    """Fail unless `value` is an instance of `expected_type` (a type or a tuple of types)."""
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
    raise AssertionError(message)


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


def _difference(got, expected) -> str:
    """Where two lists or Series first differ, in words; '' when there is nothing more useful to say."""
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
        if len(got) != len(expected):
            return f" It has {len(got)} items; {len(expected)} were expected."
        for position, (g, e) in enumerate(zip(got, expected, strict=True)):
            if not _same(g, e, 0):
                return f" The first difference is at position {position}: {e!r} expected, {g!r} found."
    if isinstance(expected, dict) and isinstance(got, dict) and set(got) != set(expected):
        return f" The keys should be {sorted(expected)!r}, but they are {sorted(got)!r}."
    return ""


def expect_equal(got, expected, what: str, tolerance: float = 0.0) -> None:
    """Fail unless `got` equals `expected`: lists item by item, pandas objects by labels and values.

    Numbers may differ by `tolerance`. The types must match first: call expect_type before.
    """
    if _same(got, expected, tolerance):
        return
    message = f"{what} should be\n{shown(expected)}\nbut it is\n{shown(got)}"
    difference = _difference(got, expected).strip()
    raise AssertionError(f"{message}\n{difference}" if difference else message)


def expect_true(condition: bool, message: str) -> None:
    """Fail with `message` unless `condition` holds: for checks that are not an equality."""
    if not condition:
        raise AssertionError(message)


def expect_raises(exception_type, function, *args, what: str, **kwargs) -> None:
    """Fail unless calling function(*args, **kwargs) raises `exception_type`."""
    try:
        result = function(*args, **kwargs)
    except exception_type:
        return
    except NotImplementedError:
        raise
    except Exception as error:
        raise AssertionError(
            f"{what} should raise {exception_type.__name__}, but it raised {type(error).__name__}: {error}"
        ) from None
    raise AssertionError(f"{what} should raise {exception_type.__name__}, but it returned {shown(result)}")


def visible_tests_passed(task: str) -> None:
    """Print that the visible tests of `task` passed, and what the autograder does beyond them."""
    print(f"{PASSED} The visible tests for {task} passed. {MORE_TESTS}")
