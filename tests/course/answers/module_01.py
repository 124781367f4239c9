"""Answers to module 01's graded tasks, as learners could write them, run against its test cells.

WRONG: (task, what is wrong, code): passes the visible tests, must fail the hidden ones.
RIGHT: (task, how it differs, code): a correct answer written another way; must pass every test.
"""

MODULE = "01-core-distinction"

WRONG = [
    (
        "who_builds",
        "trusts a job title in the line",
        """
        def who_builds(feature):
            if not isinstance(feature, str) or not feature.strip():
                raise ValueError("no feature")
            for title in ("ML Engineer", "AI Engineer"):
                if title in feature:
                    return title
            core_words = {
                "ML Engineer": ["train", "custom model", "model serving", "MLOps"],
                "AI Engineer": ["pre-trained", "LLM", "API", "RAG", "prompt"],
            }
            text = feature.lower().replace("pre-trained", "pre-made")
            ml = sum(word.lower() in text for word in core_words["ML Engineer"])
            ai = sum(word.lower() in text for word in core_words["AI Engineer"]) + feature.lower().count("pre-trained")
            return "ML Engineer" if ml > ai else "AI Engineer" if ai > ml else "Undecided"
        """,
    ),
    (
        "who_builds",
        "counts the 'train' inside 'pre-trained' as training",
        """
        def who_builds(feature):
            if not isinstance(feature, str) or not feature.strip():
                raise ValueError("the feature is empty")
            core_words = {
                "ML Engineer": ["train", "custom model", "model serving", "MLOps"],
                "AI Engineer": ["pre-trained", "LLM", "API", "RAG", "prompt"],
            }
            text = feature.lower()
            counts = {role: sum(w.lower() in text for w in words) for role, words in core_words.items()}
            if counts["ML Engineer"] == counts["AI Engineer"]:
                return "Undecided"
            return max(counts, key=counts.get)
        """,
    ),
    (
        "who_builds",
        "matches the core words case-sensitively",
        """
        def who_builds(feature):
            if not isinstance(feature, str) or not feature.strip():
                raise ValueError("the feature is empty")
            core_words = {
                "ML Engineer": ["train", "custom model", "model serving", "MLOps"],
                "AI Engineer": ["pre-trained", "LLM", "API", "RAG", "prompt"],
            }
            text = feature.replace("pre-trained", "")
            ml = sum(word in text for word in core_words["ML Engineer"])
            ai = sum(word in text for word in core_words["AI Engineer"]) + ("pre-trained" in feature)
            return "ML Engineer" if ml > ai else "AI Engineer" if ai > ml else "Undecided"
        """,
    ),
    (
        "who_builds",
        "says Undecided only when there is no evidence at all, not on a tie",
        """
        def who_builds(feature):
            if not isinstance(feature, str) or not feature.strip():
                raise ValueError("the feature is empty")
            core_words = {
                "ML Engineer": ["train", "custom model", "model serving", "MLOps"],
                "AI Engineer": ["pre-trained", "LLM", "API", "RAG", "prompt"],
            }
            text = feature.lower()
            counts = {
                "AI Engineer": sum(w.lower() in text for w in core_words["AI Engineer"]),
                "ML Engineer": sum(w.lower() in text.replace("pre-trained", "") for w in core_words["ML Engineer"]),
            }
            if not any(counts.values()):
                return "Undecided"
            return max(counts, key=counts.get)
        """,
    ),
    (
        "who_builds",
        "hard-codes the visible lines",
        """
        def who_builds(feature):
            if not isinstance(feature, str) or not feature.strip():
                raise ValueError("the feature is empty")
            if "custom model" in feature:
                return "ML Engineer"
            if "LLM" in feature:
                return "AI Engineer"
            return "Undecided"
        """,
    ),
    (
        "who_builds",
        "returns None for a line that is not text instead of raising",
        """
        def who_builds(feature):
            if feature is None or not isinstance(feature, str):
                return None
            if not feature.strip():
                raise ValueError("the feature is blank")
            core_words = {
                "ML Engineer": ["train", "custom model", "model serving", "MLOps"],
                "AI Engineer": ["pre-trained", "LLM", "API", "RAG", "prompt"],
            }
            text = feature.lower()
            ai = sum(w.lower() in text for w in core_words["AI Engineer"])
            ml = sum(w.lower() in text.replace("pre-trained", "") for w in core_words["ML Engineer"])
            return "ML Engineer" if ml > ai else "AI Engineer" if ai > ml else "Undecided"
        """,
    ),
    (
        "role_age",
        "hard-codes the AI engineer's start year for the as_of check",
        """
        def role_age(evolution_table, as_of):
            if as_of < 2022:
                raise ValueError("AI Engineer had not started")
            start_years = evolution_table.groupby("role")["start_year"].first()
            return (as_of - start_years).rename("years")
        """,
    ),
]

RIGHT = [
    (
        "who_builds",
        "a regular expression that skips the 'train' of 'pre-trained', and a loop",
        """
        import re

        def who_builds(feature):
            if not isinstance(feature, str):
                raise ValueError(f"expected a line of text, got {type(feature).__name__}")
            if feature.strip() == "":
                raise ValueError("the feature is blank")
            core_words = {
                "ML Engineer": ["train", "custom model", "model serving", "MLOps"],
                "AI Engineer": ["pre-trained", "LLM", "API", "RAG", "prompt"],
            }
            scores = {}
            for role, words in core_words.items():
                scores[role] = 0
                for word in words:
                    pattern = r"(?<!pre-)train" if word == "train" else re.escape(word)
                    if re.search(pattern, feature, flags=re.IGNORECASE):
                        scores[role] += 1
            ml, ai = scores["ML Engineer"], scores["AI Engineer"]
            if ml > ai:
                return "ML Engineer"
            if ai > ml:
                return "AI Engineer"
            return "Undecided"
        """,
    ),
    (
        "who_builds",
        "pandas: one row per core word, str.contains on the line, then value_counts",
        """
        def who_builds(feature):
            if not isinstance(feature, str) or len(feature.strip()) == 0:
                raise ValueError("who_builds needs a non-blank line of text")
            core_words = {
                "ML Engineer": ["train", "custom model", "model serving", "MLOps"],
                "AI Engineer": ["pre-trained", "LLM", "API", "RAG", "prompt"],
            }
            words = pd.DataFrame(
                [(role, word) for role, listed in core_words.items() for word in listed], columns=["role", "word"]
            )
            line = feature.lower()
            without_pretrained = line.replace("pre-trained", " ")
            found = words[
                [
                    word.lower() in (without_pretrained if role == "ML Engineer" else line)
                    for role, word in zip(words["role"], words["word"])
                ]
            ]
            counts = found["role"].value_counts().reindex(list(core_words), fill_value=0)
            if counts["ML Engineer"] == counts["AI Engineer"]:
                return "Undecided"
            return counts.idxmax()
        """,
    ),
    (
        "who_builds",
        "removes each AI word from the line before looking for the ML words",
        """
        def who_builds(feature):
            if type(feature) is not str or not feature.strip():
                raise ValueError("feature must be a non-empty string")
            ml_words = ["train", "custom model", "model serving", "mlops"]
            ai_words = ["pre-trained", "llm", "api", "rag", "prompt"]
            text = feature.lower()
            ai = [word for word in ai_words if word in text]
            for word in ai:
                text = text.replace(word, "|")
            ml = [word for word in ml_words if word in text]
            if len(ml) == len(ai):
                return "Undecided"
            return "ML Engineer" if len(ml) > len(ai) else "AI Engineer"
        """,
    ),
    (
        "role_age",
        "a loop over groupby, building a dict",
        """
        def role_age(evolution_table, as_of):
            ages = {}
            for role, rows in evolution_table.groupby("role"):
                start = int(rows["start_year"].iloc[0])
                if start > as_of:
                    raise ValueError(f"{role} starts in {start}, after {as_of}")
                ages[role] = as_of - start
            return pd.Series(ages, name="years")
        """,
    ),
    (
        "role_age",
        "drop_duplicates and set_index, then a check with any()",
        """
        def role_age(evolution_table, as_of):
            starts = evolution_table.drop_duplicates("role").set_index("role")["start_year"]
            if (starts > as_of).any():
                late = list(starts[starts > as_of].index)
                raise ValueError(f"as_of {as_of} is before the start of {late}")
            years = as_of - starts
            years.name = "years"
            return years
        """,
    ),
]
