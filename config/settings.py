"""Settings, read from the environment (12-factor).

With nothing set this is a local development configuration: an SQLite file database, Celery
tasks run eagerly, debug on, e-mail to the console. ``DJANGO_ENV=production`` turns debug off
and refuses to start (ImproperlyConfigured, one line naming each setting) without
``ALLOWED_HOSTS``, ``DATABASE_URL`` (no silent SQLite), ``CELERY_BROKER_URL`` (no silent
in-process tasks) and a strong ``SECRET_KEY`` (50+ characters, not the development default).
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"


def production_problems() -> list[str]:
    """What stops DJANGO_ENV=production from starting, one phrase per setting (empty: fine)."""
    problems = [
        f"{name} is not set"
        for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
        if not env.str(name, default="")
    ]
    key = env.str("SECRET_KEY", default="")
    if key and (key == DEV_SECRET_KEY or key.startswith("django-insecure-")):
        problems.append("SECRET_KEY is the development default or marked insecure")
    elif key and (len(key) < 50 or len(set(key)) < 5):
        problems.append(
            f"SECRET_KEY is too weak ({len(key)} characters, {len(set(key))} distinct; "
            "at least 50 and 5 needed; make one with secrets.token_urlsafe(64))"
        )
    if not env.str("CELERY_BROKER_URL", default=""):
        problems.append("CELERY_BROKER_URL is not set (tasks would run inside the web request)")
    if env.str("DEMO_CLOCK", default=""):
        problems.append("DEMO_CLOCK moves the clock for the demo: never set it in production")
    return problems


if PRODUCTION:
    if problems := production_problems():
        raise ImproperlyConfigured("DJANGO_ENV=production refuses to start: " + "; ".join(problems))
    SECRET_KEY = env.str("SECRET_KEY")
    DEBUG = False
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "common",
    "complaints",
    "letters",
    "remediation",
    "notifications",
    "intake",
    "fos",
    "evidence",
    "reporting",
    "audit",
    "inbox",
    "mailroom",
    "demo",
    "axes",
    # Sign-in: two-factor (TOTP, recovery codes) and single sign-on (OpenID Connect), one
    # library (docs/security.md, "Two-factor and single sign-on").
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Django's own Content-Security-Policy (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL byte in a query string is a 400 naming the parameter (docs/security.md, Input).
    "common.inputs.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A member of a firm requiring two-factor sign-in sets it up before anything else works.
    "audit.twofactor.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a lockout into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "complaints.context_processors.firm_context",
                "notifications.selectors.unread_context",
                "inbox.context_processors.inbox_nav",
                "demo.clock.demo_clock_context",
            ],
        },
    },
]

# Django's form renderer with its commonest widget and field templates in Python (issue 18).
FORM_RENDERER = "common.form_renderer.FormRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The hottest reads (common.compiled's ``prepared=True``: the API's token and complaint
    # detail, the create's duplicate check) and single-row writes (common.bulk: the create's
    # rows, outbox intents) are prepared statements, planned once per connection (issue 18).
    # Nothing else is prepared automatically (the threshold is never reached: Django's cursors
    # never prepare). False for a pooler that cannot keep prepared statements (PgBouncer
    # before 1.21, or without max_prepared_statements in transaction mode): they then run
    # unprepared.
    if env.bool("DB_PREPARED_READS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**62)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Sign-in hardening (django-axes): 5 failures for one username from one address lock that
# pair for 30 minutes; a success resets the count. Axes' backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Whose address an attempt comes from: REMOTE_ADDR, unless that is one of TRUSTED_PROXIES (the
# reverse proxies' addresses or networks, e.g. "10.0.0.5" or "10.0.0.0/24"); then the client is
# read from X-Forwarded-For through django-ipware, TRUSTED_PROXY_COUNT hops from the right. A
# client's own X-Forwarded-For is never believed (audit.signin; docs/security.md).
AXES_CLIENT_IP_CALLABLE = "audit.signin.client_address"
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
# Password reset: requests per client address and per e-mail address entered, per window.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=5)
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env.int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", default=3)
PASSWORD_RESET_WINDOW = timedelta(minutes=env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60))

# --- Sessions: an absolute 8-hour working day, and (configurable) gone when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


# --- Content-Security-Policy (Django's own middleware), in every environment: scripts only from
# this site's static files (no inline script or on...= handler anywhere: tests/audit/test_csp.py),
# nothing from any other origin (no CDN). Styles likewise, except the letter layout's own <style>
# block, allowed by its hash: letters are self-contained HTML shared with the PDF renderer and
# shown in the browser as previews.
def _style_block_hashes(*templates: str) -> list[str]:
    import base64
    import hashlib
    import re

    hashes = []
    for name in templates:
        text = (BASE_DIR / name).read_text(encoding="utf-8")
        for block in re.findall(r"<style>(.*?)</style>", text, flags=re.S):
            digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return hashes


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, *_style_block_hashes("letters/templates/letters/document.html")],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGIN_URL = "login"
# --- django-allauth: sign-in (fed to django-axes above), then the second factor (TOTP, recovery
# codes), and sign-in through a firm's OpenID Connect provider for existing members only; no
# sign-up. Our templates, no script (docs/security.md, "Two-factor and single sign-on").
ACCOUNT_ADAPTER = "audit.sso.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "audit.sso.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "audit.twofactor.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = not SESSION_EXPIRE_AT_BROWSER_CLOSE
# allauth's "login_failed" limit counts only wrong two-factor codes, per user (axes owns
# passwords: audit.sso.AccountAdapter); past it the code step refuses even a right code.
_MFA_LIMIT = env.int("MFA_CODE_FAILURE_LIMIT", default=5)
_MFA_SECONDS = env.int("MFA_CODE_FAILURE_SECONDS", default=300)
ACCOUNT_RATE_LIMITS = {"login_failed": f"{_MFA_LIMIT}/{_MFA_SECONDS}s/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ALLOW_UNVERIFIED_EMAIL = True  # addresses are entered by the firm administrator
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="DISP complaints")
SOCIALACCOUNT_AUTO_SIGNUP = False
# A link (GET) to the provider: a form posting there is redirected to the provider's origin,
# which the CSP's form-action 'self' blocks.
SOCIALACCOUNT_LOGIN_ON_GET = True
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
from config.storage import EVIDENCE_MAX_BYTES, EVIDENCE_STORAGE  # noqa: E402, F401

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": EVIDENCE_STORAGE,  # docs/evidence.md: a private folder or an S3 bucket
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

_EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="")
MAILERS = {
    "default": {
        "BACKEND": env.str(
            "EMAIL_BACKEND",
            default=(
                "django.core.mail.backends.smtp.EmailBackend"
                if PRODUCTION
                else "django.core.mail.backends.console.EmailBackend"
            ),
        ),
        "OPTIONS": (
            {
                "host": env.str("EMAIL_HOST", default="localhost"),
                "port": env.int("EMAIL_PORT", default=25),
                "username": env.str("EMAIL_HOST_USER", default=""),
                "password": env.str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            }
            if PRODUCTION
            # The file backend (EMAIL_BACKEND=...filebased.EmailBackend) writes to this folder:
            # the outage test reads what a worker process sent.
            else {"file_path": _EMAIL_FILE_PATH}
            if _EMAIL_FILE_PATH
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="complaints@localhost")

# `make demo` runs the app as if today were a day in the regime (demo/clock.py): "regime" or an
# ISO date/date-time. Empty: real time.
DEMO_CLOCK = env.str("DEMO_CLOCK", default="")

# --- Celery: eager (in-process) when no broker is configured, so the demo needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# The queue tasks are published to (workers consume it: `celery -A config worker -Q NAME`).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TIMEZONE = TIME_ZONE

# --- Cache: counters every web worker shares (the password-reset throttle). CACHE_URL, else the
# broker's Redis when there is one; per-process memory only in development.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL",
        default=(
            CELERY_BROKER_URL
            if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
            else "locmemcache://"
        ),
    )
}

# --- Background jobs: beat schedule, deadline notices, reminders, retention (docs/jobs.md).
# The one place periodic work is declared. Jobs are state-based (they scan the deadline
# columns), so a missed run is caught up by the next; each is also a management command.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "deadline-watch": {
        "task": "notifications.run_deadline_watch",
        "schedule": crontab(minute="*/15"),
    },
    "supervisor-digest": {  # and each member's task digest
        "task": "notifications.send_supervisor_digest",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
    "report-reminders": {
        "task": "notifications.send_report_reminders",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
    },
    "retention": {
        "task": "notifications.run_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    "notification-emails": {
        "task": "notifications.send_pending_emails",
        "schedule": crontab(minute="*/5"),
    },
    "mailroom-poll": {"task": "mailroom.poll_mailboxes", "schedule": crontab(minute="*/2")},
    # The transactional outbox (common.outbox): whatever the on-commit attempt did not deliver.
    "outbox-sweep": {
        "task": "common.sweep_outbox",
        "schedule": crontab(minute="*"),
    },
}
MAILROOM_FERNET_KEYS = env.list("MAILROOM_FERNET_KEYS", default=[])  # docs/mailroom.md
# Outbox retries: the wait doubles from the base up to the cap; after the last attempt the
# message is failed and waits for a person (a letter shows a retry button).
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
# The deadline watch flags an e-mailed letter not delivered this long after it was sent.
LETTERS_UNDELIVERED_ALERT_MINUTES = env.int("LETTERS_UNDELIVERED_ALERT_MINUTES", default=60)
# A deadline is "near" when it falls within this many business days (firm's calendar).
DEADLINE_WARNING_BUSINESS_DAYS = env.int("DEADLINE_WARNING_BUSINESS_DAYS", default=5)
# Returns due within this many business days (England, SUP 16.34) get a reminder.
REPORT_REMINDER_BUSINESS_DAYS = env.int("REPORT_REMINDER_BUSINESS_DAYS", default=10)
# disp-rules.md §2.10 [D]: keep a record until the later of receipt + retention years and the
# closure of any FOS referral + this buffer.
RETENTION_FOS_BUFFER_DAYS = env.int("RETENTION_FOS_BUFFER_DAYS", default=365)
# Absolute links in notification e-mails.
NOTIFICATIONS_SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = env.int("NOTIFICATIONS_EMAIL_MAX_ATTEMPTS", default=3)

# --- REST framework and the OpenAPI schema (config/api_settings.py).
from config.api_settings import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402, F401

# --- simple-history: history is evidence; it is never reverted through the product.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- DISP settings (see shared docs/disp-rules.md; every ambiguity's default is a setting here).
# CP26/4 para 3.24: the FOS compulsory jurisdiction covers acts on or after go-live (placeholder
# in the draft instrument, so never hard-coded).
CRYPTO_COMMENCEMENT_DATE = date.fromisoformat(
    env.str("CRYPTO_COMMENCEMENT_DATE", default="2027-10-25")
)
# A4: DISP 1.6.2R "by the end of eight weeks after its receipt" read as receipt + 56 days.
DISP_FINAL_RESPONSE_DAY_COUNT = env.int("DISP_FINAL_RESPONSE_DAY_COUNT", default=56)
# A3: SUP 16.34 returns are submitted to the FCA in London: England's business days.
SUP16_CALENDAR_NATION = env.str("SUP16_CALENDAR_NATION", default="england")
# Days after receipt within which a complaint is considered a likely duplicate in the UI.
DUPLICATE_WINDOW_DAYS = env.int("DUPLICATE_WINDOW_DAYS", default=30)

# --- Capability settings (each read where it is used; declared here so they are all in one place)
# SUP 16.34.5R(2) "3/6/9 months after its ARD": month-end (default) or literal reading (A7).
SUP16_REFERENCE_DATE_CONVENTION = env.str("SUP16_REFERENCE_DATE_CONVENTION", default="month_end")
# SUP 16.34.6R(2): "upheld during the period" (event, the rule text) or the Annex 6 cohort (A9).
SUP16_UPHELD_BASIS = env.str("SUP16_UPHELD_BASIS", default="event")
# DISP 1.4.1R(3): refuse an upheld response with no redress or "none appropriate" decision.
REMEDIATION_ENFORCE_REDRESS_DECISION = env.bool(
    "REMEDIATION_ENFORCE_REDRESS_DECISION", default=False
)
# FOS interest approach changed for referrals on or after this date (disp-rules §4.4, E51).
REMEDIATION_FOS_INTEREST_CHANGE_DATE = date.fromisoformat(
    env.str("FOS_INTEREST_CHANGE_DATE", default="2026-01-01")
)
FOS_BOE_INTEREST_FROM = REMEDIATION_FOS_INTEREST_CHANGE_DATE
FOS_AWARD_COMPLIANCE_TARGET_DAYS = env.int("FOS_AWARD_COMPLIANCE_TARGET_DAYS", default=28)
FOS_DEADLINE_SOON_DAYS = env.int("FOS_DEADLINE_SOON_DAYS", default=5)

# --- Personal data never reaches logs or error reports: every handler redacts e-mail addresses,
# phone numbers and postcodes, and error reports hide POST data, query strings and any
# variable that may hold personal data (common.logging).
DEFAULT_EXCEPTION_REPORTER = "common.logging.PersonalDataExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "common.logging.PersonalDataExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_personal_data": {"()": "common.logging.RedactPersonalDataFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_personal_data"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "redact_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replace Django's default handlers for these loggers (which would not redact).
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # Lockouts are warnings; every successful sign-in's reset is not worth a line.
        "axes": {"level": "WARNING"},
    },
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
