import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class RateLimitCounter(db.Model):
    """One fixed window of a rate limit: how many requests a key made since it began."""

    __tablename__ = "rate_limit_counters"

    #: Flask-Limiter's key: the limit, the route and the caller (address or token fingerprint).
    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    #: When the window ends (seconds since the epoch); a later request starts a new one.
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)
