"""mlai_course.labs: loading and splitting the described postings, and the lab's trained model."""

import shutil

import pytest
from conftest import REPO_ROOT
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from mlai_course.labs.postings import load_postings, shared_test_set, split_postings, title_disagrees
from mlai_course.labs.role_model import FEATURES, role_classifier, shipped_role_model, train_role_classifier
from mlai_course.learner.data import DataFileError


@pytest.fixture(scope="module")
def postings():
    return load_postings()


def test_split_gives_train_and_test_with_fresh_indexes(postings):
    train, test = split_postings(postings.sample(frac=1, random_state=2))
    assert (len(train), len(test)) == (700, 300)
    assert set(train["split"]) == {"train"} and set(test["split"]) == {"test"}
    assert train.index.tolist() == list(range(700)) and test.index.tolist() == list(range(300))
    assert set(train["posting_id"]).isdisjoint(test["posting_id"])


def test_shared_test_set_is_the_files_test_rows_in_file_order(postings):
    test = shared_test_set()
    assert test["posting_id"].tolist() == postings[postings["split"] == "test"]["posting_id"].tolist()


def test_bad_arguments_and_tables_are_clear_errors(postings, tmp_path):
    with pytest.raises(ValueError, match="quarter must be 'this' or 'next', not 'last'"):
        load_postings("last")
    with pytest.raises(DataFileError, match="no 'split' column"):
        split_postings(postings.drop(columns="split"))
    with pytest.raises(DataFileError, match="no rows in split 'test'"):
        split_postings(postings[postings["split"] == "train"])
    data_dir = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data_dir)
    path = data_dir / "lab_postings_synthetic.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",train,", ",validation,", 1).replace(",test,", ",validation,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"lab_postings_synthetic\.csv, row 3 \(line 4\), column 'split'"):
        load_postings("this", data_dir)


def test_title_disagrees_compares_the_title_role_with_the_work(postings):
    disagrees = title_disagrees(postings)
    assert disagrees.dtype == bool
    assert disagrees.sum() == (postings["title_role"] != postings["role"]).sum() > 0


def test_role_classifier_is_a_tfidf_and_logistic_regression_pipeline():
    for features in FEATURES:
        model = role_classifier(features)
        assert isinstance(model.named_steps["tfidf"], TfidfVectorizer)
        assert isinstance(model.named_steps["classifier"], LogisticRegression)
    assert role_classifier("word pairs").named_steps["tfidf"].ngram_range == (1, 2)
    with pytest.raises(ValueError, match="features must be one of"):
        role_classifier("sentences")


def test_shipped_model_tells_the_work_apart_on_the_shared_test_set(postings):
    test = shared_test_set()
    shipped = shipped_role_model()
    accuracy = (shipped.predict(test["description"]) == test["role"]).mean()
    assert 0.9 <= accuracy <= 1.0
    words = train_role_classifier(split_postings(postings)[0], "words")
    words_accuracy = (words.predict(test["description"]) == test["role"]).mean()
    assert words_accuracy < accuracy, "word pairs beat single words, as the lab says"
