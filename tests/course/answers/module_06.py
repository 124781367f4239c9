"""Answers to module 06's graded tasks, as learners could write them, run against its test cells.

WRONG: (task, what is wrong, code): passes the visible tests, must fail the hidden ones.
RIGHT: (task, how it differs, code): a correct answer written another way; must pass every test.
The reflection is graded by hand (its rubric is in the notebook): no answers here.
"""

MODULE = "06-the-future-and-the-bottom-line"

WRONG = [
    (
        "check_claims",
        "finds a claim inside a longer or shorter text instead of matching it whole",
        """
        def check_claims(claims):
            if "role" not in claims or "claim" not in claims:
                raise ValueError("claims needs role and claim columns")
            if not set(claims["role"]) <= {"ML Engineer", "AI Engineer"}:
                raise ValueError("unknown role")
            predictions = load_table("future_predictions")
            verdicts = []
            for role, claim in zip(claims["role"], claims["claim"]):
                text = claim.strip().lower()
                hits = predictions[[text in p.lower() or p.lower() in text for p in predictions["prediction"]]]
                mine = hits[hits["role"] == role]
                if len(mine):
                    verdicts.append("predicted" if mine["heading_in_seed"].iloc[0] else "course's reading")
                elif len(hits):
                    verdicts.append("other role")
                else:
                    verdicts.append("not predicted")
            return verdicts
        """,
    ),
    (
        "check_claims",
        "counts a claim as the article's when all its words are in a prediction",
        """
        def check_claims(claims):
            if "role" not in claims or "claim" not in claims:
                raise ValueError("claims needs role and claim columns")
            if not set(claims["role"]) <= {"ML Engineer", "AI Engineer"}:
                raise ValueError("unknown role")
            predictions = load_table("future_predictions")
            def words(text):
                return set(text.lower().replace(",", " ").split())
            verdicts = []
            for role, claim in zip(claims["role"], claims["claim"]):
                hits = predictions[[words(claim) <= words(p) for p in predictions["prediction"]]]
                mine = hits[hits["role"] == role]
                if len(mine):
                    verdicts.append("predicted" if mine["heading_in_seed"].iloc[0] else "course's reading")
                elif len(hits):
                    verdicts.append("other role")
                else:
                    verdicts.append("not predicted")
            return verdicts
        """,
    ),
    (
        "check_claims",
        "lower-cases the claims but does not strip the spaces at their ends",
        """
        def check_claims(claims):
            if "role" not in claims or "claim" not in claims:
                raise ValueError("claims needs role and claim columns")
            if not set(claims["role"]) <= {"ML Engineer", "AI Engineer"}:
                raise ValueError("unknown role")
            predictions = load_table("future_predictions")
            texts = predictions["prediction"].str.lower()
            verdicts = []
            for role, claim in zip(claims["role"], claims["claim"]):
                hits = predictions[texts == claim.lower()]
                mine = hits[hits["role"] == role]
                if len(mine):
                    verdicts.append("predicted" if mine["heading_in_seed"].iloc[0] else "course's reading")
                elif len(hits):
                    verdicts.append("other role")
                else:
                    verdicts.append("not predicted")
            return verdicts
        """,
    ),
    (
        "check_claims",
        "says 'not predicted' for a role the article does not cover instead of raising",
        """
        def check_claims(claims):
            if "role" not in claims or "claim" not in claims:
                raise ValueError("claims needs role and claim columns")
            predictions = load_table("future_predictions")
            texts = predictions["prediction"].str.strip().str.lower()
            verdicts = []
            for role, claim in zip(claims["role"], claims["claim"]):
                hits = predictions[texts == claim.strip().lower()]
                mine = hits[hits["role"] == role]
                if len(mine):
                    verdicts.append("predicted" if mine["heading_in_seed"].iloc[0] else "course's reading")
                elif len(hits) and role in ("ML Engineer", "AI Engineer"):
                    verdicts.append("other role")
                else:
                    verdicts.append("not predicted")
            return verdicts
        """,
    ),
    (
        "advice_for",
        "counts a thing named twice twice",
        """
        def advice_for(drawn_to):
            if not isinstance(drawn_to, list) or not all(isinstance(x, str) for x in drawn_to):
                raise ValueError("drawn_to must be a list of strings")
            draws = {
                "the science of machine learning": "ML Engineer", "training": "ML Engineer",
                "optimization": "ML Engineer", "architecture": "ML Engineer",
                "building ai-powered products": "AI Engineer", "applications": "AI Engineer",
                "user experiences": "AI Engineer", "integration": "AI Engineer",
            }
            counts = {"ML Engineer": 0, "AI Engineer": 0}
            for thing in drawn_to:
                role = draws.get(thing.strip().lower())
                if role:
                    counts[role] += 1
            if counts["ML Engineer"] == counts["AI Engineer"]:
                return "Undecided"
            return max(counts, key=counts.get)
        """,
    ),
    (
        "advice_for",
        "keeps the bug hunt's six examples and leaves out the article's two headlines",
        """
        def advice_for(drawn_to):
            if not isinstance(drawn_to, list) or not all(isinstance(x, str) for x in drawn_to):
                raise ValueError("drawn_to must be a list of strings")
            advice_table = pd.DataFrame(
                {
                    "role": ["ML Engineer"] * 3 + ["AI Engineer"] * 3,
                    "draw": ["training", "optimization", "architecture", "applications", "user experiences", "integration"],
                }
            )
            wanted = {item.strip().lower() for item in drawn_to}
            counts = advice_table.assign(named=advice_table["draw"].isin(wanted)).groupby("role")["named"].sum()
            if counts["ML Engineer"] == counts["AI Engineer"]:
                return "Undecided"
            return counts.idxmax()
        """,
    ),
    (
        "advice_for",
        "treats a tie as Undecided but gives the first role when nothing is named",
        """
        def advice_for(drawn_to):
            if not isinstance(drawn_to, list) or not all(isinstance(x, str) for x in drawn_to):
                raise ValueError("drawn_to must be a list of strings")
            draws = {
                "ML Engineer": ["the science of machine learning", "training", "optimization", "architecture"],
                "AI Engineer": ["building ai-powered products", "applications", "user experiences", "integration"],
            }
            wanted = {item.strip().lower() for item in drawn_to}
            counts = {role: len(wanted & set(words)) for role, words in draws.items()}
            if counts["ML Engineer"] == counts["AI Engineer"] and counts["ML Engineer"] > 0:
                return "Undecided"
            return max(counts, key=counts.get)
        """,
    ),
    (
        "judge_switch_plan",
        "leaves out both ends of the article's timeline",
        """
        def judge_switch_plan(plan):
            if not isinstance(plan, dict) or not {"from_role", "to_role", "months"} <= set(plan):
                raise ValueError("a plan needs from_role, to_role and months")
            months = plan["months"]
            if isinstance(months, bool) or not isinstance(months, (int, float)) or months < 0:
                raise ValueError("months must be a number of 0 or more")
            if plan["from_role"] == plan["to_role"]:
                return "no switch"
            t = load_table("career_switch_timelines")
            row = t[(t["from_role"] == plan["from_role"]) & (t["to_role"] == plan["to_role"])]
            if row.empty:
                raise ValueError("no timeline for this move")
            low, high = row["min_months"].iloc[0], row["max_months"].iloc[0]
            if low < months < high:
                return "realistic"
            return "too short" if months <= low else "longer than needed"
        """,
    ),
    (
        "judge_switch_plan",
        "never checks the months: a negative or written number is judged anyway",
        """
        def judge_switch_plan(plan):
            if not isinstance(plan, dict) or not {"from_role", "to_role", "months"} <= set(plan):
                raise ValueError("a plan needs from_role, to_role and months")
            if plan["from_role"] == plan["to_role"]:
                return "no switch"
            t = load_table("career_switch_timelines")
            row = t[(t["from_role"] == plan["from_role"]) & (t["to_role"] == plan["to_role"])]
            if row.empty:
                raise ValueError("no timeline for this move")
            low, high = row["min_months"].iloc[0], row["max_months"].iloc[0]
            months = float(plan["months"]) if str(plan["months"]).replace(".", "").isdigit() else 0
            if months < low:
                return "too short"
            return "realistic" if months <= high else "longer than needed"
        """,
    ),
    (
        "judge_switch_plan",
        "only checks that a plan is not too short",
        """
        def judge_switch_plan(plan):
            if not isinstance(plan, dict) or not {"from_role", "to_role", "months"} <= set(plan):
                raise ValueError("a plan needs from_role, to_role and months")
            months = plan["months"]
            if isinstance(months, bool) or not isinstance(months, (int, float)) or months < 0:
                raise ValueError("months must be a number of 0 or more")
            if plan["from_role"] == plan["to_role"]:
                return "no switch"
            t = load_table("career_switch_timelines")
            row = t[(t["from_role"] == plan["from_role"]) & (t["to_role"] == plan["to_role"])]
            if row.empty:
                raise ValueError("no timeline for this move")
            return "too short" if months < row["min_months"].iloc[0] else "realistic"
        """,
    ),
]

RIGHT = [
    (
        "check_claims",
        "a dict from each lower-cased prediction to its rows, and a helper per claim",
        """
        def check_claims(claims):
            missing = [column for column in ("role", "claim") if column not in claims.columns]
            if missing:
                raise ValueError(f"claims is missing the column(s) {missing}")
            predictions = load_table("future_predictions")
            where = {}
            for role, text, headed in zip(predictions["role"], predictions["prediction"], predictions["heading_in_seed"]):
                where.setdefault(text.strip().lower(), {})[role] = headed

            def verdict(role, claim):
                if role not in ("ML Engineer", "AI Engineer"):
                    raise ValueError(f"{role!r} is not a role the article predicts for")
                found = where.get(claim.strip().lower(), {})
                if role in found:
                    return "predicted" if found[role] else "course's reading"
                return "other role" if found else "not predicted"

            return [verdict(role, claim) for role, claim in zip(claims["role"], claims["claim"])]
        """,
    ),
    (
        "check_claims",
        "pandas: a left merge of the claims on a lower-cased key",
        """
        def check_claims(claims):
            if not {"role", "claim"} <= set(claims.columns):
                raise ValueError("the claims table needs the columns role and claim")
            bad_roles = set(claims["role"]) - {"ML Engineer", "AI Engineer"}
            if bad_roles:
                raise ValueError(f"unknown roles: {sorted(bad_roles)}")
            predictions = load_table("future_predictions")
            predictions = predictions.assign(key=predictions["prediction"].str.strip().str.casefold())
            asked = claims.reset_index(drop=True).assign(key=lambda t: t["claim"].str.strip().str.casefold())
            same_role = asked.merge(predictions, on=["key", "role"], how="left")
            any_role = set(predictions["key"])
            result = []
            for key, headed in zip(same_role["key"], same_role["heading_in_seed"]):
                if headed is True or headed == True:
                    result.append("predicted")
                elif headed is False or headed == False:
                    result.append("course's reading")
                elif key in any_role:
                    result.append("other role")
                else:
                    result.append("not predicted")
            return result
        """,
    ),
    (
        "advice_for",
        "sets of draws per role and set intersections",
        """
        def advice_for(drawn_to):
            if type(drawn_to) is not list:
                raise ValueError("advice_for expects a list")
            for item in drawn_to:
                if not isinstance(item, str):
                    raise ValueError(f"{item!r} is not text")
            ml = {"the science of machine learning", "training", "optimization", "architecture"}
            ai = {"building ai-powered products", "applications", "user experiences", "integration"}
            named = {item.strip().casefold() for item in drawn_to}
            ml_count, ai_count = len(named & ml), len(named & ai)
            if ml_count > ai_count:
                return "ML Engineer"
            if ai_count > ml_count:
                return "AI Engineer"
            return "Undecided"
        """,
    ),
    (
        "advice_for",
        "the advice table with isin and value_counts",
        """
        def advice_for(drawn_to):
            if not isinstance(drawn_to, list) or any(not isinstance(x, str) for x in drawn_to):
                raise ValueError("drawn_to should be a list of strings")
            advice_table = pd.DataFrame(
                {
                    "role": ["ML Engineer"] * 4 + ["AI Engineer"] * 4,
                    "draw": [
                        "the science of machine learning", "training", "optimization", "architecture",
                        "building AI-powered products", "applications", "user experiences", "integration",
                    ],
                }
            )
            named = pd.Series(drawn_to, dtype=object).str.strip().str.lower().unique()
            counts = advice_table[advice_table["draw"].str.lower().isin(named)]["role"].value_counts()
            ml, ai = counts.get("ML Engineer", 0), counts.get("AI Engineer", 0)
            return "Undecided" if ml == ai else ("ML Engineer" if ml > ai else "AI Engineer")
        """,
    ),
    (
        "judge_switch_plan",
        "the article's two timelines written into the answer",
        """
        TIMELINES = {("ML Engineer", "AI Engineer"): (1, 3), ("AI Engineer", "ML Engineer"): (6, 12)}

        def judge_switch_plan(plan):
            try:
                start, goal, months = plan["from_role"], plan["to_role"], plan["months"]
            except (KeyError, TypeError) as error:
                raise ValueError(f"a plan needs from_role, to_role and months ({error})") from None
            if isinstance(months, bool) or not isinstance(months, (int, float)):
                raise ValueError(f"months must be a number, not {months!r}")
            if months < 0:
                raise ValueError("months cannot be negative")
            if start == goal:
                return "no switch"
            if (start, goal) not in TIMELINES:
                raise ValueError(f"the article has no timeline from {start} to {goal}")
            shortest, longest = TIMELINES[(start, goal)]
            if months < shortest:
                return "too short"
            if months > longest:
                return "longer than needed"
            return "realistic"
        """,
    ),
    (
        "judge_switch_plan",
        "a loop over the timeline table's rows",
        """
        import numbers

        def judge_switch_plan(plan):
            if not isinstance(plan, dict):
                raise ValueError("plan should be a dict")
            for key in ("from_role", "to_role", "months"):
                if key not in plan:
                    raise ValueError(f"plan has no {key!r}")
            if not isinstance(plan["months"], numbers.Real) or isinstance(plan["months"], bool) or plan["months"] < 0:
                raise ValueError(f"months: {plan['months']!r} is not a number of 0 or more")
            if plan["from_role"] == plan["to_role"]:
                return "no switch"
            for row in load_table("career_switch_timelines").itertuples():
                if (row.from_role, row.to_role) == (plan["from_role"], plan["to_role"]):
                    if plan["months"] < row.min_months:
                        return "too short"
                    if plan["months"] > row.max_months:
                        return "longer than needed"
                    return "realistic"
            raise ValueError(f"no timeline in the article for {plan['from_role']} -> {plan['to_role']}")
        """,
    ),
]
