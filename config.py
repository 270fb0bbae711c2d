"""Configuration classes: development (default), testing and production.

Production reads its secrets from the environment and refuses to start
without a real ``SECRET_KEY``.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-key-not-for-production")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'eventapp.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None

    # Public identity of the site, used in e-mails, feeds (UIDs) and absolute links.
    SITE_NAME = os.environ.get("SITE_NAME", "Mois de l'innovation publique")
    SITE_HOST = os.environ.get("SITE_HOST", "127.0.0.1:5000")
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # The State's brand block (Marianne, "République française") belongs to State services only.
    SHOW_STATE_BRAND = _bool("SHOW_STATE_BRAND", True)
    BRAND_OPERATOR = os.environ.get(
        "BRAND_OPERATOR", "Direction interministérielle de la transformation publique"
    )

    # Where the npm packages live (DSFR assets, administrative divisions).
    NODE_MODULES_DIR = os.environ.get("NODE_MODULES_DIR", str(BASE_DIR / "node_modules"))

    # Mail: every message goes through the outbox table; `flask outbox send` delivers it.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")  # "smtp" or "console"
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Mois de l'innovation publique <ne-pas-repondre@localhost>"
    )
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 8)
    # Retry after 1, 2, 4… minutes, at most an hour apart; claimed rows are hidden from other
    # senders for OUTBOX_CLAIM_SECONDS (retried after that if the sender died mid-batch).
    OUTBOX_RETRY_BASE_SECONDS = _int("OUTBOX_RETRY_BASE_SECONDS", 60)
    OUTBOX_RETRY_MAX_SECONDS = _int("OUTBOX_RETRY_MAX_SECONDS", 3600)
    OUTBOX_CLAIM_SECONDS = _int("OUTBOX_CLAIM_SECONDS", 900)
    OUTBOX_BATCH_SIZE = _int("OUTBOX_BATCH_SIZE", 20)

    # Accounts.
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_HASH_METHOD = "scrypt"
    EMAIL_VERIFICATION_MAX_AGE = 7 * 24 * 3600
    PASSWORD_RESET_MAX_AGE = 3600
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

    # Rate limits (Flask-Limiter). Memory by default; Redis in production.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes")
    # Sign-ups, password-reset requests and verification e-mails (each sends a message).
    SIGNUP_LIMIT_PER_ADDRESS = os.environ.get("SIGNUP_LIMIT_PER_ADDRESS", "10 per hour")
    PASSWORD_RESET_LIMIT_PER_ADDRESS = os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "10 per hour")
    PASSWORD_RESET_LIMIT_PER_ACCOUNT = os.environ.get("PASSWORD_RESET_LIMIT_PER_ACCOUNT", "3 per hour")
    VERIFICATION_RESEND_LIMIT = os.environ.get("VERIFICATION_RESEND_LIMIT", "5 per hour")
    # Registrations (per account) and personal calendar feeds (per feed token).
    REGISTRATION_LIMIT_PER_ACCOUNT = os.environ.get("REGISTRATION_LIMIT_PER_ACCOUNT", "30 per hour")
    PERSONAL_FEED_LIMIT_PER_TOKEN = os.environ.get("PERSONAL_FEED_LIMIT_PER_TOKEN", "120 per hour")
    # Reverse proxies in front of the app (0: none). Each one's X-Forwarded-For and
    # X-Forwarded-Proto are trusted, so limits count real client addresses (werkzeug ProxyFix).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    # Request bodies larger than this are refused (413) before any parsing.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)

    # Calendar feeds.
    FEED_TTL_SECONDS = _int("FEED_TTL_SECONDS", 3600)

    # How long a process reuses the data version it read (seconds): a write made by another process
    # shows on anonymous pages and feeds at most this much later; 0 reads it for every request.
    DATA_VERSION_MAX_AGE_SECONDS = float(os.environ.get("DATA_VERSION_MAX_AGE_SECONDS", "0.2"))

    PROGRAMME_PAGE_SIZE = 30

    # Benchmark hooks (``make bench``): a database-free floor route and an X-Query-Count header.
    BENCH_FLOOR_ROUTE = _bool("BENCH_FLOOR_ROUTE", False)
    BENCH_QUERY_COUNT = _bool("BENCH_QUERY_COUNT", False)


class DevelopmentConfig(Config):
    """Local development on SQLite, e-mails printed to the console."""

    DEBUG = False


class TestingConfig(Config):
    """The test suite: in-memory rate limits, cheap password hashes, no CSRF by default."""

    TESTING = True
    SECRET_KEY = "testing-secret-key"
    # Tests write outside the session too (emptying tables): every request reads the version.
    DATA_VERSION_MAX_AGE_SECONDS = 0.0
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    MAIL_BACKEND = "console"
    SERVER_NAME = None
    RATELIMIT_STORAGE_URI = "memory://"


class ProductionConfig(Config):
    """Production: PostgreSQL from DATABASE_URL, SMTP, secure cookies, Redis rate limits."""

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")
    # Never in production, whatever the environment says.
    BENCH_FLOOR_ROUTE = False
    BENCH_QUERY_COUNT = False

    @classmethod
    def check(cls, config: dict) -> None:
        """Refuse to start with a missing or development secret key, or no database URL."""
        secret = os.environ.get("SECRET_KEY", "")
        if len(secret) < 32 or secret == Config.SECRET_KEY:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production."
            )
        config["SECRET_KEY"] = secret
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production.")
        config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        if config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://"):
            import logging

            logging.getLogger("eventapp").warning(
                "RATELIMIT_STORAGE_URI is memory://: each gunicorn worker keeps its own rate-limit "
                "counters. Set RATELIMIT_STORAGE_URI=redis://… so that the limits hold across workers."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
