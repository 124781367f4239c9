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
        def suggest_role(choose_table, agreed):
            role_of = dict(zip(choose_table["statement"].str.lower(), choose_table["role"], strict=True))
            picked = [statement.strip().lower() for statement in agreed]
            for statement in picked:
                if statement not in role_of:
                    raise ValueError(statement)
            counts = pd.Series([role_of[s] for s in picked], dtype=object).value_counts()
            if counts.empty or (len(counts) > 1 and counts.iloc[0] == counts.iloc[1]):
                return "Either"
            return counts.index[0]
        """,
    ),
    (
        "suggest_role",
        "hard-codes the two role names",
        """
        def suggest_role(choose_table, agreed):
            role_of = dict(zip(choose_table["statement"].str.lower(), choose_table["role"], strict=True))
            picked = {statement.strip().lower() for statement in agreed}
            for statement in picked:
                if statement not in role_of:
                    raise ValueError(statement)
            ml = sum(role_of[s] == "ML Engineer" for s in picked)
            ai = sum(role_of[s] == "AI Engineer" for s in picked)
            return "ML Engineer" if ml > ai else "AI Engineer" if ai > ml else "Either"
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
        "interview_prep",
        "drops the last topic instead of the research-only one",
        """
        def interview_prep(topics_table, role, research_focused=False):
            rows = topics_table[topics_table["role"] == role].sort_values("rank")
            if rows.empty:
                raise ValueError(role)
            topics = rows["topic"].tolist()
            return topics if research_focused else topics[:4]
        """,
    ),
    (
        "interview_prep",
        "puts the research-only topic last instead of in its rank",
        """
        def interview_prep(topics_table, role, research_focused=False):
            rows = topics_table[topics_table["role"] == role].sort_values("rank")
            if rows.empty:
                raise ValueError(role)
            research = rows["topic"].str.contains("research-focused", regex=False)
            topics = rows[~research]["topic"].tolist()
            return topics + rows[research]["topic"].tolist() if research_focused else topics
        """,
    ),
]

RIGHT = []
