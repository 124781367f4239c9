"""Load the course's data tables from data/, wherever the notebook runs, and check them first.

`load_table("compensation")` finds data/compensation.csv (see mlai_course.learner.paths), checks it against
its schema in mlai_course.learner.schemas and returns a DataFrame with typed columns. A file that breaks its
schema raises DataFileError with a message naming the file, the row and the column, for example:

    data/compensation.csv, row 3 (line 4), column 'low_usd': expected an integer, got 'abc'

Rows count data rows from 1; lines count the file's lines from 1, the header being line 1.
Run `python -m mlai_course.data` to check every table in the data folder.
"""

import csv
import io
import re
import sys
from math import isfinite
from pathlib import Path

import pandas as pd

from mlai_course.learner.paths import find_data_dir
from mlai_course.learner.schemas import SCHEMAS, Column, TableSchema

PANDAS_DTYPES = {"string": "str", "integer": "int64", "float": "float64", "boolean": "bool"}
NULLABLE_PANDAS_DTYPES = {"string": "str", "integer": "Int64", "float": "float64", "boolean": "boolean"}
INTEGER = re.compile(r"[+-]?\d+")
BOOLEANS = {"true": True, "false": False}


class DataFileError(ValueError):
    """A course data file is missing or malformed. The message names the file."""


def data_path(filename: str) -> Path:
    """Return the path of a file in the course's data folder."""
    return find_data_dir() / filename


def table_names() -> list[str]:
    """The names of the course's tables, as `load_table` accepts them."""
    return sorted(SCHEMAS)


def load_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load data/<name>.csv as a DataFrame, after checking it against its schema.

    `data_dir` overrides the data folder found by mlai_course.paths.find_data_dir().
    """
    folder = Path(data_dir) if data_dir is not None else find_data_dir()
    path = folder / f"{name}.csv"
    if name not in SCHEMAS:
        raise DataFileError(f"{path}: no table named {name!r}; the tables are: {', '.join(table_names())}")
    if not path.is_file():
        raise DataFileError(f"{path}: no such data file")
    return read_table(path, SCHEMAS[name])


def load_all_tables(data_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Load and check every table; the first malformed file raises DataFileError."""
    return {name: load_table(name, data_dir) for name in table_names()}


def read_table(path: str | Path, schema: TableSchema) -> pd.DataFrame:
    """Read the CSV file at `path`, check it against `schema` and return it with typed columns."""
    path = Path(path)
    text = _read_utf8_text(path)
    rows = _parse_rows(path, text, schema)
    values = {column.name: [row[column.name] for row in rows] for column in schema.columns}
    return pd.DataFrame(
        {
            column.name: pd.Series(
                values[column.name],
                dtype=(NULLABLE_PANDAS_DTYPES if column.nullable else PANDAS_DTYPES)[column.dtype],
            )
            for column in schema.columns
        }
    )


def _read_utf8_text(path: Path) -> str:
    raw = path.read_bytes()
    if not raw.strip():
        raise DataFileError(f"{path}: the file is empty; it needs a header line naming the columns")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise DataFileError(
            f"{path}, line {line}: the file holds NUL bytes, so it is not UTF-8 text "
            "(it may be UTF-16, as some spreadsheet programs save); save it as CSV UTF-8"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DataFileError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be decoded; "
            "the file may be Latin-1 or Windows-1252); save it as CSV UTF-8"
        ) from None


def _parse_rows(path: Path, text: str, schema: TableSchema) -> list[dict]:
    """Return {column: value} for each data row, converted to the schema's types and checked."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []  # (line where the record starts, fields)
    last_line = 0
    try:
        for fields in reader:
            if fields:
                records.append((last_line + 1, fields))
            last_line = reader.line_num
    except csv.Error as error:
        raise DataFileError(f"{path}, line {reader.line_num}: not valid CSV ({error})") from None

    if not records:
        raise DataFileError(f"{path}: the file is empty; it needs a header line naming the columns")
    header_line, header = records[0]
    _check_header(path, header_line, header, schema)
    if len(records) == 1:
        raise DataFileError(f"{path}: the file has a header but no data rows")

    columns = {column.name: column for column in schema.columns}
    rows = []
    seen_keys: dict[tuple, int] = {}
    for row_number, (line, fields) in enumerate(records[1:], start=1):
        where = f"{path}, row {row_number} (line {line})"
        if len(fields) < len(header):
            raise DataFileError(
                f"{where}, column {header[len(fields)]!r}: the row ends before this column "
                f"(expected {len(header)} fields, got {len(fields)})"
            )
        if len(fields) > len(header):
            raise DataFileError(
                f"{where}: expected {len(header)} fields ({', '.join(header)}), got {len(fields)}; "
                "a value holding a comma must be in double quotes"
            )
        row = {
            name: _convert(f"{where}, column {name!r}", columns[name], raw)
            for name, raw in zip(header, fields, strict=True)
        }
        _check_row_order(where, row, schema)
        _check_key_is_new(where, row, row_number, schema, seen_keys)
        rows.append(row)
    return rows


def _check_key_is_new(where: str, row: dict, row_number: int, schema: TableSchema, seen: dict) -> None:
    """Check that no earlier row has the same key values; remember this row's in `seen`."""
    if not schema.key:
        return
    key = tuple(row[name] for name in schema.key)
    if key in seen:
        names = ", ".join(repr(name) for name in schema.key)
        plural = "s" if len(key) > 1 else ""
        shown = key if plural else key[0]
        raise DataFileError(
            f"{where}, column{plural} {names}: the same value{plural} {shown!r} as row {seen[key]}"
        )
    seen[key] = row_number


def _check_header(path: Path, line: int, header: list[str], schema: TableSchema) -> None:
    where = f"{path}, line {line} (header)"
    expected = ", ".join(schema.column_names)
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise DataFileError(f"{where}, column {duplicates[0]!r}: the column appears more than once")
    missing = [name for name in schema.column_names if name not in header]
    if missing:
        raise DataFileError(
            f"{where}, column {missing[0]!r}: the column is missing (expected columns: {expected})"
        )
    unknown = [name for name in header if name not in schema.column_names]
    if unknown:
        raise DataFileError(
            f"{where}, column {unknown[0]!r}: not a column of {schema.filename} "
            f"(expected columns: {expected}); "
            "to add a column, add it to mlai_course/schemas.py and data/README.md"
        )


def _convert(where: str, column: Column, raw: str):
    if raw == "":
        if column.nullable:
            return None
        raise DataFileError(f"{where}: expected a value, got an empty cell")
    if column.dtype == "integer":
        if not INTEGER.fullmatch(raw):
            raise DataFileError(f"{where}: expected an integer, got {raw!r}")
        value = int(raw)
    elif column.dtype == "float":
        try:
            value = float(raw)
        except ValueError:
            value = None
        if value is None or not isfinite(value):
            raise DataFileError(f"{where}: expected a number, got {raw!r}")
    elif column.dtype == "boolean":
        if raw.lower() not in BOOLEANS:
            raise DataFileError(f"{where}: expected True or False, got {raw!r}")
        value = BOOLEANS[raw.lower()]
    else:
        value = raw
    if column.allowed is not None and value not in column.allowed:
        allowed = ", ".join(repr(item) for item in column.allowed)
        raise DataFileError(f"{where}: expected one of {allowed}, got {raw!r}")
    if column.minimum is not None and value < column.minimum:
        raise DataFileError(f"{where}: expected at least {column.minimum}, got {raw!r}")
    if column.maximum is not None and value > column.maximum:
        raise DataFileError(f"{where}: expected at most {column.maximum}, got {raw!r}")
    return value


def _check_row_order(where: str, row: dict, schema: TableSchema) -> None:
    for smaller, larger in schema.less_than:
        if None not in (row[smaller], row[larger]) and not row[smaller] < row[larger]:
            raise DataFileError(
                f"{where}, column {larger!r}: "
                f"expected more than {smaller} ({row[smaller]}), got {row[larger]}"
            )


def main() -> int:
    """Check every table in the data folder; print one line per table."""
    try:
        tables = load_all_tables()
    except DataFileError as error:
        print(error, file=sys.stderr)
        return 1
    for name, table in tables.items():
        print(f"{name}.csv: {len(table)} rows, OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
