"""Hidden tests catch what visible tests let through: hard-coded and half-right answers.

Each case is a wrong answer a learner could write that **passes** a task's visible tests (so the learner
sees ✓) and must **fail** the whole test cell, hidden tests included (what the autograder runs). The solution
must pass both. The answer and the test cell run in-process, after the notebook's setup cell, as in a kernel.
"""

import textwrap

import matplotlib
import pytest
from conftest import REPO_ROOT
from notebook_helpers import HIDDEN_TESTS_REGION, nbgrader_meta, read

from mlai_course.grading.demo_class import SOLUTION_MARKER

matplotlib.use("Agg")

MODULES = {
    "04": "04-overlap-and-the-blurring-line",
    "05": "05-choosing-switching-and-interviewing",
    "07": "07-lab-a-day-as-an-ml-engineer",
    "08": "08-lab-a-day-as-an-ai-engineer",
}

# (module, task, what is wrong, the answer)
WRONG_ANSWERS = [
    (
        "04",
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
        "04",
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
        "04",
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
        "04",
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
        "04",
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
        "04",
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
    (
        "05",
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
        "05",
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
        "05",
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
        "05",
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
        "05",
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
    (
        "07",
        "precision_recall",
        "lines Series up by their index instead of by position",
        """
        def precision_recall(true_roles, predicted_roles, role):
            truth, guess = pd.Series(true_roles), pd.Series(predicted_roles)
            if role not in set(truth):
                raise ValueError(role)
            found = ((truth == role) & (guess == role)).sum()
            predicted = (guess == role).sum()
            precision = found / predicted if predicted else 0.0
            return {"precision": precision, "recall": found / (truth == role).sum()}
        """,
    ),
    (
        "07",
        "train_role_model",
        "fixes the labels but still learns from the title, pasted before the description",
        """
        def train_role_model(train_postings):
            texts = train_postings["title"] + " " + train_postings["description"]
            steps = [("tfidf", TfidfVectorizer()), ("classifier", LogisticRegression(max_iter=1000))]
            return Pipeline(steps).fit(texts, train_postings["role"])
        """,
    ),
    (
        "07",
        "measure_speed",
        "returns the whole run's milliseconds as the milliseconds per batch",
        """
        def measure_speed(predict, descriptions, batch_size):
            if batch_size < 1 or not descriptions:
                raise ValueError(batch_size)
            start = time.perf_counter()
            for first in range(0, len(descriptions), batch_size):
                predict(descriptions[first : first + batch_size])
            seconds = time.perf_counter() - start
            return {"ms_per_batch": 1000 * seconds, "postings_per_second": len(descriptions) / seconds}
        """,
    ),
    (
        "07",
        "accuracy_by",
        "drops a slice the model gets all wrong",
        """
        def accuracy_by(postings, predicted_roles, column):
            if len(predicted_roles) != len(postings):
                raise ValueError(column)
            right = postings[postings["role"].to_numpy() == np.asarray(predicted_roles)]
            shares = right.groupby(column).size() / postings.groupby(column).size()
            return shares.dropna().rename("accuracy")
        """,
    ),
    (
        "07",
        "ab_decision",
        "ships B when it is significantly worse",
        """
        def ab_decision(right_a, total_a, right_b, total_b, planned_per_arm, alpha=0.05):
            if min(total_a, total_b) < 1 or not (0 <= right_a <= total_a and 0 <= right_b <= total_b):
                raise ValueError(planned_per_arm)
            pooled = (right_a + right_b) / (total_a + total_b)
            spread = math.sqrt(pooled * (1 - pooled) * (1 / total_a + 1 / total_b)) or 1.0
            z = (right_b / total_b - right_a / total_a) / spread
            p_value = 2 * (1 - NormalDist().cdf(abs(z)))
            if min(total_a, total_b) < planned_per_arm:
                return {"z": z, "p_value": p_value, "decision": "keep collecting"}
            return {"z": z, "p_value": p_value, "decision": "ship B" if p_value < alpha else "keep A"}
        """,
    ),
    (
        "07",
        "predict_role",
        "answers a description with no word the model knows",
        """
        def predict_role(description, model):
            if not isinstance(description, str):
                raise TypeError(description)
            text = description.strip()
            if not text or len(text) > 5000:
                raise ValueError(text[:20])
            probabilities = model.predict_proba([text])[0]
            best = int(probabilities.argmax())
            return {"role": str(model.classes_[best]), "confidence": round(float(probabilities[best]), 3)}
        """,
    ),
    (
        "07",
        "new_words",
        "cuts words with its own pattern instead of the vectorizer's analyzer",
        """
        def new_words(vectorizer, descriptions, top):
            import re

            if top < 1:
                raise ValueError(top)
            cut = [w for text in descriptions for w in re.findall(r"\\b\\w\\w+\\b", text.lower())]
            unknown = pd.Series([w for w in cut if w not in vectorizer.vocabulary_], dtype=str).value_counts()
            ordered = unknown.sort_index().sort_values(ascending=False, kind="stable")
            return ordered.head(top).rename("count")
        """,
    ),
    (
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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
        "08",
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


def cells_of(module: str) -> dict:
    """The setup cell, and the answer and test cell of every task, of a module's source notebook."""
    name = MODULES[module]
    cells = read(REPO_ROOT / "solutions" / name / f"{name}.ipynb").cells
    return {
        nbgrader_meta(cell)["grade_id"]: cell.source for cell in cells if nbgrader_meta(cell).get("grade_id")
    }


def run(cells: dict, task: str, answer: str, hidden: bool) -> str:
    """Run setup, the answer and the task's test cell; return 'pass' or the failure."""
    test_cell = cells[f"test_{task}"] if hidden else HIDDEN_TESTS_REGION.sub("", cells[f"test_{task}"])
    namespace = {"__name__": "__main__"}
    try:
        for source in (cells["setup"], answer, test_cell):
            exec(compile(source, f"<{task}>", "exec"), namespace)
    except Exception as error:  # noqa: BLE001 - any failure of the learner's code counts
        return f"{type(error).__name__}: {error}"
    return "pass"


@pytest.mark.parametrize(
    "module, task, wrong, answer", WRONG_ANSWERS, ids=[f"{c[1]}: {c[2]}" for c in WRONG_ANSWERS]
)
def test_wrong_answer_passes_the_visible_tests_and_fails_the_hidden_ones(module, task, wrong, answer, capsys):
    cells = cells_of(module)
    answer = textwrap.dedent(answer)
    assert run(cells, task, answer, hidden=False) == "pass", "the case should get past the visible tests"
    assert run(cells, task, answer, hidden=True) != "pass", f"the hidden tests of {task} let through: {wrong}"


@pytest.mark.parametrize("module, task", sorted({(c[0], c[1]) for c in WRONG_ANSWERS}))
def test_the_solution_passes_every_test(module, task, capsys):
    cells = cells_of(module)
    solution = SOLUTION_MARKER.sub("", cells[task])
    assert run(cells, task, solution, hidden=True) == "pass"
    assert "✓ The visible tests for" in capsys.readouterr().out
