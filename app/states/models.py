import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class State(db.Model):
    """A UN Member State. Names are not stored: its UN official short name in the reader's
    language comes from ``un_official_names.yaml`` (see ``app.states.names.state_name``)."""

    __tablename__ = "states"
    __table_args__ = (
        sa.CheckConstraint("length(code) = 3 AND code = upper(code)", name="code_alpha3"),
        sa.CheckConstraint("length(alpha2) = 2", name="alpha2_length"),
    )

    #: ISO 3166-1 alpha-3 code, e.g. ``FRA``.
    code: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    #: ISO 3166-1 alpha-2 code, the key of ``state_name`` (and of CLDR's territory data).
    alpha2: Mapped[str] = mapped_column(sa.String(2), unique=True)
    #: UN M49 numeric code, e.g. ``250``.
    m49: Mapped[str] = mapped_column(sa.String(3), unique=True)

    def __repr__(self) -> str:
        return f"<State {self.code}>"
