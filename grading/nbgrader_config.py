"""nbgrader configuration for this course. Run nbgrader from this folder.

Authors edit the instructor versions in ../solutions; `make release` writes
the student versions into ../notebooks. The gradebook (gradebook.db) and all
class data (submitted/, autograded/, feedback/) stay out of git.
"""

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "ml-vs-ai-engineer"
c.CourseDirectory.source_directory = "../solutions"
c.CourseDirectory.release_directory = "../notebooks"

# Seconds per cell when autograding; notebooks run in a few seconds in all.
c.Execute.timeout = 30
# Put back test cells a student deleted, so every test still runs.
c.OverwriteCells.add_missing_cells = True

# What the student version holds in place of a solution: a line that says what to do.
c.ClearSolutions.code_stub = {"python": 'raise NotImplementedError("Replace this line with your code.")'}
c.ClearSolutions.text_stub = "Write your answer here, in your own words."
