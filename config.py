"""Configuration classes, selected by ``APP_CONFIG`` (development, testing, production).

``DATABASE_URL``, when set, selects the database for the app, the CLI and Alembic alike;
otherwise development uses a SQLite file under ``instance/``.
"""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_SQLITE_URL = f"sqlite:///{INSTANCE_DIR / 'tip.sqlite3'}"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def database_url() -> str:
    """The database every entry point uses: ``DATABASE_URL`` or the embedded SQLite file."""
    return os.environ.get("DATABASE_URL") or DEFAULT_SQLITE_URL


#: The development signing key; published with the code, so production refuses it.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
#: Shortest SECRET_KEY production accepts: 32 characters of a random token carry well over the
#: 128 bits that keep a signed session cookie from being forged.
MIN_SECRET_KEY_LENGTH = 32


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    QUESTIONNAIRE_DIR = os.environ.get("QUESTIONNAIRE_DIR", str(BASE_DIR / "questionnaires"))
    STATIC_DIR = str(BASE_DIR / "static")
    LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    WTF_CSRF_TIME_LIMIT = None  # a long questionnaire fill must not expire the form token
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    #: A session ends after this long without a request, and this long after login regardless.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", 30)))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", 12)))
    #: Login throttling (see docs/security.md): failures before a lock, per e-mail address and
    #: per client address; locks double from one minute up to the maximum.
    LOGIN_FAILURES_PER_ACCOUNT = 5
    LOGIN_FAILURES_PER_ADDRESS = 50
    LOGIN_LOCK_MAX = timedelta(minutes=15)
    PASSWORD_RESET_TTL = timedelta(hours=1)
    INVITATION_TTL = timedelta(days=7)
    #: Number of proxies in front of the app whose X-Forwarded-For/-Proto headers are trusted.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 0))
    HSTS = False
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    #: Public address of the platform, for links in e-mails sent outside a request.
    BASE_URL = os.environ.get("BASE_URL")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND")
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _flag("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "TIP self-assessment <no-reply@localhost>")
    MAIL_TIMEOUT = 10
    MAIL_CONSOLE_ALLOWED = True
    #: One save of a section, files included; larger requests get the "file too large" page.
    MAX_CONTENT_LENGTH = 40 * 1024 * 1024
    #: The text fields of one multipart save: Werkzeug's default, 500 kB, is less than a section of
    #: long answers in Arabic or Russian (two bytes a letter).
    MAX_FORM_MEMORY_SIZE = 8 * 1024 * 1024
    #: One uploaded file; a larger one is refused beside its field, the other answers are saved.
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    #: Uploaded files, by content hash; outside static/ so they are only served through access checks.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    #: Input posted after a session ended waits this long, at most, for its author to log in
    #: again; no more than this many such stashes are kept (the oldest go first).
    ANONYMOUS_STASH_HOURS = 24
    ANONYMOUS_STASH_LIMIT = 1000
    DEMO_ALLOWED = True
    #: Someone counts as editing a section while their browser's heartbeat is this recent; the
    #: browser renews it (and refreshes who else is editing) every PRESENCE_POLL_SECONDS.
    PRESENCE_TTL_SECONDS = 60
    PRESENCE_POLL_SECONDS = 20
    #: `notifications deadlines` reminds States this many days before a cycle's deadline.
    DEADLINE_REMINDER_DAYS = tuple(int(d) for d in os.environ.get("DEADLINE_REMINDER_DAYS", "14,7,1").split(","))
    #: When job workers send the deadline reminders by themselves (cron syntax, UTC).
    DEADLINE_REMINDER_CRON = os.environ.get("DEADLINE_REMINDER_CRON", "0 6 * * *")
    #: Where jobs run (app/jobs): ``queue`` (procrastinate, PostgreSQL only) or ``inprocess``;
    #: unset, the queue on PostgreSQL and the process on SQLite.
    JOBS_BACKEND = os.environ.get("JOBS_BACKEND")
    #: In-process jobs run at once, inside the commit that queued them (tests).
    JOBS_EAGER = False
    #: Back-off base between the tries of a failed job (2, 4, 8 s with 2).
    JOBS_RETRY_SECONDS = int(os.environ.get("JOBS_RETRY_SECONDS", 2))
    #: Workers beat this often; one silent for three beats is taken as dead and its jobs run again.
    JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", 10))
    #: Finished jobs (and the exports they made) are kept this long; workers drop older ones at
    #: JOBS_CLEANUP_CRON.
    JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", 7))
    JOBS_CLEANUP_CRON = os.environ.get("JOBS_CLEANUP_CRON", "30 3 * * *")
    #: Rendered profiles kept in the database, at most (the oldest make way); room for every
    #: State in six languages twice over (a profile is 0.1 to 0.5 MB).
    PROFILE_CACHE_MB = int(os.environ.get("PROFILE_CACHE_MB", 2048))
    #: One profile's render may take this long and this much address space before it is stopped.
    PROFILE_RENDER_SECONDS = float(os.environ.get("PROFILE_RENDER_SECONDS", 120))
    PROFILE_RENDER_MB = int(os.environ.get("PROFILE_RENDER_MB", 2048))
    #: Renders one user may start in an hour (a cached profile or a render under way costs none).
    PROFILE_RENDERS_PER_HOUR = int(os.environ.get("PROFILE_RENDERS_PER_HOUR", 60))
    #: Names the release (e.g. its commit): the cache of profiles then keys on it alone.
    RELEASE_ID = os.environ.get("RELEASE_ID")


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    MAIL_BACKEND = "memory"
    #: Jobs run at once in the test process, on SQLite and PostgreSQL alike; the tests of the
    #: queue itself ask for it (tests/test_production_stack.py).
    JOBS_BACKEND = "inprocess"
    JOBS_EAGER = True
    JOBS_RETRY_SECONDS = 0
    #: Browser tests see another person's presence within a second or two.
    PRESENCE_POLL_SECONDS = 1
    #: Cheap hashing so that logging in a hundred times does not dominate the suite.
    ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class ProductionConfig(Config):
    DEMO_ALLOWED = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    #: Messages carry login links: never print them to a production log.
    MAIL_CONSOLE_ALLOWED = False

    @classmethod
    def check(cls) -> None:
        """Refuse to start with a development secret or the embedded database."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration needs these environment variables: " + ", ".join(missing)
            )
        secret = os.environ["SECRET_KEY"]
        if secret == DEVELOPMENT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY must be a random value of at least {MIN_SECRET_KEY_LENGTH} characters, "
                'e.g. python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("APP_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown APP_CONFIG {name!r}; use one of {', '.join(CONFIGS)}") from None
