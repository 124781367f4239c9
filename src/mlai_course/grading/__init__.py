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
    pipeline     grade_class: the stages above, top to bottom, students in parallel (threads here, or a
                 Dask cluster: cluster, with course_version to refuse a worker on another course); each
                 finished student reported with a count and the time left (grading_progress)

demo_class builds a class with every kind of broken submission, from the course's own notebooks.

A class on JupyterHub (`mlai-course class-hub`): roster (the class's users), class_hub (the hub's set-up),
hub_sandbox and hub_spawner (each user's server as that user, in its own view of the machine); around the
pipeline, exchange_collect (nbgrader's exchange into submitted/, checking who really submitted) and
exchange_feedback (the scrubbed feedback back into the exchange).
This package is never shipped to learners and never imported by a learner's kernel.
"""
