"""Every table in data/ has a schema, loads with typed columns from anywhere, and is documented."""

import re
import shutil

import pytest
from conftest import REPO_ROOT

from mlai_course.learner.data import DataFileError, data_path, load_all_tables, load_table, table_names
from mlai_course.learner.schemas import SCHEMAS

DATA_DIR = REPO_ROOT / "data"
PANDAS_DTYPE_NAMES = {"string": "str", "integer": "int64", "float": "float64", "boolean": "bool"}
MAX_FILE_BYTES = 500_000


def test_every_csv_file_has_a_schema_and_every_schema_a_file():
    assert sorted(path.stem for path in DATA_DIR.glob("*.csv")) == table_names()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_table_loads_with_the_schema_columns_and_types(name):
    table = load_table(name)
    schema = SCHEMAS[name]
    assert list(table.columns) == schema.column_names
    assert len(table) > 0
    for column in schema.columns:
        assert str(table[column.name].dtype) == PANDAS_DTYPE_NAMES[column.dtype], column.name
        assert table[column.name].notna().all(), column.name
        if column.allowed is not None:
            assert set(table[column.name]) <= set(column.allowed), column.name


def test_notebook_01_tables_keep_their_columns():
    # solutions/01-core-distinction and its graded tests rely on these names.
    assert list(load_table("role_evolution").columns) == [
        "role",
        "start_year",
        "emerged_from",
        "step",
        "driver",
    ]
    assert list(load_table("role_focus").columns) == ["role", "rank", "focus"]


def test_files_are_small():
    sizes = {path.name: path.stat().st_size for path in DATA_DIR.glob("*.csv")}
    assert max(sizes.values()) < MAX_FILE_BYTES, sizes


def readme_sections() -> dict[str, str]:
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_readme_documents_each_table(name):
    section = readme_sections().get(f"{name}.csv")
    assert section, f"data/README.md has no '## {name}.csv' section"
    assert re.search(r"^- \*\*Provenance:\*\* \S", section, re.M), "provenance line"
    assert re.search(r"^- \*\*Licence:\*\* \S", section, re.M), "licence line"
    rows = re.search(r"^- \*\*Rows:\*\* (\d+)", section, re.M)
    assert rows and int(rows.group(1)) == len(load_table(name)), "row count"
    assert "| column | type | unit | meaning |" in section
    documented = re.findall(r"^\| (\w+) \| (\w+) \| ([^|]+) \| ([^|]+) \|$", section, re.M)[1:]
    schema = SCHEMAS[name]
    assert [(column, dtype) for column, dtype, _, _ in documented] == [
        (column.name, column.dtype) for column in schema.columns
    ], "column dictionary: names and types in the schema's order"
    assert all(meaning.strip() for _, _, _, meaning in documented)
    if "usd" in " ".join(schema.column_names):
        units = {column: unit.strip() for column, _, unit, _ in documented}
        assert all(units[column] == "US dollars" for column in schema.column_names if column.endswith("_usd"))


def test_readme_labels_the_synthetic_file_and_keeps_quiz_banks_last():
    sections = readme_sections()
    assert "**SYNTHETIC**" in sections["job_postings_synthetic.csv"]
    assert list(sections)[-1] == "quiz_banks/"


@pytest.mark.parametrize(
    "working_dir",
    ["notebooks/01-core-distinction", "grading/autograded/alice/01-core-distinction", "."],
    ids=["learner", "nbgrader-autograded", "binder-home"],
)
def test_tables_load_from_the_course_copy_around_the_working_directory(course_copy, monkeypatch, working_dir):
    # Change a value in the copy, so the test sees which data/ folder the loader read.
    compensation = course_copy / "data" / "compensation.csv"
    compensation.write_text(compensation.read_text().replace("130000,165000", "130000,166000"))
    folder = course_copy / working_dir
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(folder)
    assert data_path("compensation.csv") == compensation
    table = load_table("compensation")
    assert 166000 in set(table["high_usd"])


def test_data_dir_parameter_and_environment_variable(tmp_path, monkeypatch):
    copy = tmp_path / "elsewhere"
    shutil.copytree(DATA_DIR, copy)
    (copy / "premium_reasons.csv").write_text("rank,reason\n1,Only this one\n", encoding="utf-8")
    assert list(load_table("premium_reasons", data_dir=copy)["reason"]) == ["Only this one"]
    monkeypatch.setenv("MLAI_COURSE_DATA", str(copy))
    assert list(load_table("premium_reasons")["reason"]) == ["Only this one"]
    assert set(load_all_tables()) == set(SCHEMAS)


def test_unknown_table_and_missing_file_are_clear_errors(tmp_path):
    with pytest.raises(DataFileError, match=r"no table named 'salaries'; the tables are: .*compensation"):
        load_table("salaries")
    (tmp_path / "README.md").write_text("empty data folder\n")
    with pytest.raises(DataFileError, match=re.escape(f"{tmp_path / 'compensation.csv'}: no such data file")):
        load_table("compensation", data_dir=tmp_path)


def test_check_command_reports_every_table(capsys):
    from mlai_course.learner.data import main

    assert main() == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(SCHEMAS)
    assert "compensation.csv: 8 rows, OK" in printed
