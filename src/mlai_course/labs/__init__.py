"""What the labs import: the described postings and their fixed test set (postings, generate), lab 07's
trained model (role_model), lab 08's stand-in chat model and client (stand_in, chat), tokens and prices
(tokens), retrieval, guardrails and the finished application (app).

Imports nothing from mlai_course.grading or mlai_course.authoring (tests/course/test_package_layout.py
checks it).
"""
