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
                raise ValueError(description)
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

RIGHT = [
    (
        "precision_recall",
        "NumPy arrays and boolean masks",
        """
        def precision_recall(true_roles, predicted_roles, role):
            truth = np.asarray(list(true_roles), dtype=object)
            guess = np.asarray(list(predicted_roles), dtype=object)
            if len(truth) != len(guess):
                raise ValueError(f"{len(truth)} true roles but {len(guess)} predicted ones")
            if not (truth == role).any():
                raise ValueError(f"{role!r} is not among the true roles")
            predicted = guess == role
            hits = (predicted & (truth == role)).sum()
            precision = hits / predicted.sum() if predicted.sum() else 0.0
            return {"precision": float(precision), "recall": float(hits / (truth == role).sum())}
        """,
    ),
    (
        "precision_recall",
        "a plain loop with three counters",
        """
        def precision_recall(true_roles, predicted_roles, role):
            truth, guess = list(true_roles), list(predicted_roles)
            if len(truth) != len(guess):
                raise ValueError("the two sequences have different lengths")
            if role not in truth:
                raise ValueError("role is not a true role")
            both = called = real = 0
            for true_role, predicted_role in zip(truth, guess):
                if predicted_role == role:
                    called += 1
                    if true_role == role:
                        both += 1
                if true_role == role:
                    real += 1
            return {"precision": both / called if called else 0.0, "recall": both / real}
        """,
    ),
    (
        "precision_recall",
        "scikit-learn's scores for one label",
        """
        from sklearn.metrics import precision_score, recall_score


        def precision_recall(true_roles, predicted_roles, role):
            truth, guess = list(true_roles), list(predicted_roles)
            if len(truth) != len(guess) or role not in truth:
                raise ValueError("lengths differ, or role is not among the true roles")
            options = {"labels": [role], "average": "micro", "zero_division": 0.0}
            return {
                "precision": float(precision_score(truth, guess, **options)),
                "recall": float(recall_score(truth, guess, **options)),
            }
        """,
    ),
    (
        "train_role_model",
        "fixes both bugs by not shuffling at all",
        """
        def train_role_model(train_postings):
            # Bug 1: the labels came from the unshuffled table; unshuffled, texts and labels stay in line.
            # Bug 2: learn from the descriptions (the work), never the title.
            pipeline = Pipeline(
                [("tfidf", TfidfVectorizer()), ("classifier", LogisticRegression(max_iter=1000))]
            )
            return pipeline.fit(train_postings["description"], train_postings["role"])
        """,
    ),
    (
        "train_role_model",
        "shuffles with a fresh index, word pairs and other step names",
        """
        def train_role_model(train_postings):
            # Bug 1: shuffle the whole table, so each text keeps its own label.
            shuffled = train_postings.sample(frac=1, random_state=42).reset_index(drop=True)
            # Bug 2: the description holds the work; the title may name the other role.
            vectorizer = TfidfVectorizer(ngram_range=(1, 2))
            model = Pipeline([("vectorizer", vectorizer), ("model", LogisticRegression(max_iter=2000))])
            model.fit(shuffled["description"].tolist(), shuffled["role"].tolist())
            return model
        """,
    ),
    (
        "measure_speed",
        "a while loop that counts its calls",
        """
        def measure_speed(predict, descriptions, batch_size):
            if batch_size < 1:
                raise ValueError("batch_size must be at least 1")
            if len(descriptions) == 0:
                raise ValueError("no descriptions")
            calls, position = 0, 0
            start = time.perf_counter()
            while position < len(descriptions):
                predict(descriptions[position : position + batch_size])
                position += batch_size
                calls += 1
            total = time.perf_counter() - start
            return {"ms_per_batch": total * 1000 / calls, "postings_per_second": len(descriptions) / total}
        """,
    ),
    (
        "measure_speed",
        "counts the batches first with math.ceil",
        """
        def measure_speed(predict, descriptions, batch_size):
            if batch_size < 1 or not descriptions:
                raise ValueError("batch_size below 1, or no descriptions")
            batches = math.ceil(len(descriptions) / batch_size)
            start = time.perf_counter()
            for number in range(batches):
                predict(descriptions[number * batch_size : (number + 1) * batch_size])
            elapsed = time.perf_counter() - start
            rate = len(descriptions) / elapsed
            return {"ms_per_batch": 1000 * elapsed / batches, "postings_per_second": rate}
        """,
    ),
    (
        "accuracy_by",
        "a loop with two dicts of counts",
        """
        def accuracy_by(postings, predicted_roles, column):
            predicted = list(predicted_roles)
            if len(predicted) != len(postings):
                raise ValueError("one prediction per posting, please")
            right, total = {}, {}
            for value, role, guess in zip(postings[column], postings["role"], predicted):
                total[value] = total.get(value, 0) + 1
                right[value] = right.get(value, 0) + (role == guess)
            values = sorted(total)
            return pd.Series([right[value] / total[value] for value in values], index=values, name="accuracy")
        """,
    ),
    (
        "accuracy_by",
        "a fresh index, a column of right answers and groupby",
        """
        def accuracy_by(postings, predicted_roles, column):
            if len(predicted_roles) != len(postings):
                raise ValueError("predictions and postings differ in length")
            table = postings.reset_index(drop=True).assign(predicted=list(predicted_roles))
            table["right"] = table["role"] == table["predicted"]
            return table.groupby(column)["right"].mean().rename("accuracy")
        """,
    ),
    (
        "ab_decision",
        "checks each arm separately and tests the pooled share for 0 or 1",
        """
        def ab_decision(right_a, total_a, right_b, total_b, planned_per_arm, alpha=0.05):
            if total_a < 1 or total_b < 1:
                raise ValueError("each arm needs at least one request")
            if not 0 <= right_a <= total_a or not 0 <= right_b <= total_b:
                raise ValueError("a count of right answers is out of range")
            pooled = (right_a + right_b) / (total_a + total_b)
            if pooled in (0, 1):
                z, p_value = 0.0, 1.0
            else:
                standard_error = math.sqrt(pooled * (1 - pooled) * (1 / total_a + 1 / total_b))
                z = (right_b / total_b - right_a / total_a) / standard_error
                p_value = 2 * (1 - NormalDist().cdf(abs(z)))
            if total_a < planned_per_arm or total_b < planned_per_arm:
                decision = "keep collecting"
            elif p_value < alpha and right_b / total_b > right_a / total_a:
                decision = "ship B"
            else:
                decision = "keep A"
            return {"z": float(z), "p_value": float(p_value), "decision": decision}
        """,
    ),
    (
        "ab_decision",
        "the p-value from math.erfc and early returns",
        """
        def ab_decision(right_a, total_a, right_b, total_b, planned_per_arm, alpha=0.05):
            for right, total in ((right_a, total_a), (right_b, total_b)):
                if total < 1 or right < 0 or right > total:
                    raise ValueError(f"{right} of {total} is not a valid arm")
            p_a, p_b = right_a / total_a, right_b / total_b
            pooled = (right_a + right_b) / (total_a + total_b)
            variance = pooled * (1 - pooled) * (1 / total_a + 1 / total_b)
            z = 0.0 if variance == 0 else (p_b - p_a) / math.sqrt(variance)
            p_value = 1.0 if variance == 0 else math.erfc(abs(z) / math.sqrt(2))
            result = {"z": float(z), "p_value": float(p_value)}
            if min(total_a, total_b) < planned_per_arm:
                return {**result, "decision": "keep collecting"}
            if p_value < alpha and p_b > p_a:
                return {**result, "decision": "ship B"}
            return {**result, "decision": "keep A"}
        """,
    ),
    (
        "predict_role",
        "the vectorizer by its step name, as the lab's own cells do, and predict for the role",
        """
        def predict_role(description, model):
            if not isinstance(description, str):
                raise ValueError("description must be a str")
            text = description.strip()
            if not text or len(text) > 5000:
                raise ValueError("description must hold 1 to 5,000 characters")
            if model.named_steps["tfidf"].transform([text]).nnz == 0:
                raise ValueError("the model knows no word of the description")
            role = model.predict([text])[0]
            probabilities = model.predict_proba([text])[0]
            confidence = probabilities[list(model.classes_).index(role)]
            return {"role": str(role), "confidence": round(float(confidence), 3)}
        """,
    ),
    (
        "predict_role",
        "the steps before the classifier, and a dict of probabilities",
        """
        def predict_role(description, model):
            if type(description) is not str:
                raise ValueError(f"expected text, got {type(description).__name__}")
            text = description.strip()
            if len(text) == 0:
                raise ValueError("empty description")
            if len(text) > 5000:
                raise ValueError("description longer than 5,000 characters")
            if model[:-1].transform([text]).count_nonzero() == 0:
                raise ValueError("no known word")
            scores = dict(zip(model.classes_, model.predict_proba([text])[0]))
            role = max(scores, key=scores.get)
            return {"role": str(role), "confidence": round(float(scores[role]), 3)}
        """,
    ),
    (
        "new_words",
        "a Counter and sorted",
        """
        from collections import Counter


        def new_words(vectorizer, descriptions, top):
            if top < 1:
                raise ValueError("top must be at least 1")
            analyzer = vectorizer.build_analyzer()
            counts = Counter(
                word for text in descriptions for word in analyzer(text) if word not in vectorizer.vocabulary_
            )
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
            return pd.Series(dict(ordered), name="count", dtype="int64")
        """,
    ),
    (
        "new_words",
        "explode, isin and a stable sort",
        """
        def new_words(vectorizer, descriptions, top):
            if top < 1:
                raise ValueError(f"top must be 1 or more, not {top}")
            texts = pd.Series(list(descriptions), dtype=object)
            words = texts.map(vectorizer.build_analyzer()).explode().dropna()
            unknown = words[~words.isin(list(vectorizer.vocabulary_))]
            counts = unknown.value_counts().sort_index().sort_values(ascending=False, kind="stable").head(top)
            return pd.Series(counts.to_numpy(), index=counts.index.to_numpy(), name="count")
        """,
    ),
]
