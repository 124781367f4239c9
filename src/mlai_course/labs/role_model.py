"""The ML-engineer lab's trained model: a scikit-learn Pipeline of TfidfVectorizer and LogisticRegression.

    from mlai_course.labs.role_model import role_classifier, shipped_role_model

    model = role_classifier("words").fit(train["description"], train["role"])
    model = shipped_role_model()      # the model the lab ships: word pairs, on the 525 fit postings

The AI-engineer lab compares its application with `shipped_role_model()` on `shared_test_set()`.
Training takes a fraction of a second on one core; everything is deterministic (no random state involved).
"""

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from mlai_course.labs.postings import load_postings, split_postings, split_validation

# The feature choices the lab reviews: how TfidfVectorizer cuts a description into features.
FEATURES = {
    "words": {},
    "word pairs": {"ngram_range": (1, 2)},
    "characters": {"analyzer": "char_wb", "ngram_range": (3, 5)},
}
SHIPPED_FEATURES = "word pairs"  # the variant chosen on validation data and shipped after the lab's A/B test


def role_classifier(features: str = "words") -> Pipeline:
    """An untrained pipeline: TF-IDF features of the text (one of FEATURES), then a logistic regression."""
    if features not in FEATURES:
        raise ValueError(f"features must be one of {sorted(FEATURES)}, not {features!r}")
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(**FEATURES[features])),
            ("classifier", LogisticRegression(max_iter=1000)),
        ]
    )


def train_role_classifier(train, features: str = "words") -> Pipeline:
    """A pipeline trained on the descriptions and labels of `train` (a DataFrame of postings)."""
    return role_classifier(features).fit(train["description"], train["role"])


def shipped_role_model(data_dir=None) -> Pipeline:
    """The model the ML-engineer lab ships, exactly as it was chosen: word pairs, trained on this quarter's
    fit postings (the train split less its validation postings)."""
    fit, _ = split_validation(split_postings(load_postings("this", data_dir))[0])
    return train_role_classifier(fit, SHIPPED_FEATURES)
