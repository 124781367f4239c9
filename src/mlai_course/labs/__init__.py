"""Code shared by the course's labs: the described postings, their fixed test set, and lab helpers.

Each lab adds its own modules here (postings.py, generate.py, role_model.py, ...); see their docstrings.
"""
