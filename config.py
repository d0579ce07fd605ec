"""Configuration classes, selected by ``APP_CONFIG`` (development, testing, production).

``DATABASE_URL``, when set, selects the database for the app, the CLI and Alembic alike;
otherwise development uses a SQLite file under ``instance/``.
"""
import math
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_SQLITE_URL = f"sqlite:///{INSTANCE_DIR / 'tip.sqlite3'}"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def _list(name: str) -> list[str] | None:
    """A comma-separated environment variable as a list; None when unset or empty."""
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or None


def database_url() -> str:
    """The database every entry point uses: ``DATABASE_URL`` or the embedded SQLite file."""
    return os.environ.get("DATABASE_URL") or DEFAULT_SQLITE_URL


#: The development signing key; published with the code, so production refuses it.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
#: Shortest SECRET_KEY production accepts: 32 characters of a random token carry well over the
#: 128 bits that keep a signed session cookie from being forged.
MIN_SECRET_KEY_LENGTH = 32
#: Least entropy production accepts in SECRET_KEY, estimated from its characters' frequencies:
#: 40 times "a" is long enough but has none.
MIN_SECRET_KEY_BITS = 128


def estimated_bits(secret: str) -> float:
    """Shannon entropy of the characters of ``secret`` times its length: an upper bound of what
    it holds, so a key that fails it is surely weak (a repeated or one-letter key)."""
    counts = Counter(secret)
    return -sum(n * math.log2(n / len(secret)) for n in counts.values())


class Config:
    @classmethod
    def check(cls) -> None:
        """Refuse to start with settings that would be unsafe; only production refuses any."""

    @classmethod
    def from_environment(cls) -> dict:
        """Settings computed from the environment when the app is made."""
        return {}

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
    #: Every account must use two-factor authentication; this lets contributors (who edit their
    #: State's answers but cannot submit them) choose, and exempts no other role.
    TWO_FACTOR_OPTIONAL_FOR_CONTRIBUTORS = _flag("TWO_FACTOR_OPTIONAL_FOR_CONTRIBUTORS", False)
    #: Sign-in with the organisation's OpenID Connect provider (the secretariat's single sign-on);
    #: nothing of it exists without OIDC_ISSUER. Who gets in, and as what: e-mail domains and
    #: groups (claim OIDC_GROUPS_CLAIM), comma-separated; admin lists are read first.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET")
    OIDC_ADMIN_DOMAINS = os.environ.get("OIDC_ADMIN_DOMAINS", "")
    OIDC_ADMIN_GROUPS = os.environ.get("OIDC_ADMIN_GROUPS", "")
    OIDC_SECRETARIAT_DOMAINS = os.environ.get("OIDC_SECRETARIAT_DOMAINS", "")
    OIDC_SECRETARIAT_GROUPS = os.environ.get("OIDC_SECRETARIAT_GROUPS", "")
    OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
    PASSWORD_RESET_TTL = timedelta(hours=1)
    INVITATION_TTL = timedelta(days=7)
    #: Number of proxies in front of the app whose X-Forwarded-For/-Proto headers are trusted.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 0))
    HSTS = False
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    #: Public address of the platform; every link in an e-mail starts with it. Production requires
    #: it, so that no link is ever built from a request's Host header.
    BASE_URL = os.environ.get("BASE_URL")
    #: Links made outside a request (in a job, on the command line) without BASE_URL: the address
    #: ``make run`` serves on.
    LOCAL_BASE_URL = f"http://{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or 5000}"
    #: Host names a request may carry in its Host header; others get 400. None (development):
    #: any. Production defaults to the host of BASE_URL.
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS")
    #: The browser cookie that lets its owner log in while a stranger fails on their account.
    DEVICE_COOKIE_NAME = "tip_device"
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
    #: A DOCX or ODT (a ZIP) is refused beyond these: its parts' expanded size in all, one part
    #: expanding more than this many times its compressed size (text compresses about 5 to 20
    #: times), and its number of parts. A 204 kB DOCX that expands to 200 MB is a ZIP bomb.
    ATTACHMENT_MAX_EXPANDED_BYTES = 100 * 1024 * 1024
    ATTACHMENT_MAX_RATIO = 100
    ATTACHMENT_MAX_PARTS = 2000
    #: Uploaded files, by content hash; outside static/ so they are only served through access checks.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    #: Input posted after a session ended waits this long, at most, for its author to log in
    #: again; no more than this many such stashes are kept (the oldest go first).
    ANONYMOUS_STASH_HOURS = 24
    ANONYMOUS_STASH_LIMIT = 1000
    #: A user's unsaved input: at most this much per page (a section of long answers is far less),
    #: this many pages (the oldest go first), kept this long.
    UNSAVED_INPUT_MAX_BYTES = 2 * 1024 * 1024
    UNSAVED_INPUT_PER_USER = 20
    UNSAVED_INPUT_DAYS = 30
    #: A page's form may have its input kept this long after the page was served.
    UNSAVED_INPUT_TICKET_DAYS = 7
    DEMO_ALLOWED = True
    #: Signs backups (and encrypts those made with --encrypt); kept outside the backup, so an edited
    #: backup cannot be signed again. Unset: derived from SECRET_KEY.
    BACKUP_KEY = os.environ.get("BACKUP_KEY")
    #: Requests to the open-data API per caller (a token, or else an address), and to its CSV of
    #: answers, which costs far more to build (Flask-Limiter's notation).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    API_CSV_RATE_LIMIT = os.environ.get("API_CSV_RATE_LIMIT", "10 per minute")
    #: Where rate-limit counters live, shared by every worker process: Redis when configured,
    #: else the database (app/ratelimit/storage.py).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "tip-database://"
    RATELIMIT_STRATEGY = "fixed-window"
    RATELIMIT_HEADERS_ENABLED = True
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
    #: The test client's host.
    LOCAL_BASE_URL = "http://localhost"
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
    #: ``__Host-`` cookies are refused by browsers unless Secure, set by this very host and for
    #: the path /: a sibling domain or a plain-http page cannot plant or overwrite them.
    SESSION_COOKIE_NAME = "__Host-session"
    DEVICE_COOKIE_NAME = "__Host-tip_device"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    #: Messages carry login links: never print them to a production log.
    MAIL_CONSOLE_ALLOWED = False

    @classmethod
    def check(cls) -> None:
        """Refuse to start with a development secret or the embedded database."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "BASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration needs these environment variables: " + ", ".join(missing)
            )
        secret = os.environ["SECRET_KEY"]
        if (secret == DEVELOPMENT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH
                or estimated_bits(secret) < MIN_SECRET_KEY_BITS):
            raise RuntimeError(
                f"SECRET_KEY must be a random value of at least {MIN_SECRET_KEY_LENGTH} characters "
                f"and {MIN_SECRET_KEY_BITS} bits, "
                'e.g. python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        base = urlsplit(os.environ["BASE_URL"])
        if base.scheme != "https" or not base.hostname:
            raise RuntimeError("BASE_URL must be the platform's https:// address, e.g. https://tip.example.org")

    @classmethod
    def from_environment(cls) -> dict:
        """Settings read when the app is made: links are built from BASE_URL alone (SERVER_NAME
        makes ``url_for(_external=True)`` use its host whatever the request's), and only its host
        (or TRUSTED_HOSTS) may be named by a request."""
        base = os.environ["BASE_URL"].rstrip("/")
        parts = urlsplit(base)
        return {"BASE_URL": base, "SERVER_NAME": parts.netloc, "PREFERRED_URL_SCHEME": "https",
                "TRUSTED_HOSTS": _list("TRUSTED_HOSTS") or [parts.hostname]}


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
