"""Answers to module 02's graded tasks, as learners could write them, run against its test cells.

WRONG: (task, what is wrong, code): passes the visible tests, must fail the hidden ones.
RIGHT: (task, how it differs, code): a correct answer written another way; must pass every test.
"""

MODULE = "02-skills-and-a-typical-day"

WRONG = [
    (
        "whose_week",
        "counts a line for the role a meeting's name mentions",
        """
        def whose_week(calendar):
            if not isinstance(calendar, list) or not calendar or not all(isinstance(l, str) for l in calendar):
                raise ValueError("a calendar is a non-empty list of strings")
            clues = {
                "ML Engineer": ["training", "model", "feature engineering", "A/B", "drift", "retrain", "latency"],
                "AI Engineer": ["LLM", "RAG", "prompt", "chunking", "guardrails", "token", "chatbot", "AI capability"],
            }
            roles = []
            for line in calendar:
                named = [role for role in clues if role in line]
                if named:
                    roles.append(named[0])
                    continue
                counts = {role: sum(w.lower() in line.lower() for w in words) for role, words in clues.items()}
                top = max(counts.values())
                leaders = [role for role, count in counts.items() if count == top]
                roles.append(leaders[0] if top and len(leaders) == 1 else None)
            ml, ai = roles.count("ML Engineer"), roles.count("AI Engineer")
            if ml == ai:
                return {"role": "Undecided", "other_role_items": []}
            week = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": week, "other_role_items": [n for n, r in enumerate(roles, 1) if r and r != week]}
        """,
    ),
    (
        "whose_week",
        "counts clue words over the whole week instead of lines",
        """
        def whose_week(calendar):
            if not isinstance(calendar, list) or not calendar or not all(isinstance(l, str) for l in calendar):
                raise ValueError("a calendar is a non-empty list of strings")
            clues = {
                "ML Engineer": ["training", "model", "feature engineering", "A/B", "drift", "retrain", "latency"],
                "AI Engineer": ["LLM", "RAG", "prompt", "chunking", "guardrails", "token", "chatbot", "AI capability"],
            }
            def counts(line):
                return {role: sum(w.lower() in line.lower() for w in words) for role, words in clues.items()}
            totals = {role: sum(counts(line)[role] for line in calendar) for role in clues}
            if totals["ML Engineer"] == totals["AI Engineer"]:
                return {"role": "Undecided", "other_role_items": []}
            week = max(totals, key=totals.get)
            other = [n for n, line in enumerate(calendar, 1)
                     if max(counts(line), key=counts(line).get) != week and len(set(counts(line).values())) > 1]
            return {"role": week, "other_role_items": other}
        """,
    ),
    (
        "whose_week",
        "lists every line that is not the week's role, ties and lines without clues too",
        """
        def whose_week(calendar):
            if not isinstance(calendar, list) or not calendar or not all(isinstance(l, str) for l in calendar):
                raise ValueError("a calendar is a non-empty list of strings")
            clues = {
                "ML Engineer": ["training", "model", "feature engineering", "A/B", "drift", "retrain", "latency"],
                "AI Engineer": ["LLM", "RAG", "prompt", "chunking", "guardrails", "token", "chatbot", "AI capability"],
            }
            roles = []
            for line in calendar:
                counts = {role: sum(w.lower() in line.lower() for w in words) for role, words in clues.items()}
                top = max(counts.values())
                leaders = [role for role, count in counts.items() if count == top]
                roles.append(leaders[0] if top and len(leaders) == 1 else None)
            ml, ai = roles.count("ML Engineer"), roles.count("AI Engineer")
            if ml == ai:
                return {"role": "Undecided", "other_role_items": []}
            week = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": week, "other_role_items": [n for n, r in enumerate(roles, 1) if r != week]}
        """,
    ),
    (
        "whose_week",
        "matches the clue words case-sensitively",
        """
        def whose_week(calendar):
            if not isinstance(calendar, list) or not calendar or not all(isinstance(l, str) for l in calendar):
                raise ValueError("a calendar is a non-empty list of strings")
            clues = {
                "ML Engineer": ["training", "model", "feature engineering", "A/B", "drift", "retrain", "latency"],
                "AI Engineer": ["LLM", "RAG", "prompt", "chunking", "guardrails", "token", "chatbot", "AI capability"],
            }
            roles = []
            for line in calendar:
                counts = {role: sum(w in line for w in words) for role, words in clues.items()}
                top = max(counts.values())
                leaders = [role for role, count in counts.items() if count == top]
                roles.append(leaders[0] if top and len(leaders) == 1 else None)
            ml, ai = roles.count("ML Engineer"), roles.count("AI Engineer")
            if ml == ai:
                return {"role": "Undecided", "other_role_items": []}
            week = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": week, "other_role_items": [n for n, r in enumerate(roles, 1) if r and r != week]}
        """,
    ),
    (
        "whose_week",
        "reads a single string as a calendar of characters",
        """
        def whose_week(calendar):
            if len(calendar) == 0:
                raise ValueError("empty calendar")
            clues = {
                "ML Engineer": ["training", "model", "feature engineering", "A/B", "drift", "retrain", "latency"],
                "AI Engineer": ["LLM", "RAG", "prompt", "chunking", "guardrails", "token", "chatbot", "AI capability"],
            }
            roles = []
            for line in calendar:
                counts = {role: sum(w.lower() in str(line).lower() for w in words) for role, words in clues.items()}
                top = max(counts.values())
                leaders = [role for role, count in counts.items() if count == top]
                roles.append(leaders[0] if top and len(leaders) == 1 else None)
            ml, ai = roles.count("ML Engineer"), roles.count("AI Engineer")
            if ml == ai:
                return {"role": "Undecided", "other_role_items": []}
            week = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": week, "other_role_items": [n for n, r in enumerate(roles, 1) if r and r != week]}
        """,
    ),
    (
        "whose_skill",
        "keeps the old word 'Both' for a skill on two own lists",
        """
        def whose_skill(skills_table, skill):
            own = skills_table[skills_table["skill_list"] == "required"]
            roles = own.loc[own["skill"].str.lower() == skill.strip().lower(), "role"].unique()
            if len(roles) == 0:
                raise ValueError(f"{skill!r} is on no role's own list")
            return "Both" if len(roles) > 1 else str(roles[0])
        """,
    ),
    (
        "tool_roles",
        "returns an empty dict for a table with no own lists instead of raising",
        """
        def tool_roles(skills_table):
            own = skills_table[skills_table["skill_list"] == "required"]
            roles = {}
            for role, skill in zip(own["role"], own["skill"]):
                if "(" in skill:
                    for tool in skill.split("(", 1)[1].rstrip(")").split(", "):
                        roles[tool] = role if roles.get(tool, role) == role else "Undecided"
            return roles
        """,
    ),
]

RIGHT = [
    (
        "whose_skill",
        "a loop over the rows, collecting roles in a set",
        """
        def whose_skill(skills_table, skill):
            wanted = skill.strip().lower()
            roles = set()
            for role, skill_list, name in zip(skills_table["role"], skills_table["skill_list"], skills_table["skill"]):
                if skill_list == "required" and name.strip().lower() == wanted:
                    roles.add(role)
            if not roles:
                raise ValueError(f"No role's own list holds {skill!r}")
            if len(roles) > 1:
                return "Undecided"
            return roles.pop()
        """,
    ),
    (
        "whose_skill",
        "query on a lower-cased column and nunique",
        """
        def whose_skill(skills_table, skill):
            table = skills_table.assign(lowered=skills_table["skill"].str.strip().str.casefold())
            hits = table.query("skill_list == 'required' and lowered == @skill.strip().casefold()")
            if hits.empty:
                raise ValueError(f"{skill} is not in any role's own list")
            return hits["role"].iloc[0] if hits["role"].nunique() == 1 else "Undecided"
        """,
    ),
    (
        "tool_roles",
        "a regular expression for the brackets and a dict of sets",
        """
        import re

        def tool_roles(skills_table):
            own = skills_table[skills_table["skill_list"] == "required"]
            if len(own) == 0:
                raise ValueError("no rows with skill_list 'required'")
            seen = {}
            for _, row in own.iterrows():
                match = re.search(r"\\((.*)\\)", row["skill"])
                if match:
                    for name in match.group(1).split(", "):
                        seen.setdefault(name.strip(), set()).add(row["role"])
            return {name: roles.pop() if len(roles) == 1 else "Undecided" for name, roles in seen.items()}
        """,
    ),
    (
        "tool_roles",
        "str.extract, explode and a groupby with nunique",
        """
        def tool_roles(skills_table):
            own = skills_table.loc[skills_table["skill_list"].eq("required")]
            if own.empty:
                raise ValueError("this table has no own lists")
            names = own.assign(name=own["skill"].str.extract(r"\\(([^)]*)\\)")[0].str.split(", ")).explode("name")
            names = names.dropna(subset=["name"])
            grouped = names.groupby("name")["role"].agg(lambda roles: roles.iloc[0] if roles.nunique() == 1 else "Undecided")
            return {str(name): str(role) for name, role in grouped.items()}
        """,
    ),
    (
        "whose_week",
        "a helper per line with Counter, and enumerate from 1",
        """
        from collections import Counter

        CLUES = {
            "ML Engineer": ["training", "model", "feature engineering", "A/B", "drift", "retrain", "latency"],
            "AI Engineer": ["LLM", "RAG", "prompt", "chunking", "guardrails", "token", "chatbot", "AI capability"],
        }

        def role_of_line(line):
            found = {role: len([w for w in words if w.casefold() in line.casefold()]) for role, words in CLUES.items()}
            ml, ai = found["ML Engineer"], found["AI Engineer"]
            if ml > ai:
                return "ML Engineer"
            if ai > ml:
                return "AI Engineer"
            return None

        def whose_week(calendar):
            if type(calendar) is not list or len(calendar) == 0:
                raise ValueError("calendar must be a non-empty list")
            for line in calendar:
                if not isinstance(line, str):
                    raise ValueError(f"{line!r} is not a line of text")
            roles = [role_of_line(line) for line in calendar]
            tally = Counter(role for role in roles if role)
            if tally["ML Engineer"] == tally["AI Engineer"]:
                return {"role": "Undecided", "other_role_items": []}
            week = tally.most_common(1)[0][0]
            return {"role": week, "other_role_items": [i + 1 for i, r in enumerate(roles) if r and r != week]}
        """,
    ),
    (
        "whose_week",
        "pandas: a table of clue counts per line, then idxmax and value_counts",
        """
        def whose_week(calendar):
            if not isinstance(calendar, list) or len(calendar) == 0:
                raise ValueError("whose_week needs a non-empty list of lines")
            if any(not isinstance(line, str) for line in calendar):
                raise ValueError("a line of the calendar is not a string")
            clues = {
                "ML Engineer": ["training", "model", "feature engineering", "A/B", "drift", "retrain", "latency"],
                "AI Engineer": ["LLM", "RAG", "prompt", "chunking", "guardrails", "token", "chatbot", "AI capability"],
            }
            lines = pd.Series(calendar, index=range(1, len(calendar) + 1))
            counts = pd.DataFrame(
                {
                    role: sum(lines.str.contains(word, case=False, regex=False).astype(int) for word in words)
                    for role, words in clues.items()
                }
            )
            decided = counts[counts["ML Engineer"] != counts["AI Engineer"]]
            line_roles = decided.idxmax(axis=1)
            tally = line_roles.value_counts()
            ml, ai = tally.get("ML Engineer", 0), tally.get("AI Engineer", 0)
            if ml == ai:
                return {"role": "Undecided", "other_role_items": []}
            week = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": week, "other_role_items": [int(n) for n in line_roles[line_roles != week].index]}
        """,
    ),
]
