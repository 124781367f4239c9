"""The schema of every table in data/: its columns, their types and the values they allow.

`mlai_course.data.load_table` checks each file against its schema before a notebook sees it.
data/README.md describes the same columns in words; tests/test_data_schemas.py keeps the two in step.
"""

from dataclasses import dataclass

ROLES = ("ML Engineer", "AI Engineer")
# The course's one answer, in every task, when the evidence does not decide between the two roles.
UNDECIDED = "Undecided"
ARTICLE_SECTIONS = (
    "The Core Distinction",
    "How the Roles Evolved",
    "Skills Comparison",
    "Overlap",
    "Day-to-Day Comparison",
    "Compensation Comparison",
    "Job Market Dynamics",
    "Which Should You Choose?",
    "Career Switching",
    "The Blurring Line",
    "Interview Differences",
    "The Future",
    "The Bottom Line",
)
LEVELS = ("Junior", "Mid", "Senior", "Staff")
DTYPES = ("string", "integer", "float", "boolean")
SPLITS = ("train", "test")


@dataclass(frozen=True)
class Column:
    """One column: its name, type (one of DTYPES) and, optionally, allowed values or a range."""

    name: str
    dtype: str
    allowed: tuple | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    nullable: bool = False

    def __post_init__(self):
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name!r}: dtype must be one of {DTYPES}, not {self.dtype!r}")


@dataclass(frozen=True)
class TableSchema:
    """A table: its columns, the columns that identify a row, and column pairs ordered on each row."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    less_than: tuple[tuple[str, str], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


def _role(name: str = "role", *, both: bool = False) -> Column:
    return Column(name, "string", allowed=(*ROLES, "Both") if both else ROLES)


def _rank(name: str = "rank") -> Column:
    return Column(name, "integer", minimum=1)


def _text(name: str) -> Column:
    return Column(name, "string")


def _heading_in_seed() -> Column:
    return Column("heading_in_seed", "boolean")


def _lab_postings(name: str) -> TableSchema:
    """Synthetic postings with a free-text description, for the labs (mlai_course.labs.generate)."""
    return TableSchema(
        name,
        (
            Column("posting_id", "integer", minimum=1),
            Column("split", "string", allowed=SPLITS),
            _text("title"),
            _role("title_role"),
            Column("level", "string", allowed=LEVELS),
            _text("description"),
            _role(),
        ),
        key=("posting_id",),
    )


def _ranked_list(name: str, item: str) -> TableSchema:
    """A list from the seed: one row per item, per role, with its position in the seed's list."""
    return TableSchema(name, (_role(), _rank(), _text(item)), key=("role", "rank"))


SCHEMAS: dict[str, TableSchema] = {
    schema.name: schema
    for schema in (
        TableSchema(
            "role_definitions",
            (_role(), _text("definition"), _text("focus"), _text("in_short")),
            key=("role",),
        ),
        TableSchema(
            "role_evolution",
            (
                _role(),
                Column("start_year", "integer", minimum=1950, maximum=2100),
                _text("emerged_from"),
                _rank("step"),
                _text("driver"),
            ),
            key=("role", "step"),
        ),
        _ranked_list("role_focus", "focus"),
        TableSchema(
            "skills",
            (
                _role(both=True),
                Column("skill_list", "string", allowed=("required", "overlap", "senior_blurring")),
                _rank(),
                _text("skill"),
                _heading_in_seed(),
            ),
            key=("role", "skill_list", "rank"),
        ),
        _ranked_list("daily_tasks", "task"),
        TableSchema(
            "compensation",
            (
                Column("level", "string", allowed=LEVELS),
                Column("level_rank", "integer", minimum=1, maximum=len(LEVELS)),
                _role(),
                Column("low_usd", "integer", minimum=1),
                Column("high_usd", "integer", minimum=1),
            ),
            key=("level", "role"),
            less_than=(("low_usd", "high_usd"),),
        ),
        TableSchema("premium_reasons", (_rank(), _text("reason")), key=("rank",)),
        _ranked_list("market_trends", "trend"),
        _ranked_list("hiring_sectors", "sector"),
        _ranked_list("choose_if", "statement"),
        TableSchema(
            "career_switch",
            (_role("from_role"), _role("to_role"), _rank(), _text("point"), _heading_in_seed()),
            key=("from_role", "rank"),
        ),
        TableSchema(
            "career_switch_timelines",
            (
                _role("from_role"),
                _role("to_role"),
                Column("min_months", "integer", minimum=0),
                Column("max_months", "integer", minimum=0),
                _heading_in_seed(),
            ),
            key=("from_role",),
            less_than=(("min_months", "max_months"),),
        ),
        _ranked_list("interview_topics", "topic"),
        TableSchema(
            "future_predictions",
            (_role(), _rank(), _text("prediction"), _heading_in_seed()),
            key=("role", "rank"),
        ),
        TableSchema(
            "rag_questions",
            (
                Column("question_id", "integer", minimum=1),
                _text("question"),
                _text("answer"),
                Column("section", "string", allowed=ARTICLE_SECTIONS),
            ),
            key=("question_id",),
        ),
        TableSchema(
            "job_postings_synthetic",
            (
                Column("posting_id", "integer", minimum=1),
                _text("title"),
                _role(),
                Column("level", "string", allowed=LEVELS),
                _text("sector"),
                _text("skills"),
                Column("salary_low_usd", "integer", minimum=1),
                Column("salary_high_usd", "integer", minimum=1),
                Column("remote", "boolean"),
            ),
            key=("posting_id",),
            less_than=(("salary_low_usd", "salary_high_usd"),),
        ),
        _lab_postings("lab_postings_synthetic"),
        _lab_postings("lab_postings_next_quarter_synthetic"),
    )
}
