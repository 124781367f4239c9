"""Load the course's data tables from data/, wherever the notebook runs."""

from pathlib import Path

import pandas as pd

from mlai_course.paths import find_data_dir


class DataFileError(ValueError):
    """A course data file is missing or malformed. The message names the file."""


def data_path(filename: str) -> Path:
    """Return the path of a file in the course's data folder."""
    return find_data_dir() / filename


def load_table(name: str) -> pd.DataFrame:
    """Load data/<name>.csv as a DataFrame."""
    path = data_path(f"{name}.csv")
    if not path.is_file():
        raise DataFileError(f"{path}: no such data file")
    return pd.read_csv(path, encoding="utf-8")
