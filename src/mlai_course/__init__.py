"""Helpers shared by the course notebooks, the autograder and Binder."""

__version__ = "0.1.0"
