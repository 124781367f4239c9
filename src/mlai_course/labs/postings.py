"""The labs' described postings: load them, split them, and the fixed test set both labs compare on.

    from mlai_course.labs.postings import load_postings, split_postings, shared_test_set

    train, test = split_postings(load_postings())       # this quarter: 700 to train on, 300 to test on
    fit, validation = split_validation(train)           # the 700: 525 to fit on, 175 to choose on
    test = shared_test_set()                              # the same 300 postings, for the AI-engineer lab
    later = load_postings("next")                         # next quarter's batch, which drifts

The postings are SYNTHETIC (see mlai_course.labs.generate and data/README.md). Each has a free-text
`description`, a `title`, the role its title names (`title_role`) and its label, `role`: the role whose work
the description holds. The split is fixed in the files' `split` column, so every lab, every run and every
learner uses the same test postings. `split_validation` carves a validation set out of the training postings
(the same one every time): models are chosen on it, so that the test set is touched once, by the chosen model.
"""

import pandas as pd
from sklearn.model_selection import train_test_split

from mlai_course.learner.data import DataFileError, load_table
from mlai_course.learner.schemas import ROLES

LABELS = ROLES  # ("ML Engineer", "AI Engineer"): the two labels, in the course's usual order
TABLES = {"this": "lab_postings_synthetic", "next": "lab_postings_next_quarter_synthetic"}


def load_postings(quarter: str = "this", data_dir=None) -> pd.DataFrame:
    """This quarter's postings ("this") or next quarter's ("next"), checked against their schema."""
    if quarter not in TABLES:
        raise ValueError(f"quarter must be 'this' or 'next', not {quarter!r}")
    return load_table(TABLES[quarter], data_dir)


def split_postings(postings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): the rows whose `split` is "train" and "test", each with a fresh index from 0."""
    if "split" not in postings.columns:
        raise DataFileError("the postings have no 'split' column; load them with load_postings()")
    parts = tuple(postings[postings["split"] == name].reset_index(drop=True) for name in ("train", "test"))
    for name, part in zip(("train", "test"), parts, strict=True):
        if part.empty:
            raise DataFileError(f"the postings have no rows in split {name!r}")
    return parts


VALIDATION_SHARE = 0.25


def split_validation(
    train: pd.DataFrame, share: float = VALIDATION_SHARE
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fit, validation): `share` of the training postings held out to choose models on, the same share of
    each role (stratified), the same rows on every run; each part with a fresh index from 0."""
    if not 0 < share < 1:
        raise ValueError(f"share must be between 0 and 1, not {share!r}")
    if "role" not in train.columns:
        raise DataFileError("the postings have no 'role' column; load them with load_postings()")
    fit, validation = train_test_split(train, test_size=share, stratify=train["role"], random_state=0)
    return fit.reset_index(drop=True), validation.reset_index(drop=True)


def shared_test_set(data_dir=None) -> pd.DataFrame:
    """The fixed held-out test set (300 postings of this quarter) on which both labs are compared."""
    return split_postings(load_postings("this", data_dir))[1]


def title_disagrees(postings: pd.DataFrame) -> pd.Series:
    """True where the posting's title names the other role than the work it describes."""
    return postings["title_role"] != postings["role"]
