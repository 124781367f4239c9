"""What course authors run: the release of the student notebooks (release.py), the student edition
(student_edition.py) and the code the benchmark scripts in tools/ share (benchmarks.py).

Never shipped to learners and never imported by a learner's kernel.
"""
