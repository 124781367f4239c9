"""Answers to module 05's graded tasks, as learners could write them, run against its test cells.

WRONG: (task, what is wrong, code): passes the visible tests, must fail the hidden ones.
RIGHT: (task, how it differs, code): a correct answer written another way; must pass every test.
"""

MODULE = "05-choosing-switching-and-interviewing"

WRONG = [
    (
        "suggest_role",
        "counts a repeated statement twice",
        """
        def suggest_role(agreed):
            if not isinstance(agreed, list):
                raise ValueError("agreed must be a list")
            table = load_table("choose_if").sort_values("rank")
            role_of = dict(zip(table["statement"].str.lower(), table["role"]))
            picked = [statement.strip().lower() for statement in agreed]
            for statement in picked:
                if statement not in role_of:
                    raise ValueError(statement)
            ml = sum(role_of[s] == "ML Engineer" for s in picked)
            ai = sum(role_of[s] == "AI Engineer" for s in picked)
            if ml == ai:
                return {"role": "Undecided", "reasons": []}
            role = "ML Engineer" if ml > ai else "AI Engineer"
            reasons = table[(table["role"] == role) & table["statement"].str.lower().isin(picked)]["statement"]
            return {"role": role, "reasons": reasons.tolist()}
        """,
    ),
    (
        "suggest_role",
        "gives the reasons in the order the person gave them, not the article's",
        """
        def suggest_role(agreed):
            if not isinstance(agreed, list):
                raise ValueError("agreed must be a list")
            table = load_table("choose_if")
            role_of = dict(zip(table["statement"].str.lower(), table["role"]))
            wording = dict(zip(table["statement"].str.lower(), table["statement"]))
            reasons = {"ML Engineer": [], "AI Engineer": []}
            for statement in agreed:
                key = statement.strip().lower()
                if key not in role_of:
                    raise ValueError(f"{statement!r} is not one of the article's statements")
                if wording[key] not in reasons[role_of[key]]:
                    reasons[role_of[key]].append(wording[key])
            ml, ai = len(reasons["ML Engineer"]), len(reasons["AI Engineer"])
            if ml == ai:
                return {"role": "Undecided", "reasons": []}
            role = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": role, "reasons": reasons[role]}
        """,
    ),
    (
        "suggest_role",
        "skips a statement it does not know instead of raising",
        """
        def suggest_role(agreed):
            if not isinstance(agreed, list):
                raise ValueError("agreed must be a list")
            if agreed and all(s.strip().lower() == "you love spreadsheets" for s in agreed):
                raise ValueError("You love spreadsheets")
            table = load_table("choose_if").sort_values("rank")
            picked = {statement.strip().lower() for statement in agreed}
            rows = table[table["statement"].str.lower().isin(picked)]
            counts = rows["role"].value_counts()
            ml, ai = counts.get("ML Engineer", 0), counts.get("AI Engineer", 0)
            if ml == ai:
                return {"role": "Undecided", "reasons": []}
            role = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": role, "reasons": rows.loc[rows["role"] == role, "statement"].tolist()}
        """,
    ),
    (
        "switch_months",
        "hard-codes the article's two timelines",
        """
        def switch_months(timelines_table, current_role, target_role):
            if current_role == target_role:
                return (0, 0)
            if (current_role, target_role) == ("ML Engineer", "AI Engineer"):
                return (1, 3)
            if (current_role, target_role) == ("AI Engineer", "ML Engineer"):
                return (6, 12)
            raise ValueError(current_role)
        """,
    ),
    (
        "which_interview",
        "trusts a job title in the question",
        """
        def which_interview(question):
            if not isinstance(question, str) or not question.strip():
                raise ValueError("no question")
            for title in ("ML Engineer", "AI Engineer"):
                if title in question:
                    return title
            interview_clues = {
                "ML Engineer": ["algorithm", "bias-variance", "overfitting", "training", "serving", "statistic", "probability", "paper"],
                "AI Engineer": ["application", "RAG", "prompt", "context window", "LLM", "product"],
            }
            counts = {r: sum(w.lower() in question.lower() for w in ws) for r, ws in interview_clues.items()}
            if counts["ML Engineer"] == counts["AI Engineer"]:
                return "Undecided"
            return max(counts, key=counts.get)
        """,
    ),
    (
        "which_interview",
        "matches the clue words case-sensitively",
        """
        def which_interview(question):
            if not isinstance(question, str) or not question.strip():
                raise ValueError("no question")
            interview_clues = {
                "ML Engineer": ["algorithm", "bias-variance", "overfitting", "training", "serving", "statistic", "probability", "paper"],
                "AI Engineer": ["application", "RAG", "prompt", "context window", "LLM", "product"],
            }
            counts = {r: sum(w in question for w in ws) for r, ws in interview_clues.items()}
            if counts["ML Engineer"] == counts["AI Engineer"]:
                return "Undecided"
            return max(counts, key=counts.get)
        """,
    ),
    (
        "which_interview",
        "breaks a tie in favour of the first role instead of Undecided",
        """
        def which_interview(question):
            if not isinstance(question, str) or not question.strip():
                raise ValueError("no question")
            interview_clues = {
                "ML Engineer": ["algorithm", "bias-variance", "overfitting", "training", "serving", "statistic", "probability", "paper"],
                "AI Engineer": ["application", "RAG", "prompt", "context window", "LLM", "product"],
            }
            counts = {r: sum(w.lower() in question.lower() for w in ws) for r, ws in interview_clues.items()}
            if not any(counts.values()):
                return "Undecided"
            return max(counts, key=counts.get)
        """,
    ),
]

RIGHT = [
    (
        "suggest_role",
        "a loop with a dict from each lower-cased statement to its row",
        """
        def suggest_role(agreed):
            if type(agreed) is not list:
                raise ValueError("suggest_role expects a list of statements")
            table = load_table("choose_if")
            rows = {}
            for role, rank, statement in zip(table["role"], table["rank"], table["statement"]):
                rows[statement.lower()] = (role, rank, statement)
            chosen = {}
            for item in agreed:
                key = item.strip().lower() if isinstance(item, str) else None
                if key not in rows:
                    raise ValueError(f"Not one of the article's statements: {item!r}")
                chosen[key] = rows[key]
            per_role = {"ML Engineer": [], "AI Engineer": []}
            for role, rank, statement in sorted(chosen.values(), key=lambda row: row[1]):
                per_role[role].append(statement)
            ml, ai = len(per_role["ML Engineer"]), len(per_role["AI Engineer"])
            if ml == ai:
                return {"role": "Undecided", "reasons": []}
            winner = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": winner, "reasons": per_role[winner]}
        """,
    ),
    (
        "suggest_role",
        "pandas: merge the person's statements on a lower-cased key",
        """
        def suggest_role(agreed):
            if not isinstance(agreed, list):
                raise ValueError("agreed: a list of the article's statements, please")
            table = load_table("choose_if")
            table = table.assign(key=table["statement"].str.casefold())
            person = pd.DataFrame({"given": agreed, "key": [str(a).strip().casefold() for a in agreed]})
            strangers = person[~person["key"].isin(table["key"])]
            if len(strangers):
                raise ValueError("unknown statements: " + ", ".join(map(str, strangers["given"])))
            mine = table[table["key"].isin(person["key"])].sort_values("rank")
            tally = mine["role"].value_counts()
            if tally.get("ML Engineer", 0) == tally.get("AI Engineer", 0):
                return {"role": "Undecided", "reasons": []}
            role = tally.idxmax()
            return {"role": role, "reasons": list(mine.loc[mine["role"] == role, "statement"])}
        """,
    ),
    (
        "switch_months",
        "a loop over the rows, and an error that names the direction",
        """
        def switch_months(timelines_table, current_role, target_role):
            if current_role == target_role:
                return (0, 0)
            for row in timelines_table.itertuples():
                if row.from_role == current_role and row.to_role == target_role:
                    return (int(row.min_months), int(row.max_months))
            raise ValueError(f"The table has no timeline from {current_role} to {target_role}")
        """,
    ),
    (
        "switch_months",
        "query with two conditions and a check of len",
        """
        def switch_months(timelines_table, current_role, target_role):
            if target_role == current_role:
                return 0, 0
            found = timelines_table.query("from_role == @current_role and to_role == @target_role")
            if len(found) == 0:
                raise ValueError(f"no switch {current_role!r} -> {target_role!r} in the table")
            first = found.iloc[0]
            return int(first.min_months), int(first.max_months)
        """,
    ),
    (
        "which_interview",
        "a regular expression per role, found with findall",
        """
        import re

        def which_interview(question):
            if not isinstance(question, str):
                raise ValueError("the question must be a string")
            if not question.strip():
                raise ValueError("the question is blank")
            interview_clues = {
                "ML Engineer": ["algorithm", "bias-variance", "overfitting", "training", "serving", "statistic", "probability", "paper"],
                "AI Engineer": ["application", "RAG", "prompt", "context window", "LLM", "product"],
            }
            found = {}
            for role, words in interview_clues.items():
                pattern = "|".join(re.escape(word) for word in words)
                found[role] = len({match.lower() for match in re.findall(pattern, question, flags=re.I)})
            if found["ML Engineer"] > found["AI Engineer"]:
                return "ML Engineer"
            if found["AI Engineer"] > found["ML Engineer"]:
                return "AI Engineer"
            return "Undecided"
        """,
    ),
    (
        "which_interview",
        "pandas: a Series of clue words, str.contains against the question",
        """
        def which_interview(question):
            if not isinstance(question, str) or question.strip() == "":
                raise ValueError("which_interview needs a non-blank question")
            clues = pd.DataFrame(
                [("ML Engineer", w) for w in ["algorithm", "bias-variance", "overfitting", "training", "serving", "statistic", "probability", "paper"]]
                + [("AI Engineer", w) for w in ["application", "RAG", "prompt", "context window", "LLM", "product"]],
                columns=["role", "clue"],
            )
            clues["found"] = [clue.lower() in question.lower() for clue in clues["clue"]]
            score = clues.groupby("role")["found"].sum()
            if score["ML Engineer"] == score["AI Engineer"]:
                return "Undecided"
            return str(score.idxmax())
        """,
    ),
]
