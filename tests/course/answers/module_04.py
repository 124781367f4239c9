"""Answers to module 04's graded tasks, as learners could write them, run against its test cells.

WRONG: (task, what is wrong, code): passes the visible tests, must fail the hidden ones.
RIGHT: (task, how it differs, code): a correct answer written another way; must pass every test.
"""

MODULE = "04-overlap-and-the-blurring-line"

WRONG = [
    (
        "skills_to_learn",
        "hard-codes the visible test's list",
        """
        def skills_to_learn(skills_table, known_skills, target_role):
            if target_role not in ("ML Engineer", "AI Engineer"):
                raise ValueError(target_role)
            return [
                "Software engineering fundamentals",
                "Cloud platforms (AWS, GCP)",
                "Data processing abilities",
                "Production mindset",
                "LLM APIs (OpenAI, Anthropic)",
                "RAG systems and vector databases",
                "Application development (FastAPI, web frameworks)",
                "Evaluation frameworks for LLM outputs",
                "Fine-tuning (LoRA, full fine-tuning)",
                "Agent frameworks (LangChain, LlamaIndex)",
                "Production LLM deployment",
                "Multi-modal applications",
                "Cost optimization",
            ]
        """,
    ),
    (
        "needs_at_level",
        "fixes the draft's three mistakes but accepts a role with no own list",
        """
        def needs_at_level(skills_table, role, level):
            if level not in ("Junior", "Mid", "Senior", "Staff"):
                raise ValueError(level)
            rows = skills_table[skills_table["role"] == role]
            shared = skills_table[skills_table["skill_list"] == "overlap"]
            parts = [shared, rows[rows["skill_list"] == "required"]]
            if level in ("Senior", "Staff"):
                parts.append(rows[rows["skill_list"] == "senior_blurring"])
            return [skill for part in parts for skill in part.sort_values("rank")["skill"]]
        """,
    ),
    (
        "classify_posting",
        "counts the blurring-line rows as evidence",
        """
        def classify_posting(skills_table, posting):
            wanted = {skill.strip().lower() for skill in posting["skills"].split(";")}
            rows = skills_table[skills_table["skill_list"] != "overlap"]
            counts = rows[rows["skill"].str.lower().isin(wanted)]["role"].value_counts()
            if counts.empty:
                return "Unclear"
            if len(counts) > 1 and counts.iloc[0] == counts.iloc[1]:
                return "Both"
            return counts.index[0]
        """,
    ),
    (
        "classify_posting",
        "counts a repeated skill twice",
        """
        def classify_posting(skills_table, posting):
            own = skills_table[skills_table["skill_list"] == "required"]
            role_of = dict(zip(own["skill"].str.lower(), own["role"], strict=True))
            counts = {}
            for skill in posting["skills"].split(";"):
                role = role_of.get(skill.strip().lower())
                if role:
                    counts[role] = counts.get(role, 0) + 1
            if not counts:
                return "Unclear"
            top = sorted(counts.values(), reverse=True)
            if len(top) > 1 and top[0] == top[1]:
                return "Both"
            return max(counts, key=counts.get)
        """,
    ),
    (
        "classify_posting",
        "hard-codes the two role names",
        """
        def classify_posting(skills_table, posting):
            wanted = {skill.strip().lower() for skill in posting["skills"].split(";")}
            own = skills_table[skills_table["skill_list"] == "required"]
            roles = own[own["skill"].str.lower().isin(wanted)]["role"]
            ml, ai = (roles == "ML Engineer").sum(), (roles == "AI Engineer").sum()
            if ml == ai == 0:
                return "Unclear"
            return "ML Engineer" if ml > ai else "AI Engineer" if ai > ml else "Both"
        """,
    ),
    (
        "classify_posting",
        "splits on '; ' without stripping spaces",
        """
        def classify_posting(skills_table, posting):
            wanted = {skill.lower() for skill in posting["skills"].split("; ")}
            own = skills_table[skills_table["skill_list"] == "required"]
            counts = own[own["skill"].str.lower().isin(wanted)]["role"].value_counts()
            if counts.empty:
                return "Unclear"
            if len(counts) > 1 and counts.iloc[0] == counts.iloc[1]:
                return "Both"
            return counts.index[0]
        """,
    ),
]

RIGHT = []
