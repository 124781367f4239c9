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
                "Judge by the work, not the title. Quote the posting and cite the passages you rely on. "
                'If no passage supports an answer, answer "Undecided". '
                'Answer with one JSON object like {"role": "AI Engineer", "reasons": ["..."]}.\\n\\n'
                f"Posting:\\n{posting}\\n\\n"
                "Passages from the article:\\n" + prompt_passages(passages)
            )
            reply = client.chat.completions.create(
                model="stand-in-small", messages=[{"role": "user", "content": prompt}], temperature=0
            )
            answer = json.loads(reply.choices[0].message.content)
            if answer.get("role") not in ("ML Engineer", "AI Engineer", "Undecided"):
                raise ValueError(answer)
            return {"role": answer["role"], "reasons": answer["reasons"]}
        """,
    ),
    (
        "classify_chain",
        "fixes the temperature and the order but still looks for a role's name anywhere in the text",
        """
        def classify_chain(posting, client, retriever):
            passages = prompt_passages(retriever.search(posting, k=3))
            prompt = (
                "Which role does this job posting describe: ML Engineer or AI Engineer? "
                "Judge by the work, not the title. Quote the posting and cite the passages you rely on. "
                'If no passage supports an answer, answer "Undecided". '
                'Answer with one JSON object like {"role": "AI Engineer", "reasons": ["..."]}.\\n\\n'
                f"Passages from the article:\\n{passages}\\n\\n"
                f"Posting:\\n{posting}"
            )
            reply = client.chat.completions.create(
                model="stand-in-small", messages=[{"role": "user", "content": prompt}], temperature=0
            )
            text = reply.choices[0].message.content
            for role in ("ML Engineer", "AI Engineer", "Undecided"):
                if role in text:
                    return {"role": role, "reasons": [text]}
            raise ValueError(text)
        """,
    ),
    (
        "classify_chain",
        "parses the JSON but trusts whatever role it names",
        """
        def classify_chain(posting, client, retriever):
            passages = prompt_passages(retriever.search(posting, k=3))
            prompt = (
                "Which role does this job posting describe: ML Engineer or AI Engineer? "
                "Judge by the work, not the title. Quote the posting and cite the passages you rely on. "
                'If no passage supports an answer, answer "Undecided". '
                'Answer with one JSON object like {"role": "AI Engineer", "reasons": ["..."]}.\\n\\n'
                f"Passages from the article:\\n{passages}\\n\\n"
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
        "drops the passages instead of sending them before the posting: not RAG any more",
        """
        def classify_chain(posting, client, retriever):
            prompt = (
                "Which role does this job posting describe: ML Engineer or AI Engineer? "
                "Judge by the work, not the title. "
                'Answer with one JSON object like {"role": "AI Engineer", "reasons": ["..."]}.\\n\\n'
                f"Posting:\\n{posting}"
            )
            reply = client.chat.completions.create(
                model="stand-in-small", messages=[{"role": "user", "content": prompt}], temperature=0
            )
            answer = json.loads(reply.choices[0].message.content)
            if answer.get("role") not in ("ML Engineer", "AI Engineer", "Undecided"):
                raise ValueError(answer)
            return {"role": answer["role"], "reasons": answer["reasons"]}
        """,
    ),
    (
        "classify_chain",
        "hard-codes keyword rules for the visible postings instead of calling the model",
        """
        def classify_chain(posting, client, retriever):
            ml_words = ("training", "Kubeflow", "serving", "TorchServe")
            role = "ML Engineer" if any(word in posting for word in ml_words) else "AI Engineer"
            return {"role": role, "reasons": [f"keywords of the {role} role"]}
        """,
    ),
    (
        "ungrounded_reasons",
        "ignores upper and lower case but not spacing (line breaks, tabs, double spaces)",
        """
        def ungrounded_reasons(answer, posting, passage_ids):
            if not isinstance(answer.get("reasons"), list):
                raise ValueError("no list of reasons")
            if answer.get("role") == UNDECIDED:
                return []
            found = []
            for reason in answer["reasons"]:
                quotes = re.findall(r'"([^"]+)"', reason)
                cited = re.findall(r"\\[([^\\]]+)\\]", reason)
                quoted = bool(quotes) and all(q.lower() in posting.lower() for q in quotes)
                if not quoted or not set(cited) <= set(passage_ids):
                    found.append(reason)
            return found
        """,
    ),
    (
        "ungrounded_reasons",
        "compares quotes with the posting as written: case and spacing count",
        """
        def ungrounded_reasons(answer, posting, passage_ids):
            if not isinstance(answer.get("reasons"), list):
                raise ValueError("no list of reasons")
            if answer.get("role") == UNDECIDED:
                return []
            found = []
            for reason in answer["reasons"]:
                quotes = re.findall(r'"([^"]+)"', reason)
                cited = re.findall(r"\\[([^\\]]+)\\]", reason)
                if not quotes or any(q not in posting for q in quotes):
                    found.append(reason)
                elif any(c not in passage_ids for c in cited):
                    found.append(reason)
            return found
        """,
    ),
    (
        "ungrounded_reasons",
        "lets a reason through when any one of its quotes is in the posting",
        """
        def ungrounded_reasons(answer, posting, passage_ids):
            if not isinstance(answer.get("reasons"), list):
                raise ValueError("no list of reasons")
            if answer.get("role") == UNDECIDED:
                return []
            text = " ".join(posting.split()).lower()
            found = []
            for reason in answer["reasons"]:
                quotes = re.findall(r'"([^"]+)"', reason)
                cited = re.findall(r"\\[([^\\]]+)\\]", reason)
                quoted = any(" ".join(q.split()).lower() in text for q in quotes)
                if not quoted or not set(cited) <= set(passage_ids):
                    found.append(reason)
            return found
        """,
    ),
    (
        "ungrounded_reasons",
        "wants every reason to cite a passage, so a quoted title fails",
        """
        def ungrounded_reasons(answer, posting, passage_ids):
            if not isinstance(answer.get("reasons"), list):
                raise ValueError("no list of reasons")
            if answer.get("role") == UNDECIDED:
                return []
            text = " ".join(posting.split()).lower()
            found = []
            for reason in answer["reasons"]:
                quotes = re.findall(r'"([^"]+)"', reason)
                cited = re.findall(r"\\[([^\\]]+)\\]", reason)
                quoted = bool(quotes) and all(" ".join(q.split()).lower() in text for q in quotes)
                if not quoted or not cited or not set(cited) <= set(passage_ids):
                    found.append(reason)
            return found
        """,
    ),
    (
        "ungrounded_reasons",
        "checks the reasons of an Undecided answer too",
        """
        def ungrounded_reasons(answer, posting, passage_ids):
            if not isinstance(answer.get("reasons"), list):
                raise ValueError("no list of reasons")
            text = " ".join(posting.split()).lower()
            found = []
            for reason in answer["reasons"]:
                quotes = re.findall(r'"([^"]+)"', reason)
                cited = re.findall(r"\\[([^\\]]+)\\]", reason)
                quoted = bool(quotes) and all(" ".join(q.split()).lower() in text for q in quotes)
                if not quoted or not set(cited) <= set(passage_ids):
                    found.append(reason)
            return found
        """,
    ),
    (
        "ungrounded_reasons",
        "raises only when the key is missing, and walks a text of reasons letter by letter",
        """
        def ungrounded_reasons(answer, posting, passage_ids):
            if "reasons" not in answer:
                raise ValueError("no reasons")
            if answer.get("role") == UNDECIDED:
                return []
            text = " ".join(posting.split()).lower()
            found = []
            for reason in answer["reasons"]:
                quotes = re.findall(r'"([^"]+)"', reason)
                cited = re.findall(r"\\[([^\\]]+)\\]", reason)
                quoted = bool(quotes) and all(" ".join(q.split()).lower() in text for q in quotes)
                if not quoted or not set(cited) <= set(passage_ids):
                    found.append(reason)
            return found
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
            for key in ("min_accuracy", "max_latency_ms", "max_usd_per_1000", "labelled_postings_available"):
                if key not in needs:
                    raise ValueError(key)
            if needs["max_latency_ms"] < 450:
                return ["trained model"]
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
            for key in ("min_accuracy", "max_latency_ms", "max_usd_per_1000", "labelled_postings_available"):
                if key not in needs:
                    raise ValueError(key)
            fits = comparison[
                (comparison["accuracy"] >= needs["min_accuracy"])
                & (comparison["latency_ms"] <= needs["max_latency_ms"])
                & (comparison["usd_per_1000"] <= needs["max_usd_per_1000"])
                & (comparison["labelled_postings_needed"] <= needs["labelled_postings_available"])
            ]
            return sorted(fits.index, key=lambda name: (fits.loc[name, "usd_per_1000"], name))
        """,
    ),
    (
        "choose_approach",
        "treats the accuracy, latency and cost limits as exclusive",
        """
        def choose_approach(comparison, needs):
            for key in ("min_accuracy", "max_latency_ms", "max_usd_per_1000", "labelled_postings_available"):
                if key not in needs:
                    raise ValueError(key)
            fits = comparison[
                (comparison["accuracy"] > needs["min_accuracy"])
                & (comparison["latency_ms"] < needs["max_latency_ms"])
                & (comparison["usd_per_1000"] < needs["max_usd_per_1000"])
                & (comparison["labelled_postings_needed"] <= needs["labelled_postings_available"])
            ]
            ordered = fits.sort_values(["usd_per_1000", "accuracy"], ascending=[True, False], kind="stable")
            return list(ordered.index)
        """,
    ),
    (
        "choose_approach",
        "judges speed by throughput instead of the latency the need is about",
        """
        def choose_approach(comparison, needs):
            for key in ("min_accuracy", "max_latency_ms", "max_usd_per_1000", "labelled_postings_available"):
                if key not in needs:
                    raise ValueError(key)
            ms_per_posting = 1000 / comparison.get("postings_per_second", 1000 / comparison["latency_ms"])
            fits = comparison[
                (comparison["accuracy"] >= needs["min_accuracy"])
                & (ms_per_posting <= needs["max_latency_ms"])
                & (comparison["usd_per_1000"] <= needs["max_usd_per_1000"])
                & (comparison["labelled_postings_needed"] <= needs["labelled_postings_available"])
            ]
            ordered = fits.sort_values(["usd_per_1000", "accuracy"], ascending=[True, False], kind="stable")
            return list(ordered.index)
        """,
    ),
    (
        "choose_approach",
        "checks the needs' keys but not the table's columns",
        """
        def choose_approach(comparison, needs):
            for key in ("min_accuracy", "max_latency_ms", "max_usd_per_1000", "labelled_postings_available"):
                if key not in needs:
                    raise ValueError(key)
            rows = []
            for name, row in comparison.iterrows():
                if (
                    row["accuracy"] >= needs["min_accuracy"]
                    and row.get("latency_ms", 0) <= needs["max_latency_ms"]
                    and row["usd_per_1000"] <= needs["max_usd_per_1000"]
                    and row["labelled_postings_needed"] <= needs["labelled_postings_available"]
                ):
                    rows.append((row["usd_per_1000"], -row["accuracy"], len(rows), name))
            return [name for *_, name in sorted(rows)]
        """,
    ),
]

RIGHT = [
    (
        "hit_rate_at_k",
        "sum over a generator with any()",
        """
        def hit_rate_at_k(ranked_passages, answers, k):
            if k < 1:
                raise ValueError("k must be 1 or more")
            if len(ranked_passages) != len(answers):
                raise ValueError("one list of passages per answer")
            if len(answers) == 0:
                raise ValueError("no questions")
            hits = sum(
                any(answer.lower() in passage.lower() for passage in passages[:k])
                for passages, answer in zip(ranked_passages, answers)
            )
            return float(hits / len(answers))
        """,
    ),
    (
        "hit_rate_at_k",
        "an index loop and str.casefold",
        """
        def hit_rate_at_k(ranked_passages, answers, k):
            if not answers or len(ranked_passages) != len(answers) or k < 1:
                raise ValueError("k below 1, lists of different lengths, or no questions")
            hits = 0
            for index in range(len(answers)):
                wanted = answers[index].casefold()
                for passage in ranked_passages[index][:k]:
                    if wanted in passage.casefold():
                        hits += 1
                        break
            return hits / len(answers)
        """,
    ),
    (
        "classify_chain",
        "passages in the system message, the posting alone in the user's, and a stripped code fence",
        """
        def classify_chain(posting, client, retriever):
            # Bug 3: the passages go before the posting, in the system message, never inside the posting.
            passages = prompt_passages(retriever.search(posting, k=3))
            system = (
                "Which role does the job posting describe: ML Engineer or AI Engineer? Judge by the work, "
                "not the title. Quote the posting and cite the passages you rely on, like [P1]. "
                'If no passage supports an answer, answer "Undecided". '
                'Answer only JSON: {"role": "AI Engineer", "reasons": ["..."]}'
                f"\\n\\nPassages:\\n{passages}"
            )
            messages = [
                {"role": "system", "content": system},
                {"role": "user", "content": f"Posting:\\n{posting}"},
            ]
            # Bug 1: temperature 0, the same answer every time.
            reply = client.chat.completions.create(model="stand-in-small", messages=messages, temperature=0)
            text = reply.choices[0].message.content.strip()
            if text.startswith("```"):
                text = text.split("\\n", 1)[1].rsplit("```", 1)[0]
            # Bug 2: parse the JSON, check the role, never guess.
            try:
                answer = json.loads(text)
            except json.JSONDecodeError as error:
                raise ValueError(f"the answer is not JSON: {text!r}") from error
            allowed = {"ML Engineer", "AI Engineer", UNDECIDED}
            if type(answer) is not dict or answer.get("role") not in allowed:
                raise ValueError(f"not an allowed answer: {answer!r}")
            return {"role": answer["role"], "reasons": answer["reasons"]}
        """,
    ),
    (
        "classify_chain",
        "the posting between <posting> tags after the passages, and a helper that checks the answer",
        """
        ALLOWED = ("ML Engineer", "AI Engineer", "Undecided")


        def checked(text):
            answer = json.loads(text)
            if not isinstance(answer, dict):
                raise ValueError("the answer is not a JSON object")
            if answer.get("role") not in ALLOWED:
                raise ValueError(f"{answer.get('role')!r} is not one of {ALLOWED}")
            return {"role": answer["role"], "reasons": list(answer.get("reasons", []))}


        def classify_chain(posting, client, retriever):
            found = retriever.search(posting, k=3)
            prompt = "\\n".join(
                [
                    "Classify the posting between the tags by its work, not the title:",
                    "ML Engineer or AI Engineer.",
                    "Quote the posting and cite the passages you rely on, like [P1].",
                    'If no passage supports an answer, answer "Undecided".',
                    'Answer only JSON: {"role": "AI Engineer", "reasons": ["..."]}',
                    "Passages:",
                    prompt_passages(found),  # before the posting (bug 3)
                    f"<posting>{posting}</posting>",
                ]
            )
            reply = client.chat.completions.create(
                model="stand-in-small",
                messages=[{"role": "user", "content": prompt}],
                temperature=0.0,  # bug 1
            )
            return checked(reply.choices[0].message.content)  # bug 2
        """,
    ),
    (
        "ungrounded_reasons",
        "helper functions for normalising and for one reason",
        """
        def squeeze(text):
            return " ".join(text.split()).casefold()


        def grounded(reason, posting, passage_ids):
            quotes = re.findall(r'"([^"]+)"', reason)
            if not quotes:
                return False
            if not all(squeeze(quote) in squeeze(posting) for quote in quotes):
                return False
            return all(cited in passage_ids for cited in re.findall(r"\\[([^\\[\\]]*)\\]", reason))


        def ungrounded_reasons(answer, posting, passage_ids):
            reasons = answer.get("reasons") if isinstance(answer, dict) else None
            if not isinstance(reasons, list):
                raise ValueError(f"answer must have a list of reasons, got {reasons!r}")
            if answer.get("role") == UNDECIDED:
                return []
            return [reason for reason in reasons if not grounded(reason, posting, list(passage_ids))]
        """,
    ),
    (
        "ungrounded_reasons",
        "one loop with re.finditer and early continues",
        """
        def ungrounded_reasons(answer, posting, passage_ids):
            if "reasons" not in answer:
                raise ValueError("the answer has no reasons")
            if not isinstance(answer["reasons"], list):
                raise ValueError("the reasons are not a list")
            if answer.get("role") == "Undecided":
                return []
            words = " ".join(posting.lower().split())
            sent = set(passage_ids)
            result = []
            for reason in answer["reasons"]:
                quotes = [m.group(1) for m in re.finditer(r'"(.+?)"', reason)]
                if not quotes or any(" ".join(q.lower().split()) not in words for q in quotes):
                    result.append(reason)
                    continue
                if any(m.group(1) not in sent for m in re.finditer(r"\\[(.+?)\\]", reason)):
                    result.append(reason)
            return result
        """,
    ),
    (
        "cheapest_good_prompt",
        "one pass over the rows, keeping the best so far",
        """
        def cheapest_good_prompt(results, baseline, tolerance):
            rows = list(results.itertuples(index=False))
            base = [row for row in rows if row.variant == baseline]
            if not base:
                raise ValueError(f"{baseline!r} is not a variant of the table")
            floor = base[0].accuracy - tolerance
            best = None
            for row in rows:
                if row.accuracy < floor:
                    continue
                if best is None or (row.usd_per_1000, -row.accuracy) < (best.usd_per_1000, -best.accuracy):
                    best = row
            return str(best.variant)
        """,
    ),
    (
        "cheapest_good_prompt",
        "a boolean mask, a fresh index and a stable mergesort",
        """
        def cheapest_good_prompt(results, baseline, tolerance):
            table = results.reset_index(drop=True)
            is_baseline = table["variant"] == baseline
            if not is_baseline.any():
                raise ValueError("baseline is not in the table")
            floor = table.loc[is_baseline, "accuracy"].iloc[0] - tolerance
            good = table[table["accuracy"] >= floor]
            good = good.sort_values("accuracy", ascending=False, kind="mergesort")
            good = good.sort_values("usd_per_1000", kind="mergesort")
            return good["variant"].iloc[0]
        """,
    ),
    (
        "cache_answers",
        "a small class whose instances are called",
        """
        class Cache:
            def __init__(self, classify):
                self.classify = classify
                self.answers = {}

            def __call__(self, posting):
                key = " ".join(posting.split())
                if key not in self.answers:
                    self.answers[key] = copy.deepcopy(self.classify(posting))
                return copy.deepcopy(self.answers[key])


        def cache_answers(classify):
            return Cache(classify)
        """,
    ),
    (
        "cache_answers",
        "dict.get with a sentinel, and setdefault",
        """
        def cache_answers(classify):
            memory = {}
            missing = object()

            def cached(posting):
                key = " ".join(posting.split())
                answer = memory.get(key, missing)
                if answer is missing:
                    answer = memory.setdefault(key, classify(posting))
                return copy.deepcopy(answer)

            return cached
        """,
    ),
    (
        "regressed_slices",
        "plain dicts of counts",
        """
        def regressed_slices(baseline, candidate, max_drop):
            def accuracy(table):
                right, total = {}, {}
                for name, correct in zip(table["slice"], table["correct"]):
                    total[name] = total.get(name, 0) + 1
                    right[name] = right.get(name, 0) + bool(correct)
                return {name: right[name] / total[name] for name in total}

            before, after = accuracy(baseline), accuracy(candidate)
            vanished = [name for name in before if name not in after]
            if vanished:
                raise ValueError(f"the candidate has no rows for {vanished}")
            drops = {name: before[name] - after[name] for name in before}
            regressed = [name for name in drops if drops[name] > max_drop]
            return sorted(regressed, key=lambda name: (-drops[name], name))
        """,
    ),
    (
        "regressed_slices",
        "one table of both accuracies, then sort_values",
        """
        def regressed_slices(baseline, candidate, max_drop):
            before = baseline.groupby("slice")["correct"].mean().rename("before")
            after = candidate.groupby("slice")["correct"].mean().rename("after")
            if not before.index.isin(after.index).all():
                raise ValueError("a slice of the baseline has no rows in the candidate")
            both = pd.concat([before, after], axis=1, join="inner")
            both["drop"] = both["before"] - both["after"]
            worse = both[both["drop"] > max_drop].reset_index()
            worse = worse.sort_values(["drop", "slice"], ascending=[False, True])
            return worse["slice"].tolist()
        """,
    ),
    (
        "choose_approach",
        "a loop over the rows, sorted with a key that keeps the table's order last",
        """
        def choose_approach(comparison, needs):
            for column in ("accuracy", "latency_ms", "usd_per_1000", "labelled_postings_needed"):
                if column not in comparison.columns:
                    raise ValueError(f"the table has no column {column!r}")
            for key in ("min_accuracy", "max_latency_ms", "max_usd_per_1000", "labelled_postings_available"):
                if key not in needs:
                    raise ValueError(f"needs has no key {key!r}")
            fitting = []
            for position, (name, row) in enumerate(comparison.iterrows()):
                if (
                    row["accuracy"] >= needs["min_accuracy"]
                    and row["latency_ms"] <= needs["max_latency_ms"]
                    and row["usd_per_1000"] <= needs["max_usd_per_1000"]
                    and row["labelled_postings_needed"] <= needs["labelled_postings_available"]
                ):
                    fitting.append((row["usd_per_1000"], -row["accuracy"], position, name))
            return [name for *_, name in sorted(fitting)]
        """,
    ),
    (
        "choose_approach",
        "pandas query with @-variables and a position column",
        """
        def choose_approach(comparison, needs):
            wanted = {"accuracy", "latency_ms", "usd_per_1000", "labelled_postings_needed"}
            missing = sorted(wanted - set(comparison.columns))
            keys = {"min_accuracy", "max_latency_ms", "max_usd_per_1000", "labelled_postings_available"}
            missing += sorted(keys - set(needs))
            if missing:
                raise ValueError(f"missing columns or keys: {missing}")
            table = comparison.assign(position=range(len(comparison)))
            fits = table.query(
                "accuracy >= @needs['min_accuracy'] and latency_ms <= @needs['max_latency_ms'] "
                "and usd_per_1000 <= @needs['max_usd_per_1000'] "
                "and labelled_postings_needed <= @needs['labelled_postings_available']"
            )
            order = ["usd_per_1000", "accuracy", "position"]
            return fits.sort_values(order, ascending=[True, False, True]).index.tolist()
        """,
    ),
]
