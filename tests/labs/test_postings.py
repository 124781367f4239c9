"""mlai_course.labs: loading and splitting the described postings, and the lab's trained model."""

import shutil

import pytest
from conftest import REPO_ROOT
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from mlai_course.labs.postings import (
    load_postings,
    shared_test_set,
    split_postings,
    split_validation,
    title_disagrees,
)
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


def test_the_validation_postings_are_a_fixed_stratified_quarter_of_the_training_postings(postings):
    train, test = split_postings(postings)
    fit, validation = split_validation(train)
    assert (len(fit), len(validation)) == (525, 175)
    assert fit.index.tolist() == list(range(525)) and validation.index.tolist() == list(range(175))
    ids = set(fit["posting_id"]), set(validation["posting_id"])
    assert ids[0].isdisjoint(ids[1]) and ids[0] | ids[1] == set(train["posting_id"])
    assert ids[1].isdisjoint(test["posting_id"]), "no test posting is used to choose"
    assert abs(validation["role"].eq("AI Engineer").mean() - train["role"].eq("AI Engineer").mean()) < 0.01
    again = split_validation(train)[1]
    assert again["posting_id"].tolist() == validation["posting_id"].tolist(), "the same rows every run"
    with pytest.raises(ValueError, match="share must be between 0 and 1"):
        split_validation(train, 1.5)
    with pytest.raises(DataFileError, match="no 'role' column"):
        split_validation(train.drop(columns="role"))


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


def test_shipped_model_is_the_chosen_variant_trained_on_the_fit_postings(postings):
    fit, validation = split_validation(split_postings(postings)[0])
    shipped = shipped_role_model()
    assert set(shipped.named_steps["tfidf"].vocabulary_) == set(
        train_role_classifier(fit, "word pairs").named_steps["tfidf"].vocabulary_
    ), "trained on the fit postings only"
    accuracy = (shipped.predict(validation["description"]) == validation["role"]).mean()
    words = train_role_classifier(fit, "words")
    words_accuracy = (words.predict(validation["description"]) == validation["role"]).mean()
    assert words_accuracy < accuracy, (
        "word pairs beat single words on the validation postings, as the lab says"
    )
    test = shared_test_set()
    assert 0.9 <= (shipped.predict(test["description"]) == test["role"]).mean() <= 1.0
