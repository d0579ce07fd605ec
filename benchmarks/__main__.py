"""Run every benchmark module (benchmarks/bench_*.py) and print its figures.

Each module defines ``run(app, out_dir) -> list[str]`` returning result lines; it gets a fresh
app on a scratch database (SQLite by default, BENCH_DATABASE_URL for PostgreSQL).
Usage: python -m benchmarks [name-substring ...]
"""
import importlib
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from app import create_app
from app.database import alembic_config

HERE = Path(__file__).parent


def scratch_app(directory: Path):
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{directory / 'bench.sqlite3'}"
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    command.upgrade(alembic_config(url), "head")
    # Only warnings on stderr: the security log's line per save would bury the figures.
    return create_app("development", {"SQLALCHEMY_DATABASE_URI": url, "LOG_LEVEL": "WARNING"})


def main(filters: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    names = [n for n in names if not filters or any(f in n for f in filters)]
    out_dir = Path(os.environ.get("BENCH_OUT", "bench-results"))
    out_dir.mkdir(exist_ok=True)
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        with tempfile.TemporaryDirectory() as scratch:
            app = scratch_app(Path(scratch))
            started = time.perf_counter()
            with app.app_context():
                lines = module.run(app, out_dir)
            print(f"== {name} ({time.perf_counter() - started:.1f} s)")
            for line in lines:
                print(f"   {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
