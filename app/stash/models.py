from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import MultiDict

from app.auth.models import User
from app.database import JSONType, UTCDateTime, utcnow
from app.extensions import db


class StashedForm(db.Model):
    """Input posted to a page but not saved: one per user and page, until saved or discarded."""

    __tablename__ = "stashed_forms"
    __table_args__ = (sa.UniqueConstraint("user_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unguessable; names an anonymous stash until its user logs in again and claims it.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Whose input this is; None while anonymous.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"))
    #: The URL path of the page the form belongs to.
    path: Mapped[str] = mapped_column(sa.String(500))
    #: The posted fields as [name, value] pairs, in order; a name may repeat (checkboxes).
    fields: Mapped[list] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def formdata(self) -> MultiDict:
        """The input as a form would have received it."""
        return MultiDict([(name, value) for name, value in self.fields])

    def __repr__(self) -> str:
        return f"<StashedForm {self.path} user={self.user_id}>"
