"""A malformed data file gets a clear error naming the file, the row and the column.

Each test writes a bad copy of a real table into a temporary data folder and loads it from there.
"""

import re
import shutil

import pytest
from conftest import REPO_ROOT

from mlai_course.learner.data import DataFileError, load_table, read_table
from mlai_course.learner.schemas import Column, TableSchema

COMPENSATION = (REPO_ROOT / "data" / "compensation.csv").read_text(encoding="utf-8")
# Line 4 of the file is data row 3: Mid,2,ML Engineer,165000,210000
ROW_3 = "Mid,2,ML Engineer,165000,210000"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A copy of data/ that the loader reads through MLAI_COURSE_DATA."""
    folder = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", folder)
    monkeypatch.setenv("MLAI_COURSE_DATA", str(folder))
    return folder


def write_compensation(data_dir, text: str | bytes):
    path = data_dir / "compensation.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def load_error(data_dir, text) -> str:
    path = write_compensation(data_dir, text)
    with pytest.raises(DataFileError) as caught:
        load_table("compensation")
    message = str(caught.value)
    assert message.startswith(str(path)), f"the message should start with the file: {message}"
    return message


def test_the_untouched_copy_loads(data_dir):
    assert len(load_table("compensation")) == 8


def test_bad_integer_names_file_row_and_column(data_dir):
    message = load_error(data_dir, COMPENSATION.replace(ROW_3, "Mid,2,ML Engineer,abc,210000"))
    path = data_dir / "compensation.csv"
    assert message == f"{path}, row 3 (line 4), column 'low_usd': expected an integer, got 'abc'"


@pytest.mark.parametrize(
    ("bad_row", "column", "complaint"),
    [
        ("Mid,2,ML Engineer,165K,210000", "low_usd", "expected an integer, got '165K'"),
        ("Mid,2,ML Engineer,165000.5,210000", "low_usd", "expected an integer, got '165000.5'"),
        ("Mid,2,ML Engineer,,210000", "low_usd", "expected a value, got an empty cell"),
        (
            "Mid,2,ML engineer,165000,210000",
            "role",
            "expected one of 'ML Engineer', 'AI Engineer', got 'ML engineer'",
        ),
        ("Middle,2,ML Engineer,165000,210000", "level", "got 'Middle'"),
        ("Mid,0,ML Engineer,165000,210000", "level_rank", "expected at least 1, got '0'"),
        ("Mid,9,ML Engineer,165000,210000", "level_rank", "expected at most 4, got '9'"),
        ("Mid,2,ML Engineer,210000,165000", "high_usd", "expected more than low_usd (210000), got 165000"),
        (
            "Junior,1,ML Engineer,165000,210000",
            "level', 'role",
            "the same values ('Junior', 'ML Engineer') as row 1",
        ),
    ],
)
def test_bad_value_names_file_row_and_column(data_dir, bad_row, column, complaint):
    message = load_error(data_dir, COMPENSATION.replace(ROW_3, bad_row))
    assert ", row 3 (line 4), column" in message
    assert f"'{column}'" in message
    assert complaint in message


def test_bad_boolean_names_file_row_and_column(data_dir):
    path = data_dir / "career_switch_timelines.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("1,3,True", "1,3,yes"), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_table("career_switch_timelines")
    assert str(caught.value) == (
        f"{path}, row 1 (line 2), column 'heading_in_seed': expected True or False, got 'yes'"
    )


def test_missing_column_names_the_column(data_dir):
    lines = [line.rsplit(",", 1)[0] for line in COMPENSATION.splitlines()]
    message = load_error(data_dir, "\n".join(lines) + "\n")
    assert ", line 1 (header), column 'high_usd': the column is missing" in message
    assert "expected columns: level, level_rank, role, low_usd, high_usd" in message


def test_unknown_and_duplicate_columns_are_named(data_dir):
    lines = COMPENSATION.splitlines()
    extra = [f"{line},x" for line in lines]
    extra[0] = lines[0] + ",currency"
    message = load_error(data_dir, "\n".join(extra) + "\n")
    assert "line 1 (header), column 'currency': not a column of compensation.csv" in message
    doubled = [f"{line},1" for line in lines]
    doubled[0] = lines[0] + ",level_rank"
    message = load_error(data_dir, "\n".join(doubled) + "\n")
    assert "line 1 (header), column 'level_rank': the column appears more than once" in message


@pytest.mark.parametrize("content", [b"", b"\n\n", b"  \r\n"], ids=["zero-bytes", "blank-lines", "spaces"])
def test_empty_file_is_a_clear_error(data_dir, content):
    message = load_error(data_dir, content)
    assert "the file is empty" in message


def test_header_without_rows_is_a_clear_error(data_dir):
    message = load_error(data_dir, COMPENSATION.splitlines()[0] + "\n")
    assert "has a header but no data rows" in message


def test_latin1_file_names_the_line_of_the_first_bad_byte(data_dir):
    text = COMPENSATION.replace("Senior,3,AI", "Sénior,3,AI")
    message = load_error(data_dir, text.encode("latin-1"))
    senior_ai_line = text.splitlines().index("Sénior,3,AI Engineer,195000,260000") + 1
    assert f", line {senior_ai_line}: not UTF-8 text (byte 0xe9" in message
    assert "save it as CSV UTF-8" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"], ids=["with-bom", "without-bom"])
def test_utf16_file_is_a_clear_error(data_dir, encoding):
    message = load_error(data_dir, COMPENSATION.encode(encoding))
    assert "not UTF-8 text" in message
    assert "UTF-16" in message


def test_utf8_file_with_byte_order_mark_loads(data_dir):
    # Spreadsheet programs often save "CSV UTF-8" with a byte-order mark; that is still UTF-8.
    write_compensation(data_dir, COMPENSATION.encode("utf-8-sig"))
    assert list(load_table("compensation").columns)[0] == "level"


def test_unquoted_comma_names_the_row(data_dir):
    path = data_dir / "skills.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('"Cloud platforms (AWS, GCP)"', "Cloud platforms (AWS, GCP)"), encoding="utf-8"
    )
    row = text.splitlines().index('Both,overlap,3,"Cloud platforms (AWS, GCP)",True')
    with pytest.raises(DataFileError) as caught:
        load_table("skills")
    assert str(caught.value).startswith(f"{path}, row {row} (line {row + 1}): expected 5 fields")
    assert "got 6" in str(caught.value)


def test_short_row_names_the_first_missing_column(data_dir):
    message = load_error(data_dir, COMPENSATION.replace(ROW_3, "Mid,2,ML Engineer,165000"))
    assert ", row 3 (line 4), column 'high_usd': the row ends before this column" in message


def test_duplicate_single_column_key_is_named(data_dir):
    path = data_dir / "premium_reasons.csv"
    path.write_text("rank,reason\n1,One\n2,Two\n1,Again\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_table("premium_reasons")
    assert str(caught.value) == f"{path}, row 3 (line 4), column 'rank': the same value 1 as row 1"


def test_unclosed_quote_is_a_clear_error(data_dir):
    message = load_error(data_dir, COMPENSATION.replace(ROW_3, 'Mid,2,"ML Engineer,165000,210000'))
    assert "not valid CSV" in message


def test_blank_lines_are_skipped_and_lines_still_counted(data_dir):
    text = COMPENSATION.replace(ROW_3, "\n" + ROW_3.replace("165000,", "x,"))
    message = load_error(data_dir, text)
    assert ", row 3 (line 5), column 'low_usd': expected an integer, got 'x'" in message


def test_windows_line_endings_load(data_dir):
    write_compensation(data_dir, COMPENSATION.replace("\n", "\r\n"))
    assert load_table("compensation")["high_usd"].tolist()[-1] == 320000


def test_float_and_nullable_columns(tmp_path):
    schema = TableSchema(
        "measurements",
        (Column("name", "string"), Column("score", "float"), Column("note", "string", nullable=True)),
    )
    path = tmp_path / "measurements.csv"
    path.write_text("name,score,note\na,0.5,\nb,2,ok\n", encoding="utf-8")
    table = read_table(path, schema)
    assert table["score"].tolist() == [0.5, 2.0]
    assert table["note"].isna().tolist() == [True, False]
    for bad in ("nan", "inf", "0,5"):
        path.write_text(f'name,score,note\na,"{bad}",x\n', encoding="utf-8")
        with pytest.raises(
            DataFileError, match=re.escape("row 1 (line 2), column 'score': expected a number")
        ):
            read_table(path, schema)


def test_loader_never_changes_a_bad_file(data_dir):
    bad = COMPENSATION.replace(ROW_3, "Mid,2,ML Engineer,abc,210000").encode("utf-8")
    load_error(data_dir, bad)
    assert (data_dir / "compensation.csv").read_bytes() == bad
