"""Filling in a State's questionnaire: the overview, the section forms (saved by the Save button
and by autosave, merged with what others saved meanwhile), submitting. Nested under
/cycles/<id>/states/<code>/ (app/state_pages.py)."""
