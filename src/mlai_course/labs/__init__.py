"""What the labs import: the described postings and their fixed test set (postings, generate), lab 07's
trained model (role_model), lab 08's stand-in chat model (stand_in, its closed-book knowledge in cues) and
the OpenAI SDK client it answers in-process (chat), tokens and prices (tokens), the course's example serving
and labelling prices (costs), retrieval, guardrails and the finished application (app).

Imports nothing from mlai_course.grading or mlai_course.authoring (tests/course/test_package_layout.py
checks it).
"""
