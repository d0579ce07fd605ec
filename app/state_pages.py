"""The pages of one State's response in one cycle, under ``/cycles/<id>/states/<code>/``: filling in
(app/answering), the history (app/history), comment threads (app/review), who is editing
(app/presence), sections given to contributors (app/assignments), the country profile
(app/reports) and the offline workbook (app/workbooks). One parent blueprint holds them and
loads what their URL names (the cycle, the State, its response and the questionnaire) once per
request; each page reads it with ``app.responses.access.request_context()``.

The context is loaded only for a logged-in user, after the app's own checks of the session
(timeouts, two-factor enrolment): a page asked for by someone logged out goes to the login page
(or, for a form posted after the session ended, keeps its input) without a query. A State user
asking for another State's URL, or anyone for a cycle that does not exist, gets a 404 from the
query (``load_context``), whatever the page."""
from flask import Blueprint, g
from flask_login import current_user

from app.answering.routes import bp as answering
from app.assignments.routes import bp as assignments
from app.history.routes import bp as history
from app.presence.routes import bp as presence
from app.reports.profile_routes import bp as profile
from app.responses.access import load_context
from app.review.comment_routes import bp as comments
from app.workbooks.routes import bp as workbooks

bp = Blueprint("state", __name__, url_prefix="/cycles/<int:cycle_id>/states/<state_code>")
for child in (answering, history, comments, presence, assignments, profile, workbooks):
    bp.register_blueprint(child)


@bp.url_value_preprocessor
def take_context_ids(endpoint, values):
    """The pages' views take only their own arguments; the cycle and State are the context's."""
    g.context_ids = (values.pop("cycle_id"), values.pop("state_code"))


@bp.before_request
def load_response_context():
    if current_user.is_authenticated:
        g.response_context = load_context(current_user, *g.context_ids)


def register(app) -> None:
    app.register_blueprint(bp)
