"""What a learner's kernel imports: data (paths, schemas, data), the checks that visible tests use (checks),
the self-check (questions, quiz, quiz_bank) and its saved progress (progress), the role profile
(role_profile), the capstone's plan (plan) and plot defaults (plots).

Imports nothing from mlai_course.grading or mlai_course.authoring (tests/course/test_package_layout.py
checks it).
"""
