"""Answers to module 08's graded tasks, as learners could write them, run against its test cells.

WRONG: (task, what is wrong, code): passes the visible tests, must fail the hidden ones.
RIGHT: (task, how it differs, code): a correct answer written another way; must pass every test.
"""

MODULE = "08-lab-a-day-as-an-ai-engineer"

WRONG = [
    (
        "hit_rate_at_k",
        "checks k but not the lists: no error for lists of different lengths or no questions",
        """
        def hit_rate_at_k(ranked_passages, answers, k):
            if k < 1:
                raise ValueError(k)
            hits = [
                any(answer.lower() in passage.lower() for passage in passages[:k])
                for passages, answer in zip(ranked_passages, answers)
            ]
            return sum(hits) / len(hits)
        """,
    ),
    (
        "hit_rate_at_k",
        "joins the first k passages into one text, so an answer may straddle two",
        """
        def hit_rate_at_k(ranked_passages, answers, k):
            if k < 1 or len(ranked_passages) != len(answers) or not answers:
                raise ValueError(k)
            hits = 0
            for passages, answer in zip(ranked_passages, answers):
                if answer.lower() in " ".join(passages[:k]).lower():
                    hits += 1
            return hits / len(answers)
        """,
    ),
    (
        "classify_chain",
        "fixes the temperature and the parser but leaves the passages after the posting",
        """
        def classify_chain(posting, client, retriever):
            passages = retriever.search(posting, k=3)
            prompt = (
                "Which role does this job posting describe: ML Engineer or AI Engineer? "
                "Judge by the work, not the title. "
                'Answer with one JSON object like {"role": "AI Engineer", "reasons": ["..."]}.\\n\\n'
                f"Posting:\\n{posting}\\n\\n"
                "Passages from the article that may help:\\n" + "\\n".join(p.text for p in passages)
            )
            reply = client.chat.completions.create(
                model="stand-in-small", messages=[{"role": "user", "content": prompt}], temperature=0
            )
            answer = json.loads(reply.choices[0].message.content)
            if answer.get("role") not in ("ML Engineer", "AI Engineer"):
                raise ValueError(answer)
            return {"role": answer["role"], "reasons": answer["reasons"]}
        """,
    ),
    (
        "classify_chain",
        "fixes the temperature and the order but still looks for a role's name anywhere in the text",
        """
        def classify_chain(posting, client, retriever):
            passages = "\\n".join(p.text for p in retriever.search(posting, k=3))
            prompt = (
                "Which role does this job posting describe: ML Engineer or AI Engineer? "
                "Judge by the work, not the title. "
                'Answer with one JSON object like {"role": "AI Engineer", "reasons": ["..."]}.\\n\\n'
                f"Passages from the article that may help:\\n{passages}\\n\\n"
                f"Posting:\\n{posting}"
            )
            reply = client.chat.completions.create(
                model="stand-in-small", messages=[{"role": "user", "content": prompt}], temperature=0
            )
            text = reply.choices[0].message.content
            if "ML Engineer" in text:
                return {"role": "ML Engineer", "reasons": [text]}
            if "AI Engineer" in text:
                return {"role": "AI Engineer", "reasons": [text]}
            raise ValueError(text)
        """,
    ),
    (
        "classify_chain",
        "parses the JSON but trusts whatever role it names",
        """
        def classify_chain(posting, client, retriever):
            passages = "\\n".join(p.text for p in retriever.search(posting, k=3))
            prompt = (
                "Which role does this job posting describe: ML Engineer or AI Engineer? "
                "Judge by the work, not the title. "
                'Answer with one JSON object like {"role": "AI Engineer", "reasons": ["..."]}.\\n\\n'
                f"Passages from the article that may help:\\n{passages}\\n\\n"
                f"Posting:\\n{posting}"
            )
            reply = client.chat.completions.create(
                model="stand-in-small", messages=[{"role": "user", "content": prompt}], temperature=0
            )
            answer = json.loads(reply.choices[0].message.content)
            return {"role": answer["role"], "reasons": answer["reasons"]}
        """,
    ),
    (
        "classify_chain",
        "hard-codes keyword rules for the visible postings instead of reading the model's answer",
        """
        def classify_chain(posting, client, retriever):
            ml_words = ("training", "Kubeflow", "serving", "TorchServe")
            role = "ML Engineer" if any(word in posting for word in ml_words) else "AI Engineer"
            return {"role": role, "reasons": [f"keywords of the {role} role"]}
        """,
    ),
    (
        "guarded_classify",
        "calls the model before checking the posting for an injection",
        """
        def guarded_classify(posting, call_model):
            text = call_model(redact_personal_data(posting))
            if find_prompt_injection(posting):
                return {"role": "needs human review", "reasons": ["prompt injection"]}
            try:
                return parse_reply(text)
            except ReplyError:
                return {"role": "needs human review", "reasons": ["invalid answer"]}
        """,
    ),
    (
        "guarded_classify",
        "sends the posting with its personal data",
        """
        def guarded_classify(posting, call_model):
            if find_prompt_injection(posting):
                return {"role": "needs human review", "reasons": ["prompt injection"]}
            try:
                return parse_reply(call_model(posting))
            except ReplyError:
                return {"role": "needs human review", "reasons": ["invalid answer"]}
        """,
    ),
    (
        "guarded_classify",
        "checks the answer with json.loads and the two labels instead of the schema",
        """
        def guarded_classify(posting, call_model):
            if find_prompt_injection(posting):
                return {"role": "needs human review", "reasons": ["prompt injection"]}
            try:
                answer = json.loads(call_model(redact_personal_data(posting)))
            except ValueError:
                return {"role": "needs human review", "reasons": ["invalid answer"]}
            if answer.get("role") not in ("ML Engineer", "AI Engineer"):
                return {"role": "needs human review", "reasons": ["invalid answer"]}
            return answer
        """,
    ),
    (
        "guarded_classify",
        "returns one shared dict for every injected posting",
        """
        PROMPT_INJECTION = {"role": "needs human review", "reasons": ["prompt injection"]}


        def guarded_classify(posting, call_model):
            if find_prompt_injection(posting):
                return PROMPT_INJECTION
            try:
                return parse_reply(call_model(redact_personal_data(posting)))
            except ReplyError:
                return {"role": "needs human review", "reasons": ["invalid answer"]}
        """,
    ),
    (
        "guarded_classify",
        "asks the model a second time when its first answer is invalid",
        """
        def guarded_classify(posting, call_model):
            if find_prompt_injection(posting):
                return {"role": "needs human review", "reasons": ["prompt injection"]}
            text = redact_personal_data(posting)
            for _ in range(2):
                try:
                    return parse_reply(call_model(text))
                except ReplyError:
                    pass
            return {"role": "needs human review", "reasons": ["invalid answer"]}
        """,
    ),
    (
        "cheapest_good_prompt",
        "hard-codes the lab's answer",
        """
        def cheapest_good_prompt(results, baseline, tolerance):
            if baseline not in results["variant"].tolist():
                raise ValueError(baseline)
            return "terse"
        """,
    ),
    (
        "cheapest_good_prompt",
        "reads the baseline's accuracy from the first row",
        """
        def cheapest_good_prompt(results, baseline, tolerance):
            if baseline not in results["variant"].tolist():
                raise ValueError(baseline)
            floor = results["accuracy"].iloc[0] - tolerance
            good = results[results["accuracy"] >= floor]
            ordered = good.sort_values(["usd_per_1000", "accuracy"], ascending=[True, False], kind="stable")
            return str(ordered["variant"].iloc[0])
        """,
    ),
    (
        "cheapest_good_prompt",
        "takes the first of equally cheap variants, not the most accurate",
        """
        def cheapest_good_prompt(results, baseline, tolerance):
            if baseline not in results["variant"].tolist():
                raise ValueError(baseline)
            floor = results.loc[results["variant"] == baseline, "accuracy"].iloc[0] - tolerance
            good = results[results["accuracy"] >= floor]
            return str(good.loc[good["usd_per_1000"].idxmin(), "variant"])
        """,
    ),
    (
        "cheapest_good_prompt",
        "reads the tolerance as a share of the baseline's accuracy",
        """
        def cheapest_good_prompt(results, baseline, tolerance):
            if baseline not in results["variant"].tolist():
                raise ValueError(baseline)
            floor = results.loc[results["variant"] == baseline, "accuracy"].iloc[0] * (1 - tolerance)
            good = results[results["accuracy"] >= floor]
            ordered = good.sort_values(["usd_per_1000", "accuracy"], ascending=[True, False], kind="stable")
            return str(ordered["variant"].iloc[0])
        """,
    ),
    (
        "cheapest_good_prompt",
        "breaks a full tie by name instead of table order",
        """
        def cheapest_good_prompt(results, baseline, tolerance):
            if baseline not in results["variant"].tolist():
                raise ValueError(baseline)
            floor = results.loc[results["variant"] == baseline, "accuracy"].iloc[0] - tolerance
            good = results[results["accuracy"] >= floor]
            best = min(good.itertuples(), key=lambda row: (row.usd_per_1000, -row.accuracy, row.variant))
            return best.variant
        """,
    ),
    (
        "cache_answers",
        "keys the cache by the posting as given, spacing and all",
        """
        def cache_answers(classify):
            stored = {}

            def cached(posting):
                if posting not in stored:
                    stored[posting] = classify(posting)
                return copy.deepcopy(stored[posting])

            return cached
        """,
    ),
    (
        "cache_answers",
        "returns a shallow copy, so the reasons list is shared with the cache",
        """
        def cache_answers(classify):
            stored = {}

            def cached(posting):
                key = " ".join(posting.split())
                if key not in stored:
                    stored[key] = classify(posting)
                return dict(stored[key])

            return cached
        """,
    ),
    (
        "cache_answers",
        "copies the answer into the cache but hands out the stored dict on later views",
        """
        def cache_answers(classify):
            stored = {}

            def cached(posting):
                key = " ".join(posting.split())
                if key in stored:
                    return stored[key]
                answer = classify(posting)
                stored[key] = copy.deepcopy(answer)
                return answer

            return cached
        """,
    ),
    (
        "cache_answers",
        "keeps one cache for every cached function",
        """
        stored = {}


        def cache_answers(classify):
            def cached(posting):
                key = " ".join(posting.split())
                if key not in stored:
                    stored[key] = classify(posting)
                return copy.deepcopy(stored[key])

            return cached
        """,
    ),
    (
        "cache_answers",
        "passes classify the key, lowercased, instead of the posting",
        """
        def cache_answers(classify):
            stored = {}

            def cached(posting):
                key = " ".join(posting.lower().split())
                if key not in stored:
                    stored[key] = classify(key)
                return copy.deepcopy(stored[key])

            return cached
        """,
    ),
    (
        "regressed_slices",
        "compares the two runs row by row, as if they held the same cases in the same order",
        """
        def regressed_slices(baseline, candidate, max_drop):
            if set(baseline["slice"]) - set(candidate["slice"]):
                raise ValueError("a slice is missing")
            lost = baseline["correct"].astype(int).to_numpy() - candidate["correct"].astype(int).to_numpy()
            drops = pd.Series(lost).groupby(baseline["slice"].to_numpy()).mean()
            regressed = drops[drops > max_drop]
            return sorted(regressed.index, key=lambda name: (-regressed[name], name))
        """,
    ),
    (
        "regressed_slices",
        "divides each slice's lost answers by the size of the whole set, not of the slice",
        """
        def regressed_slices(baseline, candidate, max_drop):
            before = baseline.groupby("slice")["correct"].sum()
            after = candidate.groupby("slice")["correct"].sum()
            if set(before.index) - set(after.index):
                raise ValueError("a slice is missing")
            drops = (before - after.reindex(before.index)) / len(baseline)
            regressed = drops[drops > max_drop]
            return sorted(regressed.index, key=lambda name: (-regressed[name], name))
        """,
    ),
    (
        "regressed_slices",
        "measures each slice's drop relative to its baseline accuracy",
        """
        def regressed_slices(baseline, candidate, max_drop):
            before = baseline.groupby("slice")["correct"].mean()
            after = candidate.groupby("slice")["correct"].mean()
            if set(before.index) - set(after.index):
                raise ValueError("a slice is missing")
            drops = (before - after.reindex(before.index)) / before
            regressed = drops[drops > max_drop]
            return sorted(regressed.index, key=lambda name: (-regressed[name], name))
        """,
    ),
    (
        "regressed_slices",
        "refuses a slice that is new in the candidate",
        """
        def regressed_slices(baseline, candidate, max_drop):
            before = baseline.groupby("slice")["correct"].mean()
            after = candidate.groupby("slice")["correct"].mean()
            if set(before.index) != set(after.index):
                raise ValueError("the two runs have different slices")
            drops = before - after
            regressed = drops[drops > max_drop]
            return sorted(regressed.index, key=lambda name: (-regressed[name], name))
        """,
    ),
    (
        "regressed_slices",
        "orders equal drops by where the slice first appears, not by name",
        """
        def regressed_slices(baseline, candidate, max_drop):
            before = baseline.groupby("slice", sort=False)["correct"].mean()
            after = candidate.groupby("slice", sort=False)["correct"].mean()
            if set(before.index) - set(after.index):
                raise ValueError("a slice is missing")
            drops = before - after.reindex(before.index)
            regressed = drops[drops > max_drop]
            return sorted(regressed.index, key=lambda name: -regressed[name])
        """,
    ),
    (
        "choose_approach",
        "hard-codes the lab's two approaches",
        """
        def choose_approach(comparison, needs):
            if needs["labelled_postings_available"] < 700:
                return ["LLM application"]
            return ["trained model", "LLM application"]
        """,
    ),
    (
        "choose_approach",
        "orders equally cheap approaches by name, not by accuracy",
        """
        def choose_approach(comparison, needs):
            fits = comparison[
                (comparison["accuracy"] >= needs["min_accuracy"])
                & (comparison["ms_per_posting"] <= needs["max_ms_per_posting"])
                & (comparison["usd_per_1000"] <= needs["max_usd_per_1000"])
                & (comparison["labelled_postings_needed"] <= needs["labelled_postings_available"])
            ]
            return sorted(fits.index, key=lambda name: (fits.loc[name, "usd_per_1000"], name))
        """,
    ),
    (
        "choose_approach",
        "treats the accuracy, time and cost limits as exclusive",
        """
        def choose_approach(comparison, needs):
            fits = comparison[
                (comparison["accuracy"] > needs["min_accuracy"])
                & (comparison["ms_per_posting"] < needs["max_ms_per_posting"])
                & (comparison["usd_per_1000"] < needs["max_usd_per_1000"])
                & (comparison["labelled_postings_needed"] <= needs["labelled_postings_available"])
            ]
            ordered = fits.sort_values(["usd_per_1000", "accuracy"], ascending=[True, False], kind="stable")
            return list(ordered.index)
        """,
    ),
    (
        "choose_approach",
        "forgets the time limit",
        """
        def choose_approach(comparison, needs):
            fits = comparison[
                (comparison["accuracy"] >= needs["min_accuracy"])
                & (comparison["usd_per_1000"] <= needs["max_usd_per_1000"])
                & (comparison["labelled_postings_needed"] <= needs["labelled_postings_available"])
            ]
            ordered = fits.sort_values(["usd_per_1000", "accuracy"], ascending=[True, False], kind="stable")
            return list(ordered.index)
        """,
    ),
]

RIGHT = []
