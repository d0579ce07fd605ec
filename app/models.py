"""Every model, imported so that the metadata is complete for Alembic and tests."""
from app.extensions import db
from app.states.models import State  # noqa: F401
from app.auth.models import AccountToken, IdentityLink, LoginThrottle, RecoveryCode, User  # noqa: F401
from app.questionnaires.models import QuestionnaireVersion  # noqa: F401
from app.cycles.models import ReportingCycle  # noqa: F401
from app.responses.models import AnswerChange, FigureConfirmation, Response, ResponsePrefill, Revision  # noqa: F401
from app.review.models import ReviewComment  # noqa: F401
from app.attachments.models import Attachment  # noqa: F401
from app.stash.models import StashedForm  # noqa: F401
from app.api.models import ApiToken  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.reports.models import ProfilePdf  # noqa: F401
from app.assignments.models import SectionAssignment  # noqa: F401
from app.presence.models import EditingPresence  # noqa: F401
from app.ratelimit.models import RateLimitCounter  # noqa: F401
from app.notifications.models import DeadlineReminder, Notification  # noqa: F401
from app.jobs.models import Job, JobItem  # noqa: F401

metadata = db.metadata
