"""Forms of the answering pages. The section form itself is not a WTForms form: its fields come
from the questionnaire (app/answering/fields.py names them, the answer types read and check them,
app/answering/views.py renders them) and Flask-WTF's CSRF protection covers every POST."""
from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state (start, submit)."""
