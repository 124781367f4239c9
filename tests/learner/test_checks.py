"""The visible-test checks name what they expected and what they got, and never pass a wrong answer."""

import numpy as np
import pandas as pd
import pytest

from mlai_course.learner.checks import (
    MORE_TESTS,
    expect_equal,
    expect_raises,
    expect_true,
    expect_type,
    visible_tests_passed,
)


def message_of(check, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as failure:
        check(*args, **kwargs)
    return str(failure.value)


def test_type_check_names_both_types_and_hints_at_the_fix():
    message = message_of(expect_type, pd.Series(["a"]), list, "focus_of(table, role)")
    assert message.startswith("focus_of(table, role) should give a list, but it gave a pandas Series.")
    assert ".tolist()" in message


def test_type_check_names_arrays_and_says_how_to_make_a_list():
    for array in (pd.Series(["a", "b"], dtype="string").unique(), np.array([1, 2])):
        message = message_of(expect_type, array, list, "roles_hiring_in(table, word)")
        assert message.startswith("roles_hiring_in(table, word) should give a list, but it gave an array (")
        assert "`list(...)`" in message


def test_type_check_says_when_return_is_missing():
    assert "Did you forget `return`?" in message_of(expect_type, None, list, "f()")


def test_type_check_accepts_numpy_numbers_but_not_bools_as_numbers():
    expect_type(np.int64(3), int, "n")
    expect_type(np.float64(2.5), float, "x")
    expect_type(3, float, "x")
    assert "True or False" in message_of(expect_type, True, int, "n")


def test_equal_lists_pass_and_a_list_in_another_order_names_the_first_difference():
    expect_equal(["a", "b"], ["a", "b"], "f()")
    message = message_of(expect_equal, ["b", "a"], ["a", "b"], "f()")
    assert "the expected items in another order" in message
    assert "position 0: 'a' expected, 'b' found" in message


def test_a_wrong_list_names_the_missing_and_the_extra_items():
    expected = [f"expected skill number {n}" for n in range(13)]
    got = expected[2:] + ["Strong Python skills", "Prompt engineering", "Team lunch", "Strong Python skills"]
    message = message_of(expect_equal, got, expected, "skills_to_learn(...)")
    assert "It has 15 items; 13 were expected." in message
    assert (
        "Missing (expected, not in the answer): 'expected skill number 0', 'expected skill number 1'"
        in message
    )
    assert (
        "Extra (in the answer, not expected): 'Strong Python skills', 'Prompt engineering', 'Team lunch', "
        "'Strong Python skills'" in message
    ), "an item the answer has twice is extra once"
    for item in expected + got:
        assert repr(item) in message, f"both lists are shown whole: {item!r} is cut off"
    assert " ..." not in message


def test_a_very_long_list_shows_its_first_items_and_a_count():
    message = message_of(expect_equal, list(range(100)), list(range(101)), "f()")
    assert "... and 60 more" in message and "Missing (expected, not in the answer): 100" in message


def test_lists_of_unhashable_items_are_compared_too():
    message = message_of(expect_equal, [[1], [2]], [[1], [3]], "f()")
    assert (
        "Missing (expected, not in the answer): [3]" in message
        and "Extra (in the answer, not expected): [2]" in message
    )


def test_a_series_is_compared_by_labels_and_values_not_by_truth_value():
    expected = pd.Series([10, 3], index=["ML Engineer", "AI Engineer"], name="years")
    expect_equal(expected.copy(), expected, "ages")
    expect_equal(expected.astype(float), expected, "ages")  # dtype does not matter
    message = message_of(expect_equal, expected.iloc[::-1], expected, "ages")
    assert "The index should be ['ML Engineer', 'AI Engineer']" in message
    assert "should be" in message_of(expect_equal, expected + 1, expected, "ages")
    assert "should be" in message_of(expect_equal, expected.rename("age"), expected, "ages")


def test_a_list_where_a_series_is_expected_fails_clearly():
    expected = pd.Series([1, 2])
    assert "ages should be" in message_of(expect_equal, [1, 2], expected, "ages")


def test_dataframes_name_wrong_columns():
    expected = pd.DataFrame({"role": ["ML Engineer"], "task": ["Debug"]})
    expect_equal(expected.copy(), expected, "tasks")
    message = message_of(expect_equal, expected[["task", "role"]], expected, "tasks")
    assert "The columns should be ['role', 'task']" in message


def test_numbers_within_tolerance_pass_and_outside_fail():
    expect_equal(0.3000001, 0.3, "share", tolerance=1e-3)
    assert "share should be" in message_of(expect_equal, 0.31, 0.3, "share", tolerance=1e-3)
    assert "share should be" in message_of(expect_equal, "0.3", 0.3, "share")


def test_dicts_name_missing_and_extra_keys_and_the_values_that_differ():
    expect_equal({"a": [1], "b": 2.0}, {"a": [1], "b": 2}, "d")
    assert "Missing keys: 'b'" in message_of(expect_equal, {"a": [1]}, {"a": [1], "b": 2}, "d")
    message = message_of(
        expect_equal,
        {"role": "AI Engineer", "items": [1, 4], "x": 0},
        {"role": "ML Engineer", "items": [1, 2]},
        "d",
    )
    assert "Extra keys: 'x'" in message
    assert "['role'] should be 'ML Engineer', but it is 'AI Engineer'." in message
    assert "['items'] should be [1, 2], but it is [1, 4]." in message
    assert "Missing (expected, not in the answer): 2" in message


def test_expect_raises_passes_only_on_the_right_exception():
    def strict(role):
        raise ValueError(role)

    expect_raises(ValueError, strict, "x", what="strict('x')")
    message = message_of(expect_raises, ValueError, lambda role: [role], "x", what="f('x')")
    assert message == "f('x') should raise ValueError, but it returned ['x']"
    message = message_of(expect_raises, ValueError, lambda role: {}[role], "x", what="f('x')")
    assert message == "f('x') should raise ValueError, but it raised KeyError: 'x'"


def test_an_unanswered_task_is_not_reported_as_a_wrong_exception():
    def stub(role):
        raise NotImplementedError("Replace this line with your code.")

    with pytest.raises(NotImplementedError, match="Replace this line"):
        expect_raises(ValueError, stub, "x", what="f('x')")


def test_expect_true_uses_the_given_message():
    expect_true(True, "never shown")
    assert message_of(expect_true, False, "levels in rank order") == "levels in rank order"


def test_pass_message_reminds_of_more_tests(capsys):
    visible_tests_passed("focus_of")
    printed = capsys.readouterr().out
    assert printed.startswith("✓ The visible tests for focus_of passed.")
    assert MORE_TESTS in printed


def test_expect_type_accepts_any_callable_as_a_function():
    from collections.abc import Callable

    expect_type(len, Callable, "f")
    expect_type(lambda posting: posting, Callable, "f")
    with pytest.raises(AssertionError, match=r"should give a function, but it gave None\. Did you forget"):
        expect_type(None, Callable, "cache_answers(classify)")


def test_in_a_kernel_the_learner_sees_their_frames_and_the_message_not_the_checks_module(tmp_path):
    """What JupyterLab shows under a failed test cell: IPython's traceback of a real kernel."""
    import nbformat
    from nbclient import NotebookClient

    cells = [
        "from mlai_course.learner.checks import expect_equal, expect_raises, expect_type\n"
        "def skills_to_learn():\n    return ['Strong Python skills', 'Prompt engineering']\n",
        "expect_equal(skills_to_learn(), ['Prompt engineering', 'Cost optimization'], 'skills_to_learn()')",
        "expect_type(skills_to_learn(), dict, 'skills_to_learn()')",
        "expect_raises(ValueError, skills_to_learn, what='skills_to_learn()')",
        "assert 1 == 2, 'a hidden test'",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    NotebookClient(
        notebook, timeout=60, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [[o for o in cell.outputs if o.output_type == "error"] for cell in notebook.cells]
    assert errors[0] == []
    for cell, (error,) in zip(notebook.cells[1:4], errors[1:4], strict=True):
        shown_text = "\n".join(error.traceback)
        assert error.ename == "CheckFailed", error.ename
        assert "checks.py" not in shown_text and "def fail" not in shown_text, shown_text
        assert cell.source.split("(")[0] in shown_text, "the learner's own line is shown"
        assert error.evalue in shown_text or error.evalue.splitlines()[0] in shown_text
    assert "Missing (expected, not in the answer): 'Cost optimization'" in errors[1][0].evalue
    assert "Extra (in the answer, not expected): 'Strong Python skills'" in errors[1][0].evalue
    assert errors[4][0].ename == "AssertionError", "plain asserts are left as they are"
