"""Put back what a student's notebook lost or changed, from the release and the gradebook, in memory.

- `restore_metadata` gives back nbgrader's cell metadata that another editor dropped, by matching cells to the
  release notebook by content, and keeps the copy of a duplicated answer cell that holds the answer;
- `restore_cells` does what nbgrader's sanitising does, from the module read once from the gradebook: every
  known cell gets the gradebook's type, lock, points and checksum, locked cells (tests included) get their
  source back, deleted test cells are put back, outputs are cleared.

Both return notes for the reason column.
"""

import json
import re

import nbformat

from mlai_course.grading.gradebook import Module
from mlai_course.grading.intake import nbgrader_meta

DEF_LINE = re.compile(r"^\s*def\s+([A-Za-z_]\w*)\s*\(", re.M)


def _first_line(source: str) -> str:
    return next((line.strip() for line in source.splitlines() if line.strip()), "")


def _defined_names(source: str) -> set[str]:
    return set(DEF_LINE.findall(source))


def _normal(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def _matches(release_cell, cell) -> bool:
    """Whether a student cell without nbgrader metadata is the release cell `release_cell`, by content."""
    meta = nbgrader_meta(release_cell)
    if cell.cell_type != release_cell.cell_type:
        return False
    if meta.get("solution") and release_cell.cell_type == "code":
        names = _defined_names(release_cell.source)
        return bool(names) and names <= _defined_names(cell.source)
    if meta.get("grade") and not meta.get("solution"):
        first = _first_line(release_cell.source)
        return bool(first) and _first_line(cell.source) == first
    return _normal(cell.source) == _normal(release_cell.source)


def restore_metadata(notebook, release) -> list[str]:
    """Put nbgrader metadata back where another tool dropped it; keep one cell per grade_id.

    Returns notes for the reason column. Cells without nbgrader metadata are matched to the release's nbgrader
    cells that the notebook lacks: answer cells by their `def name(` lines, test cells by their first line,
    other locked cells by their text. When one grade_id is on several cells (an answer cell copied in
    JupyterLab), the copy that holds an answer keeps it (the last changed one, as it runs last); the other
    copies stay in the notebook as plain cells, so every line the student wrote still runs.
    """
    notes = []
    release_cells = [cell for cell in release.cells if nbgrader_meta(cell).get("grade_id")]
    present = {nbgrader_meta(cell).get("grade_id") for cell in notebook.cells}
    restored = []
    for release_cell in release_cells:
        grade_id = nbgrader_meta(release_cell)["grade_id"]
        if grade_id in present:
            continue
        for cell in notebook.cells:
            if not nbgrader_meta(cell) and _matches(release_cell, cell):
                cell.metadata["nbgrader"] = json.loads(json.dumps(nbgrader_meta(release_cell)))
                present.add(grade_id)
                restored.append(grade_id)
                break
    if restored:
        notes.append(f"nbgrader metadata restored by content for {len(restored)} cells")
    stubs = {nbgrader_meta(cell)["grade_id"]: _normal(cell.source) for cell in release_cells}
    by_id: dict[str, list] = {}
    for cell in notebook.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id:
            by_id.setdefault(grade_id, []).append(cell)
    for grade_id, cells in by_id.items():
        if len(cells) < 2:
            continue
        answered = [cell for cell in cells if _normal(cell.source) != stubs.get(grade_id)]
        keep = (answered or cells)[-1] if nbgrader_meta(cells[0]).get("solution") else cells[0]
        for cell in cells:
            if cell is not keep:
                del cell.metadata["nbgrader"]
        notes.append(f"{len(cells)} cells had the id {grade_id}: graded the one holding the answer")
    return notes


def restore_cells(notebook, module: Module) -> list[str]:
    """What nbgrader's sanitising does, in memory, from the module read once from the gradebook.

    Cells whose grade_id the module does not know lose their nbgrader metadata; every known cell gets the
    gradebook's cell type, lock, points and checksum; locked cells (tests included) get the gradebook's
    source back whatever the student did to them; deleted graded cells are put back after the cell that came
    before them in the source.
    """
    notes = []
    seen = set()
    edited = []
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        source_cell = module.cell(grade_id)
        if source_cell is None or grade_id in seen:
            del cell.metadata["nbgrader"]
            continue
        seen.add(grade_id)
        if cell.cell_type != source_cell.cell_type:
            cell.cell_type = source_cell.cell_type
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            else:
                cell.pop("outputs", None)
                cell.pop("execution_count", None)
        meta["locked"] = source_cell.locked
        meta["grade"] = grade_id in module.points
        meta["solution"] = grade_id in module.solutions
        meta["task"] = grade_id in module.tasks
        if grade_id in module.points:
            meta["points"] = module.points[grade_id]
        meta["checksum"] = source_cell.checksum
        meta.setdefault("schema_version", 3)
        if source_cell.locked:
            released = module.released_source(grade_id)
            if (
                grade_id in module.points
                and released is not None
                and _normal(cell.source) != _normal(released)
            ):
                edited.append(grade_id)
            cell.source = source_cell.source
    if edited:
        notes.append(f"edited test cells restored: {', '.join(edited)}")
    missing = []
    names = [cell.name for cell in module.cells]
    for index, source_cell in enumerate(module.cells):
        if source_cell.name in seen or source_cell.name not in module.points:
            continue
        position = 0
        for earlier in reversed(names[:index]):
            where = [
                i for i, cell in enumerate(notebook.cells) if nbgrader_meta(cell).get("grade_id") == earlier
            ]
            if where:
                position = where[0] + 1
                break
        cell = (
            nbformat.v4.new_code_cell if source_cell.cell_type == "code" else nbformat.v4.new_markdown_cell
        )(source_cell.source)
        cell.metadata["nbgrader"] = {
            "grade": True,
            "grade_id": source_cell.name,
            "locked": source_cell.locked,
            "points": module.points[source_cell.name],
            "solution": source_cell.name in module.solutions,
            "task": False,
            "checksum": source_cell.checksum,
            "schema_version": 3,
        }
        notebook.cells.insert(position, cell)
        seen.add(source_cell.name)
        missing.append(source_cell.name)
    if missing:
        notes.append(f"deleted test cells put back: {', '.join(missing)}")
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata = nbformat.from_dict(
            {key: value for key, value in cell.metadata.items() if key in ("nbgrader", "tags")}
        )
        cell.pop("attachments", None) if cell.cell_type == "code" else None
    notebook.metadata = nbformat.from_dict(
        {
            "kernelspec": module.kernelspec or notebook.metadata.get("kernelspec", {}),
            "language_info": {"name": "python"},
        }
    )
    return notes
