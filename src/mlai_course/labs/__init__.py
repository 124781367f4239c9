"""Code shared by the course's labs (07: a day as an ML engineer; 08: a day as an AI engineer)."""
