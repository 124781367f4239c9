"""Answers to module 07's graded tasks, as learners could write them, run against its test cells.

WRONG: (task, what is wrong, code): passes the visible tests, must fail the hidden ones.
RIGHT: (task, how it differs, code): a correct answer written another way; must pass every test.
"""

MODULE = "07-lab-a-day-as-an-ml-engineer"

WRONG = [
    (
        "precision_recall",
        "lines Series up by their index instead of by position",
        """
        def precision_recall(true_roles, predicted_roles, role):
            truth, guess = pd.Series(true_roles), pd.Series(predicted_roles)
            if role not in set(truth):
                raise ValueError(role)
            found = ((truth == role) & (guess == role)).sum()
            predicted = (guess == role).sum()
            precision = found / predicted if predicted else 0.0
            return {"precision": precision, "recall": found / (truth == role).sum()}
        """,
    ),
    (
        "train_role_model",
        "fixes the labels but still learns from the title, pasted before the description",
        """
        def train_role_model(train_postings):
            texts = train_postings["title"] + " " + train_postings["description"]
            steps = [("tfidf", TfidfVectorizer()), ("classifier", LogisticRegression(max_iter=1000))]
            return Pipeline(steps).fit(texts, train_postings["role"])
        """,
    ),
    (
        "measure_speed",
        "returns the whole run's milliseconds as the milliseconds per batch",
        """
        def measure_speed(predict, descriptions, batch_size):
            if batch_size < 1 or not descriptions:
                raise ValueError(batch_size)
            start = time.perf_counter()
            for first in range(0, len(descriptions), batch_size):
                predict(descriptions[first : first + batch_size])
            seconds = time.perf_counter() - start
            return {"ms_per_batch": 1000 * seconds, "postings_per_second": len(descriptions) / seconds}
        """,
    ),
    (
        "accuracy_by",
        "drops a slice the model gets all wrong",
        """
        def accuracy_by(postings, predicted_roles, column):
            if len(predicted_roles) != len(postings):
                raise ValueError(column)
            right = postings[postings["role"].to_numpy() == np.asarray(predicted_roles)]
            shares = right.groupby(column).size() / postings.groupby(column).size()
            return shares.dropna().rename("accuracy")
        """,
    ),
    (
        "ab_decision",
        "ships B when it is significantly worse",
        """
        def ab_decision(right_a, total_a, right_b, total_b, planned_per_arm, alpha=0.05):
            if min(total_a, total_b) < 1 or not (0 <= right_a <= total_a and 0 <= right_b <= total_b):
                raise ValueError(planned_per_arm)
            pooled = (right_a + right_b) / (total_a + total_b)
            spread = math.sqrt(pooled * (1 - pooled) * (1 / total_a + 1 / total_b)) or 1.0
            z = (right_b / total_b - right_a / total_a) / spread
            p_value = 2 * (1 - NormalDist().cdf(abs(z)))
            if min(total_a, total_b) < planned_per_arm:
                return {"z": z, "p_value": p_value, "decision": "keep collecting"}
            return {"z": z, "p_value": p_value, "decision": "ship B" if p_value < alpha else "keep A"}
        """,
    ),
    (
        "predict_role",
        "answers a description with no word the model knows",
        """
        def predict_role(description, model):
            if not isinstance(description, str):
                raise TypeError(description)
            text = description.strip()
            if not text or len(text) > 5000:
                raise ValueError(text[:20])
            probabilities = model.predict_proba([text])[0]
            best = int(probabilities.argmax())
            return {"role": str(model.classes_[best]), "confidence": round(float(probabilities[best]), 3)}
        """,
    ),
    (
        "new_words",
        "cuts words with its own pattern instead of the vectorizer's analyzer",
        """
        def new_words(vectorizer, descriptions, top):
            import re

            if top < 1:
                raise ValueError(top)
            cut = [w for text in descriptions for w in re.findall(r"\\b\\w\\w+\\b", text.lower())]
            unknown = pd.Series([w for w in cut if w not in vectorizer.vocabulary_], dtype=str).value_counts()
            ordered = unknown.sort_index().sort_values(ascending=False, kind="stable")
            return ordered.head(top).rename("count")
        """,
    ),
]

RIGHT = []
