"""A ``limits`` storage in the app's database, for Flask-Limiter's fixed-window strategy.

Each count is one statement, ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (SQLite and
PostgreSQL alike), in a transaction of its own: concurrent requests of every worker process add
up exactly, and the count is kept whatever becomes of the request's own transaction."""
import random
import time

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from app.database import write_transaction
from app.extensions import db
from app.ratelimit.models import RateLimitCounter

COUNTERS = RateLimitCounter.__table__
#: One count in this many also deletes the windows that have ended.
PRUNE_ONE_IN = 200
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class DatabaseStorage(Storage):
    STORAGE_SCHEME = ["tip-database"]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        insert = _INSERTS[db.engine.dialect.name](COUNTERS).values(key=key, count=amount, expires_at=now + expiry)
        ended = COUNTERS.c.expires_at <= now
        statement = insert.on_conflict_do_update(index_elements=[COUNTERS.c.key], set_={
            "count": sa.case((ended, amount), else_=COUNTERS.c.count + amount),
            "expires_at": sa.case((ended, now + expiry), else_=COUNTERS.c.expires_at),
        }).returning(COUNTERS.c.count)
        with write_transaction(), db.engine.begin() as connection:
            count = connection.scalar(statement)
            if random.randrange(PRUNE_ONE_IN) == 0:
                connection.execute(COUNTERS.delete().where(ended))
        return count

    def _row(self, key: str):
        with db.engine.connect() as connection:
            return connection.execute(sa.select(COUNTERS.c.count, COUNTERS.c.expires_at)
                                      .where(COUNTERS.c.key == key, COUNTERS.c.expires_at > time.time())).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(sa.select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with write_transaction(), db.engine.begin() as connection:
            return connection.execute(COUNTERS.delete()).rowcount

    def clear(self, key: str) -> None:
        with write_transaction(), db.engine.begin() as connection:
            connection.execute(COUNTERS.delete().where(COUNTERS.c.key == key))
