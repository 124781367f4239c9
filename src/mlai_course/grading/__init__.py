"""The instructor's grading pipeline: `mlai-course grade`, one module per stage, in the order a submission
moves through them.

    options      what one run grades, and with which limits (GradingOptions); one grader per class folder
    gradebook    the module recorded once in nbgrader's gradebook; each student's grades written back
    collect      the submissions: folders submitted/<student>/<module>/, an LMS zip collected into them
    intake       a student's folder to a notebook, read without trusting anything in it
    restore      nbgrader metadata and locked cells (tests included) put back from the gradebook
    sandbox      bubblewrap and an unprivileged user per slot (sandbox_kernel runs inside it)
    execute      the notebook run in a sandboxed kernel, with cell and student time limits
    judge        canary tests, and each test cell's points from what the grader observed
    feedback     the autograded notebook made safe to hand back, hidden tests scrubbed, leaks withheld
    report       grades.csv, summary.md, summary.png and the run's record
    pipeline     grade_class: the stages above, top to bottom, students in parallel

demo_class builds a class with every kind of broken submission, from the course's own notebooks.
This package is never shipped to learners and never imported by a learner's kernel.
"""
