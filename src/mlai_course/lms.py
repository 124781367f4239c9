"""Read an LMS download (Canvas, Moodle, ...) with nbgrader's zip_collect.

An LMS names every submitted file after the student who uploaded it, e.g. Canvas:
`jdoe_12345_67890_01-core-distinction.ipynb`. `nbgrader zip_collect` reads the student id and the original
file name from each name with a regular expression (named groups `student_id` and `file_id`) and copies the
file to submitted/<student_id>/<assignment>/<file_id>.

`AnyFileCollector` is nbgrader's FileNameCollectorPlugin with two changes, so that every student who uploaded
something reaches the grades CSV:

- it keeps every file, not only `.ipynb` ones (a student who uploaded only a PDF gets `missing_notebook`,
  instead of silently vanishing from the class);
- it matches the regular expression against the file name only, not against the whole path.
"""

import os

from nbgrader.plugins.zipcollect import FileNameCollectorPlugin

# <student>_<one or more numbers>_<original file name>; Canvas may add "late_" after the student.
DEFAULT_LMS_REGEX = r"^(?P<student_id>[^_]+)_(?:late_)?(?:\d+_)+(?P<file_id>.+)$"


class AnyFileCollector(FileNameCollectorPlugin):
    """zip_collect collector: every file, matched by its file name."""

    def collect(self, submitted_file: str) -> dict | None:
        return self._match(os.path.basename(submitted_file))
