"""Answers to module 03's graded tasks, as learners could write them, run against its test cells.

WRONG: (task, what is wrong, code): passes the visible tests, must fail the hidden ones.
RIGHT: (task, how it differs, code): a correct answer written another way; must pass every test.
"""

MODULE = "03-pay-and-the-job-market"

WRONG = [
    (
        "whose_market",
        "lower-cases the notes but does not strip the spaces at their ends",
        """
        def whose_market(notes):
            if not isinstance(notes, list) or not notes or not all(isinstance(n, str) for n in notes):
                raise ValueError("notes must be a non-empty list of strings")
            items = pd.concat([
                load_table("market_trends").rename(columns={"trend": "item"}),
                load_table("hiring_sectors").rename(columns={"sector": "item"}),
            ])
            role_of = dict(zip(items["item"].str.lower(), items["role"]))
            found = {"ML Engineer": [], "AI Engineer": []}
            for note in notes:
                role = role_of.get(note.lower())
                if role:
                    found[role].append(note)
            if len(found["ML Engineer"]) == len(found["AI Engineer"]):
                return {"role": "Undecided", "evidence": []}
            role = max(found, key=lambda r: len(found[r]))
            return {"role": role, "evidence": found[role]}
        """,
    ),
    (
        "whose_market",
        "counts a note that names a role (a job title) for that role",
        """
        def whose_market(notes):
            if not isinstance(notes, list) or not notes or not all(isinstance(n, str) for n in notes):
                raise ValueError("notes must be a non-empty list of strings")
            items = pd.concat([
                load_table("market_trends").rename(columns={"trend": "item"}),
                load_table("hiring_sectors").rename(columns={"sector": "item"}),
            ])
            role_of = dict(zip(items["item"].str.lower(), items["role"]))
            found = {"ML Engineer": [], "AI Engineer": []}
            for note in notes:
                role = role_of.get(note.strip().lower())
                for title in ("ML Engineer", "AI Engineer"):
                    if title.lower() in note.lower():
                        role = title
                if role:
                    found[role].append(note)
            if len(found["ML Engineer"]) == len(found["AI Engineer"]):
                return {"role": "Undecided", "evidence": []}
            role = max(found, key=lambda r: len(found[r]))
            return {"role": role, "evidence": found[role]}
        """,
    ),
    (
        "whose_market",
        "matches the notes case-sensitively and without stripping spaces",
        """
        def whose_market(notes):
            if not isinstance(notes, list) or not notes or not all(isinstance(n, str) for n in notes):
                raise ValueError("notes must be a non-empty list of strings")
            trends, sectors = load_table("market_trends"), load_table("hiring_sectors")
            role_of = {**dict(zip(trends["trend"], trends["role"])), **dict(zip(sectors["sector"], sectors["role"]))}
            found = {"ML Engineer": [], "AI Engineer": []}
            for note in notes:
                if note in role_of:
                    found[role_of[note]].append(note)
            if len(found["ML Engineer"]) == len(found["AI Engineer"]):
                return {"role": "Undecided", "evidence": []}
            role = max(found, key=lambda r: len(found[r]))
            return {"role": role, "evidence": found[role]}
        """,
    ),
    (
        "whose_market",
        "cites the items as the table writes them, in the table's order",
        """
        def whose_market(notes):
            if not isinstance(notes, list) or not notes or not all(isinstance(n, str) for n in notes):
                raise ValueError("notes must be a non-empty list of strings")
            items = pd.concat([
                load_table("hiring_sectors").rename(columns={"sector": "item"}),
                load_table("market_trends").rename(columns={"trend": "item"}),
            ])
            wanted = {note.strip().lower() for note in notes}
            hits = items[items["item"].str.lower().isin(wanted)]
            counts = hits["role"].value_counts()
            if counts.get("ML Engineer", 0) == counts.get("AI Engineer", 0):
                return {"role": "Undecided", "evidence": []}
            role = counts.idxmax()
            return {"role": role, "evidence": hits.loc[hits["role"] == role, "item"].tolist()}
        """,
    ),
    (
        "whose_market",
        "counts a note when it merely mentions a word of an item",
        """
        def whose_market(notes):
            if not isinstance(notes, list) or not notes or not all(isinstance(n, str) for n in notes):
                raise ValueError("notes must be a non-empty list of strings")
            items = pd.concat([
                load_table("market_trends").rename(columns={"trend": "item"}),
                load_table("hiring_sectors").rename(columns={"sector": "item"}),
            ])
            found = {"ML Engineer": [], "AI Engineer": []}
            for note in notes:
                words = set(note.lower().replace(",", " ").split())
                for role in found:
                    listed = items.loc[items["role"] == role, "item"].str.lower()
                    if any(words & set(item.replace(",", " ").split()) for item in listed):
                        found[role].append(note)
                        break
            if len(found["ML Engineer"]) == len(found["AI Engineer"]):
                return {"role": "Undecided", "evidence": []}
            role = max(found, key=lambda r: len(found[r]))
            return {"role": role, "evidence": found[role]}
        """,
    ),
    (
        "ml_premium",
        "raises for a missing band, but the message does not name the level",
        """
        def ml_premium(compensation_table):
            table = compensation_table.assign(mid=(compensation_table["low_usd"] + compensation_table["high_usd"]) / 2)
            wide = table.pivot_table(index=["level_rank", "level"], columns="role", values="mid")
            if wide.isna().any().any() or wide.shape[1] < 2:
                raise ValueError("a band is missing")
            premium = (wide["ML Engineer"] - wide["AI Engineer"]) / wide["AI Engineer"] * 100
            return premium.droplevel("level_rank")
        """,
    ),
]

RIGHT = [
    (
        "ml_premium",
        "a loop over the levels in rank order, building a dict",
        """
        def ml_premium(compensation_table):
            table = compensation_table.copy()
            table["mid"] = (table["low_usd"] + table["high_usd"]) / 2
            values = {}
            for (rank, level), rows in table.sort_values("level_rank").groupby(["level_rank", "level"], sort=True):
                mids = dict(zip(rows["role"], rows["mid"]))
                if "ML Engineer" not in mids or "AI Engineer" not in mids:
                    raise ValueError(f"Level {level} lacks a band for one of the roles")
                values[level] = (mids["ML Engineer"] - mids["AI Engineer"]) / mids["AI Engineer"] * 100
            return pd.Series(values)
        """,
    ),
    (
        "ml_premium",
        "two selections merged on the level",
        """
        def ml_premium(compensation_table):
            mid = compensation_table.assign(mid=compensation_table[["low_usd", "high_usd"]].mean(axis=1))
            ml = mid[mid["role"] == "ML Engineer"][["level", "level_rank", "mid"]]
            ai = mid[mid["role"] == "AI Engineer"][["level", "mid"]]
            both = ml.merge(ai, on="level", how="outer", suffixes=("_ml", "_ai"))
            if both[["mid_ml", "mid_ai"]].isna().any().any():
                missing = both.loc[both[["mid_ml", "mid_ai"]].isna().any(axis=1), "level"].tolist()
                raise ValueError(f"missing bands at {missing}")
            both = both.sort_values("level_rank")
            return pd.Series(((both["mid_ml"] - both["mid_ai"]) / both["mid_ai"] * 100).values, index=both["level"])
        """,
    ),
    (
        "whose_market",
        "a loop over both tables' rows into a dict of lists",
        """
        def whose_market(notes):
            if not isinstance(notes, list):
                raise ValueError("notes should be a list")
            if len(notes) == 0:
                raise ValueError("there are no notes")
            if any(type(note) is not str for note in notes):
                raise ValueError("every note should be a string")
            lists = {}
            for table, column in [(load_table("market_trends"), "trend"), (load_table("hiring_sectors"), "sector")]:
                for role, item in zip(table["role"], table[column]):
                    lists[item.lower()] = role
            evidence = {}
            for note in notes:
                key = note.strip().lower()
                if key in lists:
                    evidence.setdefault(lists[key], []).append(note)
            ml = len(evidence.get("ML Engineer", []))
            ai = len(evidence.get("AI Engineer", []))
            if ml > ai:
                return {"role": "ML Engineer", "evidence": evidence["ML Engineer"]}
            if ai > ml:
                return {"role": "AI Engineer", "evidence": evidence["AI Engineer"]}
            return {"role": "Undecided", "evidence": []}
        """,
    ),
    (
        "whose_market",
        "pandas: the notes as a Series, mapped to roles with a lookup Series",
        """
        def whose_market(notes):
            if not isinstance(notes, list) or not notes or not all(isinstance(note, str) for note in notes):
                raise ValueError("whose_market needs a non-empty list of notes (strings)")
            trends = load_table("market_trends").set_index("trend")["role"]
            sectors = load_table("hiring_sectors").set_index("sector")["role"]
            lookup = pd.concat([trends, sectors])
            lookup.index = lookup.index.str.strip().str.casefold()
            said = pd.Series(notes)
            roles = said.str.strip().str.casefold().map(lookup)
            counts = roles.value_counts()
            if counts.get("ML Engineer", 0) == counts.get("AI Engineer", 0):
                return {"role": "Undecided", "evidence": []}
            role = counts.idxmax()
            return {"role": role, "evidence": said[roles == role].tolist()}
        """,
    ),
    (
        "posted_premium",
        "a loop over the levels with the median of plain lists",
        """
        import statistics

        def posted_premium(postings_table, level_order):
            for role in ("ML Engineer", "AI Engineer"):
                if role not in set(postings_table["role"]):
                    raise ValueError(f"No {role} postings in the table")
            values = []
            for level in level_order:
                medians = {}
                for role in ("ML Engineer", "AI Engineer"):
                    rows = postings_table[(postings_table["level"] == level) & (postings_table["role"] == role)]
                    mids = [(low + high) / 2 for low, high in zip(rows["salary_low_usd"], rows["salary_high_usd"])]
                    medians[role] = statistics.median(mids) if mids else float("nan")
                values.append(medians["ML Engineer"] - medians["AI Engineer"])
            return pd.Series(values, index=level_order)
        """,
    ),
    (
        "posted_premium",
        "groupby with two keys and unstack",
        """
        def posted_premium(postings_table, level_order):
            present = set(postings_table["role"])
            missing = [role for role in ("ML Engineer", "AI Engineer") if role not in present]
            if missing:
                raise ValueError(f"cannot compare: no postings for {missing[0]}")
            mid = (postings_table["salary_low_usd"] + postings_table["salary_high_usd"]) / 2
            medians = mid.groupby([postings_table["level"], postings_table["role"]]).median().unstack("role")
            medians = medians.reindex(level_order)
            return medians["ML Engineer"] - medians["AI Engineer"]
        """,
    ),
]
