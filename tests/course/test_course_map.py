"""course.yml, the course map, agrees with the notebooks, their question banks, README's module table and the
article.

The map lists every notebook in solutions/, the article's sections it teaches, its learning objectives and,
for each objective, the exercises, self-check questions and graded tasks that practise or assess it; and for
each module (kind: module) its judgement tasks: autograded graded tasks of that module, at least one per
module, at least half of the modules' graded tasks.

Each check is a function that returns the problems it finds (an empty list when there are none). The tests run
every check on the real map, and feed each check a broken copy of the map (or of README) to show that it finds
the break: no check here is one that cannot fail.
"""

import copy
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import REPO_ROOT, source_article_text
from notebook_helpers import nbgrader_meta, read

from mlai_course.authoring.release import assignment_names
from mlai_course.learner.quiz_bank import load_bank_file
from mlai_course.learner.schemas import ARTICLE_SECTIONS

COURSE_MAP = REPO_ROOT / "course.yml"
README = REPO_ROOT / "README.md"
KINDS = ("module", "lab")
LINKS = ("exercises", "self_check", "graded_tasks")
LINK_NAMES = {"exercises": "exercise", "self_check": "self-check question", "graded_tasks": "graded task"}
MODULE_KEYS = ("id", "name", "title", "kind", "sections", "objectives")
JUDGEMENT = "judgement_tasks"
CITATION = re.compile(r"\*\(article: ([^)]*)\)\*")
SECTION_HEADING = re.compile(r"^## (\d+) · ")
README_HEADER = re.compile(r"^\| module \|")
README_ROW = re.compile(r"^\| \[(\d\d)\]\(notebooks/([^/)]+)/\2\.ipynb\) \| ([^|]+?) \| ([^|]+?) \|$")


# --- What the notebooks and banks hold ---


@dataclass(frozen=True)
class NotebookFacts:
    """What the map must agree with, read from one source notebook and its question bank."""

    title_line: str
    objectives: tuple[str, ...]
    exercises: frozenset[str]
    graded_tasks: frozenset[str]
    cited_sections: frozenset[str]
    questions: frozenset[str]


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def objectives_in_intro(intro: str) -> list[str]:
    """The intro's numbered 'Learning objectives' list, each without its citation and its final ';' or '.'."""
    if "Learning objectives" not in intro:
        return []
    block = intro.split("Learning objectives", 1)[1].split("**Time", 1)[0]
    items, current = [], None
    for line in block.splitlines():
        numbered = re.match(r"^\d+\.\s+(.*)$", line)
        if numbered:
            current = [numbered.group(1)]
            items.append(current)
        elif current is not None and line.startswith(" ") and line.strip():
            current.append(line.strip())
        else:
            current = None
    return [one_line(CITATION.sub("", " ".join(item))).rstrip(";.").rstrip() for item in items]


def exercise_sections(notebook) -> set[str]:
    """Numbers N of the '## N · ' sections that hold an '### Exercise' heading."""
    found, section = set(), None
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            heading = SECTION_HEADING.match(line)
            if heading:
                section = heading.group(1)
            elif line.startswith("## "):
                section = None
            elif line.startswith("### Exercise") and section:
                found.add(section)
    return found


def graded_task_ids(notebook) -> set[str]:
    """grade_ids of the autograded test cells, the manually graded answers and the manually graded tasks."""
    return {
        nbgrader_meta(cell)["grade_id"]
        for cell in notebook.cells
        if nbgrader_meta(cell).get("grade") or nbgrader_meta(cell).get("task")
    }


def cited_sections(notebook) -> set[str]:
    """The sections the notebook's markdown cites as *(article: A; B)*."""
    markdown = one_line(" ".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown"))
    return {name.strip() for citation in CITATION.findall(markdown) for name in citation.split(";")}


@cache
def notebook_facts(root: Path, name: str) -> NotebookFacts:
    notebook = read(root / "solutions" / name / f"{name}.ipynb")
    bank = load_bank_file(root / "data" / "quiz_banks" / f"{name}.yaml")
    intro = notebook.cells[0].source
    return NotebookFacts(
        title_line=intro.splitlines()[0] if intro else "",
        objectives=tuple(objectives_in_intro(intro)),
        exercises=frozenset(exercise_sections(notebook)),
        graded_tasks=frozenset(graded_task_ids(notebook)),
        cited_sections=frozenset(cited_sections(notebook)),
        questions=frozenset(question["id"] for question in bank["questions"]),
    )


# --- The checks: each returns the problems it finds ---


def shape_problems(course_map) -> list[str]:
    """The map has the keys the other checks read, with lists of strings where lists belong."""
    if not isinstance(course_map, dict) or not isinstance(course_map.get("modules"), list):
        return ["course.yml must be a mapping with a list of `modules`"]
    problems = []
    if not isinstance(course_map.get("source_article_sections"), list):
        problems.append("course.yml must list the article's `source_article_sections`")
    for index, module in enumerate(course_map["modules"]):
        if not isinstance(module, dict):
            problems.append(f"course.yml, module {index + 1}: not a mapping")
            continue
        where = f"course.yml, module {index + 1} ({module.get('name', '?')})"
        problems += [f"{where}: no `{key}`" for key in MODULE_KEYS if key not in module]
        for key in ("id", "name", "title", "kind"):
            if key in module and not isinstance(module[key], str):
                problems.append(f'{where}: `{key}` must be a string (quote numbers such as "01")')
        if not is_list_of_strings(module.get("sections", [])):
            problems.append(f"{where}: `sections` must be a list of section names")
        if not is_list_of_strings(module.get(JUDGEMENT, [])):
            problems.append(f"{where}: `{JUDGEMENT}` must be a list of grade_ids")
        if not isinstance(module.get("objectives", []), list):
            problems.append(f"{where}: `objectives` must be a list")
            continue
        for objective in module.get("objectives") or []:
            if not isinstance(objective, dict) or not isinstance(objective.get("objective"), str):
                problems.append(f"{where}: each objective needs an `objective` text")
                continue
            for link in LINKS:
                if not is_list_of_strings(objective.get(link, [])):
                    problems.append(
                        f"{where}, objective {objective['objective']!r}: `{link}` must be a list of strings "
                        '(quote exercise numbers: ["1"])'
                    )
    return problems


def is_list_of_strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def section_problems(course_map) -> list[str]:
    """The map names the article's 13 sections; modules teach only those; each is taught by some module."""
    problems = []
    if course_map["source_article_sections"] != list(ARTICLE_SECTIONS):
        problems.append(
            f"course.yml: source_article_sections must be the article's sections in order: {ARTICLE_SECTIONS}"
        )
    for module in course_map["modules"]:
        unknown = [section for section in module["sections"] if section not in ARTICLE_SECTIONS]
        if unknown:
            problems.append(f"course.yml, {module['name']}: not sections of the article: {unknown}")
    taught = {section for module in course_map["modules"] for section in module["sections"]}
    untaught = [section for section in ARTICLE_SECTIONS if section not in taught]
    if untaught:
        problems.append(f"course.yml: sections of the article taught by no notebook: {untaught}")
    return problems


def notebook_list_problems(course_map, root: Path) -> list[str]:
    """The map lists exactly the notebooks in solutions/, in order, each with its number, kind and release."""
    problems = []
    names = [module["name"] for module in course_map["modules"]]
    in_solutions = assignment_names(root)
    if names != in_solutions:
        problems.append(
            f"course.yml lists {names}, but solutions/ holds {in_solutions}: "
            "the map must list every notebook, in order"
        )
    for module in course_map["modules"]:
        name = module["name"]
        if not re.fullmatch(r"\d\d", module["id"]) or not name.startswith(module["id"] + "-"):
            problems.append(f"course.yml, {name}: id {module['id']!r} must be the folder's number NN")
        if module["kind"] not in KINDS:
            problems.append(f"course.yml, {name}: kind {module['kind']!r} must be one of {KINDS}")
        elif (module["kind"] == "lab") != module["title"].startswith("Lab:"):
            problems.append(
                f"course.yml, {name}: kind is {module['kind']!r} but the title is {module['title']!r}"
            )
        if not (root / "notebooks" / name / f"{name}.ipynb").is_file():
            problems.append(f"course.yml, {name}: no student notebook in notebooks/ (run `make release`)")
    return problems


def module_problems(module, root: Path) -> list[str]:
    """One module's entry agrees with its notebook and bank: title, sections, objectives, ids, coverage."""
    name = module["name"]
    where = f"course.yml, {name}"
    if name not in assignment_names(root):
        return [f"{where}: no notebook solutions/{name}/{name}.ipynb"]
    facts = notebook_facts(root, name)
    problems = []
    if facts.title_line != f"# {module['id']} · {module['title']}":
        problems.append(
            f"{where}: title {module['title']!r} differs from the notebook's {facts.title_line!r}"
        )
    for section in module["sections"]:
        if section not in facts.cited_sections:
            problems.append(
                f"{where}: teaches {section!r}, but the notebook never cites *(article: {section})*"
            )
    listed = [objective["objective"] for objective in module["objectives"]]
    if listed != list(facts.objectives):
        problems.append(
            f"{where}: the objectives differ from the notebook's Learning objectives.\n"
            f"  map:      {listed}\n  notebook: {list(facts.objectives)}"
        )
    existing = {
        "exercises": facts.exercises,
        "self_check": facts.questions,
        "graded_tasks": facts.graded_tasks,
    }
    mapped = {link: set() for link in LINKS}
    for objective in module["objectives"]:
        for link in LINKS:
            ids = objective.get(link) or []
            if not ids:
                problems.append(f"{where}: objective {objective['objective']!r} has no {LINK_NAMES[link]}")
            mapped[link].update(ids)
    for link in LINKS:
        name_of = LINK_NAMES[link]
        missing = sorted(mapped[link] - existing[link])
        if missing:
            problems.append(f"{where}: no such {name_of}s in the notebook or its bank: {missing}")
        unmapped = sorted(existing[link] - mapped[link])
        if unmapped:
            problems.append(f"{where}: {name_of}s that no objective mentions: {unmapped}")
    return problems


def readme_problems(course_map, readme: str) -> list[str]:
    """README's module table lists the map's notebooks, titles and sections, in order."""
    lines = readme.splitlines()
    header = next((index for index, line in enumerate(lines) if README_HEADER.match(line)), None)
    if header is None:
        return ["README.md has no module table (a header row starting '| module |')"]
    problems, rows = [], []
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        row = README_ROW.match(line)
        if not row:
            problems.append(
                f"README.md: module table row is not '| [NN](notebooks/name/name.ipynb) | ...': {line}"
            )
            continue
        number, name, title, sections = row.groups()
        rows.append((number, name, title, [section.strip() for section in sections.split(";")]))
    expected = [(m["id"], m["name"], m["title"], m["sections"]) for m in course_map["modules"]]
    for missing in [row for row in expected if row not in rows]:
        problems.append(f"README.md: the module table has no row {format_row(missing)}")
    for extra in [row for row in rows if row not in expected]:
        problems.append(f"README.md: the module table's row {format_row(extra)} is not in course.yml")
    if not problems and rows != expected:
        problems.append("README.md: the module table lists the notebooks in another order than course.yml")
    return problems


def format_row(row) -> str:
    number, name, title, sections = row
    return f"| [{number}](notebooks/{name}/{name}.ipynb) | {title} | {'; '.join(sections)} |"


def autograded_task_ids(root: Path, name: str) -> set[str]:
    """grade_ids of a notebook's autograded test cells (graded, not answers: no manually graded answer)."""
    notebook = read(root / "solutions" / name / f"{name}.ipynb")
    return {
        nbgrader_meta(cell)["grade_id"]
        for cell in notebook.cells
        if nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution")
    }


def judgement_problems(course_map, root: Path) -> list[str]:
    """Each module lists judgement tasks that are autograded tasks of its own notebook; they are at least half
    of the modules' graded tasks."""
    problems, judged, graded = [], 0, 0
    for module in course_map["modules"]:
        name, listed = module["name"], module.get(JUDGEMENT) or []
        if module["kind"] != "module":
            continue
        if not listed:
            problems.append(f"course.yml, {name}: no `{JUDGEMENT}`; every module needs at least one")
        if name not in assignment_names(root):
            continue
        autograded = autograded_task_ids(root, name)
        not_tasks = sorted(set(listed) - autograded)
        if not_tasks:
            problems.append(
                f"course.yml, {name}: `{JUDGEMENT}` {not_tasks} are not autograded tasks of this module "
                f"(its autograded tasks: {sorted(autograded)})"
            )
        judged += len(set(listed) & autograded)
        graded += len(notebook_facts(root, name).graded_tasks)
    if graded and 2 * judged < graded:
        problems.append(
            f"course.yml: {judged} of the modules' {graded} graded tasks are judgement tasks; "
            "at least half must be"
        )
    return problems


def all_problems(course_map, root: Path = REPO_ROOT, readme: str | None = None) -> list[str]:
    problems = shape_problems(course_map)
    if problems:
        return problems
    problems += section_problems(course_map) + notebook_list_problems(course_map, root)
    for module in course_map["modules"]:
        problems += module_problems(module, root)
    problems += judgement_problems(course_map, root)
    return problems + readme_problems(
        course_map, README.read_text(encoding="utf-8") if readme is None else readme
    )


# --- The real map ---


@cache
def load_course_map() -> dict:
    try:
        return yaml.safe_load(COURSE_MAP.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        pytest.fail(f"{COURSE_MAP}: cannot read the course map: {error}")


@pytest.fixture
def course_map() -> dict:
    """A fresh copy of the map, which a test may break."""
    return copy.deepcopy(load_course_map())


def test_the_map_has_the_expected_shape(course_map):
    assert shape_problems(course_map) == []


def test_every_article_section_is_taught_by_some_notebook(course_map):
    assert section_problems(course_map) == []


def test_the_map_lists_exactly_the_notebooks_in_solutions(course_map):
    assert notebook_list_problems(course_map, REPO_ROOT) == []


@pytest.mark.parametrize("name", assignment_names(REPO_ROOT))
def test_each_module_agrees_with_its_notebook_and_bank(course_map, name):
    module = next((module for module in course_map["modules"] if module["name"] == name), None)
    assert module is not None, f"course.yml has no entry for {name}"
    assert module_problems(module, REPO_ROOT) == []


def test_every_module_lists_its_judgement_tasks_and_they_are_half_the_graded_tasks(course_map):
    assert judgement_problems(course_map, REPO_ROOT) == []
    modules = [module for module in course_map["modules"] if module["kind"] == "module"]
    assert [module["id"] for module in modules] == ["01", "02", "03", "04", "05", "06"]


def test_readme_module_table_agrees_with_the_map(course_map):
    assert readme_problems(course_map, README.read_text(encoding="utf-8")) == []


def test_the_section_names_are_the_articles_headings():
    """The 13 names are lines of the source article, in the article's order (skips without the article)."""
    lines = source_article_text().splitlines()
    missing = [section for section in ARTICLE_SECTIONS if section not in lines]
    assert not missing, f"not headings of the source article: {missing}"
    positions = [lines.index(section) for section in ARTICLE_SECTIONS]
    assert positions == sorted(positions), "ARTICLE_SECTIONS must follow the article's order"


# --- Each check finds a broken map ---


def module_named(course_map, name_start: str) -> dict:
    return next(module for module in course_map["modules"] if module["name"].startswith(name_start))


@cache
def baseline_problems() -> tuple[str, ...]:
    return tuple(all_problems(load_course_map()))


def problems_mentioning(problems: list[str], *words: str) -> list[str]:
    """The problems that name every word and that the real map and README do not already have."""
    return [
        problem
        for problem in problems
        if all(word in problem for word in words) and problem not in baseline_problems()
    ]


def test_a_section_no_notebook_teaches_is_found(course_map):
    module_named(course_map, "04")["sections"].remove("Overlap")
    assert problems_mentioning(all_problems(course_map), "taught by no notebook", "'Overlap'")


def test_a_section_the_notebook_never_cites_is_found(course_map):
    module_named(course_map, "01")["sections"].append("The Future")
    assert problems_mentioning(all_problems(course_map), "01-core-distinction", "never cites", "The Future")


def test_a_section_the_article_does_not_have_is_found(course_map):
    module_named(course_map, "02")["sections"].append("Salaries")
    assert problems_mentioning(all_problems(course_map), "not sections of the article", "Salaries")


def test_an_objective_missing_from_the_map_is_found(course_map):
    del module_named(course_map, "05")["objectives"][1]
    assert problems_mentioning(all_problems(course_map), "05-choosing", "objectives differ")


def test_an_objective_worded_differently_is_found(course_map):
    objective = module_named(course_map, "06")["objectives"][0]
    objective["objective"] = objective["objective"].replace("2–3", "2-3")
    assert problems_mentioning(all_problems(course_map), "06-the-future", "objectives differ")


@pytest.mark.parametrize("link", LINKS)
def test_an_objective_without_an_exercise_question_or_task_is_found(course_map, link):
    module_named(course_map, "08")["objectives"][4][link] = []
    assert problems_mentioning(all_problems(course_map), "08-lab", "has no " + LINK_NAMES[link])


@pytest.mark.parametrize(
    ("link", "bad_id"),
    [("exercises", "9"), ("self_check", "no-such-question"), ("graded_tasks", "test_no_such_task")],
)
def test_an_id_that_does_not_exist_is_found(course_map, link, bad_id):
    module_named(course_map, "03")["objectives"][0][link].append(bad_id)
    assert problems_mentioning(all_problems(course_map), "03-pay", "no such", bad_id)


@pytest.mark.parametrize(
    ("link", "dropped"),
    [("self_check", "tiny-chunks"), ("graded_tasks", "test_hit_rate_at_k"), ("exercises", "1")],
)
def test_a_question_task_or_exercise_no_objective_mentions_is_found(course_map, link, dropped):
    for objective in module_named(course_map, "08")["objectives"]:
        objective[link] = [item for item in objective[link] if item != dropped]
    assert problems_mentioning(all_problems(course_map), "08-lab", "no objective mentions", repr(dropped))


def test_an_unmapped_manually_graded_answer_is_found(course_map):
    objective = module_named(course_map, "06")["objectives"][3]
    objective["graded_tasks"] = ["test_judge_switch_plan"]
    assert problems_mentioning(
        all_problems(course_map), "06-the-future", "no objective mentions", "reflection"
    )


def test_a_section_without_an_exercise_is_not_an_exercise():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("## 1 · First\n\n### Exercise (not graded)"),
        nbformat.v4.new_markdown_cell("## 2 · Second\n\n### Worked example: no exercise here"),
        nbformat.v4.new_markdown_cell("## Self-check\n\n### Exercise outside a numbered section"),
    ]
    assert exercise_sections(notebook) == {"1"}


def test_a_notebook_missing_from_the_map_is_found(course_map):
    del course_map["modules"][6]
    assert problems_mentioning(all_problems(course_map), "solutions/ holds", "07-lab-a-day-as-an-ml-engineer")


def test_a_wrong_title_id_or_kind_is_found(course_map):
    module_named(course_map, "02")["title"] = "Skills and a typical week"
    module_named(course_map, "03")["id"] = "3"
    module_named(course_map, "07")["kind"] = "module"
    problems = all_problems(course_map)
    assert problems_mentioning(problems, "02-skills", "title 'Skills and a typical week' differs")
    assert problems_mentioning(problems, "03-pay", "must be the folder's number")
    assert problems_mentioning(problems, "07-lab", "kind is 'module'")


def test_a_judgement_task_of_another_module_or_no_task_at_all_is_found(course_map):
    module_named(course_map, "02")[JUDGEMENT].append("test_role_age")
    module_named(course_map, "03")[JUDGEMENT].append("test_no_such_task")
    problems = all_problems(course_map)
    assert problems_mentioning(problems, "02-skills", "['test_role_age'] are not autograded tasks")
    assert problems_mentioning(problems, "03-pay", "['test_no_such_task'] are not autograded tasks")


def test_a_manually_graded_answer_is_not_a_judgement_task(course_map):
    module_named(course_map, "06")[JUDGEMENT].append("reflection")
    assert problems_mentioning(all_problems(course_map), "06-the-future", "['reflection'] are not autograded")


def test_a_module_without_judgement_tasks_is_found(course_map):
    del module_named(course_map, "03")[JUDGEMENT]
    module_named(course_map, "05")[JUDGEMENT] = []
    problems = all_problems(course_map)
    assert problems_mentioning(problems, "03-pay", f"no `{JUDGEMENT}`")
    assert problems_mentioning(problems, "05-choosing", f"no `{JUDGEMENT}`")


def test_too_few_judgement_tasks_are_found(course_map):
    for module in course_map["modules"]:
        if module["kind"] == "module":
            module[JUDGEMENT] = module[JUDGEMENT][:1]
    assert problems_mentioning(all_problems(course_map), "6 of the modules' 18 graded tasks", "at least half")


def test_judgement_tasks_that_are_not_a_list_get_a_clear_error(course_map):
    module_named(course_map, "01")[JUDGEMENT] = "test_who_builds"
    assert problems_mentioning(
        all_problems(course_map), "01-core-distinction", f"`{JUDGEMENT}` must be a list"
    )


def test_a_map_without_its_keys_gets_a_clear_error(course_map):
    del module_named(course_map, "01")["objectives"]
    module_named(course_map, "02")["objectives"][0]["exercises"] = [1]
    problems = all_problems(course_map)
    assert problems_mentioning(problems, "01-core-distinction", "no `objectives`")
    assert problems_mentioning(problems, "02-skills", "`exercises` must be a list of strings")


@pytest.mark.parametrize(
    ("pattern", "replacement", "expected"),
    [
        # another title, sections in another order, a missing row, a malformed link, no table at all
        (r"\| Overlap and the blurring line \|", "| Overlap |", "has no row"),
        (r"\| Overlap; The Blurring Line \|", "| The Blurring Line; Overlap |", "has no row"),
        (r"^\| \[08\].*\n", "", "has no row"),
        (r"\(notebooks/01-core-distinction/01", "(notebooks/01-core-distinction/1", "row is"),
        (r"^\| module \| topic \|", "| unit | topic |", "no module table"),
    ],
)
def test_a_readme_table_that_disagrees_with_the_map_is_found(course_map, pattern, replacement, expected):
    readme = README.read_text(encoding="utf-8")
    broken = re.sub(pattern, replacement, readme, count=1, flags=re.M)
    assert broken != readme, "the change must change README"
    assert problems_mentioning(readme_problems(course_map, broken), expected)


def test_a_readme_table_in_another_order_is_found(course_map):
    readme = README.read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if README_ROW.match(line)]
    swapped = readme.replace(rows[0] + "\n" + rows[1], rows[1] + "\n" + rows[0])
    assert swapped != readme
    assert problems_mentioning(readme_problems(course_map, swapped), "another order")
