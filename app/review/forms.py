from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

COMMENT_LENGTH = 10000


class ReturnForm(FlaskForm):
    """Return for clarification, with a comment to the State on the response as a whole
    (comments on questions are written beside them while reviewing)."""

    comment = TextAreaField(_l("Comment to the State"), validators=[DataRequired(), Length(max=COMMENT_LENGTH)],
                            render_kw={"rows": 4, "dir": "auto"})


class AcceptForm(FlaskForm):
    """Accept the submission as it stands."""


class PublishForm(FlaskForm):
    """Publish the accepted response's country profile."""


class _BackForm(FlaskForm):
    #: The page to go back to (a local path; anything else is ignored).
    next = HiddenField()


class CommentForm(_BackForm):
    """The secretariat's new comment on a question (no question: on the whole response)."""

    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=COMMENT_LENGTH)],
                         render_kw={"rows": 3, "dir": "auto"})
    question_id = HiddenField(validators=[Optional(), Length(max=64)])


class ReplyForm(_BackForm):
    body = TextAreaField(_l("Reply"), validators=[DataRequired(), Length(max=COMMENT_LENGTH)],
                         render_kw={"rows": 2, "dir": "auto"})


class ThreadStatusForm(_BackForm):
    """Resolve or reopen a thread."""
