"""A response's history, for the State and the secretariat: the timeline of revisions, any
revision as it stood, two revisions compared, and restoring earlier answers. Nested under
/cycles/<id>/states/<code>/ (app/state_pages.py)."""
