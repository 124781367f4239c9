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
        "blurring_line",
        "puts the AI engineer's own fine-tuning with the senior AI list",
        """
        def blurring_line(posting):
            if "skills" not in posting or not isinstance(posting["skills"], str):
                raise ValueError("no skills")
            skills = load_table("skills").sort_values("rank")
            wanted = {s.strip().lower() for s in posting["skills"].split(";")}
            found = skills[skills["skill"].str.lower().isin(wanted)]
            senior_ai = found[(found["role"] == "AI Engineer") & (found["skill"].str.contains("Fine-tuning|MLOps|model", case=False))]
            return {
                "overlap": found.loc[found["skill_list"] == "overlap", "skill"].tolist(),
                "senior_ai": senior_ai["skill"].tolist(),
                "senior_ml": found.loc[(found["skill_list"] == "senior_blurring") & (found["role"] == "ML Engineer"), "skill"].tolist(),
            }
        """,
    ),
    (
        "blurring_line",
        "reads both blurring-line lists as the senior AI engineer's",
        """
        def blurring_line(posting):
            if "skills" not in posting or not isinstance(posting["skills"], str):
                raise ValueError("no skills")
            skills = load_table("skills").sort_values("rank")
            wanted = {s.strip().lower() for s in posting["skills"].split(";")}
            found = skills[skills["skill"].str.lower().isin(wanted)]
            return {
                "overlap": found.loc[found["skill_list"] == "overlap", "skill"].tolist(),
                "senior_ai": found.loc[found["skill_list"] == "senior_blurring", "skill"].tolist(),
                "senior_ml": [],
            }
        """,
    ),
    (
        "blurring_line",
        "lists a skill the posting repeats twice",
        """
        def blurring_line(posting):
            if "skills" not in posting or not isinstance(posting["skills"], str):
                raise ValueError("no skills")
            table = load_table("skills")
            table = table.assign(key=table["skill"].str.lower())
            asked = pd.DataFrame({"key": [s.strip().lower() for s in posting["skills"].split(";")]})
            found = asked.merge(table, on="key").sort_values("rank", kind="stable")
            senior = found["skill_list"] == "senior_blurring"
            return {
                "overlap": found.loc[found["skill_list"] == "overlap", "skill"].tolist(),
                "senior_ai": found.loc[senior & (found["role"] == "AI Engineer"), "skill"].tolist(),
                "senior_ml": found.loc[senior & (found["role"] == "ML Engineer"), "skill"].tolist(),
            }
        """,
    ),
    (
        "classify_posting",
        "counts the blurring-line skills as evidence for the role the table gives them",
        """
        def classify_posting(posting):
            if "skills" not in posting or not isinstance(posting["skills"], str):
                raise ValueError("the posting has no skills")
            wanted = {skill.strip().lower() for skill in posting["skills"].split(";")}
            skills = load_table("skills")
            rows = skills[(skills["skill_list"] != "overlap") & skills["skill"].str.lower().isin(wanted)]
            counts = rows["role"].value_counts()
            ml, ai = counts.get("ML Engineer", 0), counts.get("AI Engineer", 0)
            if ml == ai:
                return {"role": "Undecided", "evidence": []}
            role = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": role, "evidence": rows.loc[rows["role"] == role, "skill"].tolist()}
        """,
    ),
    (
        "classify_posting",
        "counts a repeated skill twice",
        """
        def classify_posting(posting):
            if "skills" not in posting or not isinstance(posting["skills"], str):
                raise ValueError("the posting has no skills")
            skills = load_table("skills")
            own = skills[skills["skill_list"] == "required"]
            role_of = dict(zip(own["skill"].str.lower(), own["role"]))
            skill_of = dict(zip(own["skill"].str.lower(), own["skill"]))
            found = {"ML Engineer": [], "AI Engineer": []}
            for skill in posting["skills"].split(";"):
                key = skill.strip().lower()
                if key in role_of:
                    found[role_of[key]].append(skill_of[key])
            ml, ai = len(found["ML Engineer"]), len(found["AI Engineer"])
            if ml == ai:
                return {"role": "Undecided", "evidence": []}
            role = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": role, "evidence": sorted(set(found[role]))}
        """,
    ),
    (
        "classify_posting",
        "finds a table skill anywhere in the posting's text, so a longer skill holding it counts too",
        """
        def classify_posting(posting):
            if "skills" not in posting or not isinstance(posting["skills"], str):
                raise ValueError("the posting has no skills")
            text = posting["skills"].lower()
            skills = load_table("skills")
            own = skills[skills["skill_list"] == "required"]
            hits = own[[skill.lower() in text for skill in own["skill"]]]
            counts = hits["role"].value_counts()
            ml, ai = counts.get("ML Engineer", 0), counts.get("AI Engineer", 0)
            if ml == ai:
                return {"role": "Undecided", "evidence": []}
            role = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": role, "evidence": hits.loc[hits["role"] == role, "skill"].tolist()}
        """,
    ),
    (
        "classify_posting",
        "trusts a title that names a role when the skills are close",
        """
        def classify_posting(posting):
            if "skills" not in posting or not isinstance(posting["skills"], str):
                raise ValueError("the posting has no skills")
            wanted = {skill.strip().lower() for skill in posting["skills"].split(";")}
            skills = load_table("skills")
            own = skills[skills["skill_list"] == "required"]
            hits = own[own["skill"].str.lower().isin(wanted)]
            counts = hits["role"].value_counts()
            ml, ai = counts.get("ML Engineer", 0), counts.get("AI Engineer", 0)
            title = str(posting.get("title", ""))
            if abs(ml - ai) <= 1 and (ml or ai):
                for role in ("ML Engineer", "AI Engineer"):
                    if role in title:
                        return {"role": role, "evidence": hits.loc[hits["role"] == role, "skill"].tolist()}
            if ml == ai:
                return {"role": "Undecided", "evidence": []}
            role = "ML Engineer" if ml > ai else "AI Engineer"
            return {"role": role, "evidence": hits.loc[hits["role"] == role, "skill"].tolist()}
        """,
    ),
]

RIGHT = [
    (
        "skills_to_learn",
        "a loop over two parts with a set of known skills",
        """
        def skills_to_learn(skills_table, known_skills, target_role):
            own = skills_table[(skills_table["role"] == target_role) & (skills_table["skill_list"] == "required")]
            if len(own) == 0:
                raise ValueError(f"{target_role!r} has no own list in this table")
            known = set()
            for skill in known_skills:
                known.add(skill.strip().lower())
            result = []
            for part in (skills_table[skills_table["skill_list"] == "overlap"], own):
                for skill in part.sort_values("rank")["skill"]:
                    if skill.lower() not in known:
                        result.append(skill)
            return result
        """,
    ),
    (
        "skills_to_learn",
        "one sort on a part number and the rank, then ~isin",
        """
        def skills_to_learn(skills_table, known_skills, target_role):
            is_own = (skills_table["role"] == target_role) & (skills_table["skill_list"] == "required")
            if not is_own.any():
                raise ValueError("unknown target role: " + str(target_role))
            needed = skills_table[is_own | (skills_table["skill_list"] == "overlap")]
            needed = needed.assign(part=(needed["skill_list"] == "required").astype(int)).sort_values(["part", "rank"])
            known = [skill.strip().casefold() for skill in known_skills]
            return needed.loc[~needed["skill"].str.casefold().isin(known), "skill"].tolist()
        """,
    ),
    (
        "blurring_line",
        "a dict from each lower-cased skill to its list, and a loop in the table's order",
        """
        def blurring_line(posting):
            try:
                text = posting["skills"]
            except KeyError:
                raise ValueError("posting needs a 'skills' entry")
            if not isinstance(text, str):
                raise ValueError("posting['skills'] must be a string")
            asked = set()
            for skill in text.split(";"):
                asked.add(skill.strip().lower())
            result = {"overlap": [], "senior_ai": [], "senior_ml": []}
            table = load_table("skills").sort_values("rank")
            for role, skill_list, skill in zip(table["role"], table["skill_list"], table["skill"]):
                if skill.lower() not in asked:
                    continue
                if skill_list == "overlap":
                    result["overlap"].append(skill)
                elif skill_list == "senior_blurring" and role == "AI Engineer":
                    result["senior_ai"].append(skill)
                elif skill_list == "senior_blurring" and role == "ML Engineer":
                    result["senior_ml"].append(skill)
            return result
        """,
    ),
    (
        "blurring_line",
        "explode the posting into a Series and merge it with the table",
        """
        def blurring_line(posting):
            if "skills" not in posting.keys() or type(posting["skills"]) is not str:
                raise ValueError("a posting needs its skills as one text")
            asked = pd.Series(posting["skills"].split(";")).str.strip().str.casefold().drop_duplicates()
            table = load_table("skills")
            table = table.assign(key=table["skill"].str.casefold())
            found = table.merge(asked.rename("key"), on="key").sort_values("rank")
            def pick(skill_list, role=None):
                rows = found[found["skill_list"] == skill_list]
                if role:
                    rows = rows[rows["role"] == role]
                return list(rows["skill"])
            return {
                "overlap": pick("overlap"),
                "senior_ai": pick("senior_blurring", "AI Engineer"),
                "senior_ml": pick("senior_blurring", "ML Engineer"),
            }
        """,
    ),
    (
        "classify_posting",
        "a loop with a dict from lower-cased own-list skills to their rows",
        """
        def classify_posting(posting):
            if "skills" not in posting:
                raise ValueError("this posting has no skills")
            listed = posting["skills"]
            if not isinstance(listed, str):
                raise ValueError("the skills must be one text separated by ;")
            skills = load_table("skills")
            own = {}
            for role, skill_list, skill in zip(skills["role"], skills["skill_list"], skills["skill"]):
                if skill_list == "required":
                    own[skill.strip().lower()] = (role, skill)
            found = {}
            for item in set(part.strip().lower() for part in listed.split(";")):
                if item in own:
                    role, skill = own[item]
                    found.setdefault(role, []).append(skill)
            ml, ai = len(found.get("ML Engineer", [])), len(found.get("AI Engineer", []))
            if ml > ai:
                return {"role": "ML Engineer", "evidence": found["ML Engineer"]}
            if ai > ml:
                return {"role": "AI Engineer", "evidence": found["AI Engineer"]}
            return {"role": "Undecided", "evidence": []}
        """,
    ),
    (
        "classify_posting",
        "pandas: the posting's skills as a Series, drop_duplicates, isin, groupby",
        """
        def classify_posting(posting):
            try:
                listed = posting["skills"]
            except KeyError as missing:
                raise ValueError(f"missing {missing}") from None
            if not isinstance(listed, str):
                raise ValueError("skills should be a string")
            asked = pd.Series(listed.split(";")).str.strip().str.lower().drop_duplicates()
            skills = load_table("skills").query("skill_list == 'required'")
            hits = skills[skills["skill"].str.lower().isin(asked)]
            by_role = hits.groupby("role")["skill"].apply(list)
            counts = {role: len(by_role.get(role, [])) for role in ("ML Engineer", "AI Engineer")}
            if counts["ML Engineer"] == counts["AI Engineer"]:
                return {"role": "Undecided", "evidence": []}
            role = max(counts, key=counts.get)
            return {"role": role, "evidence": by_role[role]}
        """,
    ),
]
