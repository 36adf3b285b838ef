"""Settings shared by every environment; every value that differs comes from the environment.

Each integration is switched on by the presence of its variable: DATABASE_URL (PostgreSQL),
ELASTICSEARCH_URL (search), STRIPE_SECRET_KEY (card payments), EMAIL_HOST (SMTP).
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so their templates and translations win.
    "core",
    "accounts",
    "marketplace",
    "search",
    "notifications",
    "valuation",
    "leasing",
    "certification",
    "recycling",
    "trading",
    "payments",
    "procurement",
    "benchmarks",
    "cms",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "axes",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Stores the signed-in user's active language for their notifications (after Locale/Auth).
    "accounts.middleware.RememberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it sees the outcome of every login view (site, Wagtail admin, Django admin).
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
                "django.template.context_processors.i18n",
                "core.context_processors.site",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, task worker, scheduler and several users write at once: WAL lets readers run beside
    # the writer, IMMEDIATE takes the write lock at BEGIN (no deadlocked lock upgrade, which
    # SQLite answers with "database is locked" at once), and the timeout waits for the lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A psycopg pool per serving process (needs CONN_MAX_AGE=0): at most DB_POOL_MAX_SIZE
    # connections each, so gunicorn workers x DB_POOL_MAX_SIZE (+ worker and scheduler) must
    # stay below PostgreSQL's max_connections; a request waits up to DB_POOL_TIMEOUT seconds
    # for a free connection instead of opening one more.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "10")),
        "timeout": int(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:index"
# The home page is the Wagtail root page: it has a path, not a URL name.
LOGOUT_REDIRECT_URL = "/"

# Authentication: django-axes first (refuses locked-out username + IP pairs before any
# password is checked), then django-allauth (username or e-mail, as typed).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ironloop] "
ACCOUNT_PREVENT_ENUMERATION = True
# Lock-out after repeated failures per username and address, on every login that goes
# through django.contrib.auth.authenticate (site, Wagtail admin, Django admin, API token).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (unset: REMOTE_ADDR).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None
# Invitations to join an organization are valid this long.
ORGANIZATION_INVITATION_DAYS = 7

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Simplified Chinese first, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Editorial pages are translated with wagtail-localize: one page tree per locale, linked by
# translation key. The language comes from the cookie set by the language switch (no URL
# prefix), and Wagtail routes each request through the home page's translation in the active
# language, so one URL serves the page in the visitor's language.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Staff choose the admin language in their Wagtail account preferences; the Django admin
# follows the site's language switch (LocaleMiddleware).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private files (KYC licences, lease documents, draft inspection photos) never sit under
# MEDIA_ROOT: see core/storage.py. PRIVATE_MEDIA_ROOT is the embedded default's directory.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "core.storage.PrivateFileSystemStorage",  # at PRIVATE_MEDIA_ROOT
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# How permission-checked private files reach the browser (core/private_files.py): "django"
# streams them, "x-accel" hands them to nginx, "redirect" sends a short-lived signed URL.
PRIVATE_FILES_SERVE = os.environ.get("PRIVATE_FILES_SERVE", "django")
PRIVATE_FILES_ACCEL_PREFIX = os.environ.get("PRIVATE_FILES_ACCEL_PREFIX", "/_private/")
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Content-Security-Policy (django-csp 4): scripts only from this origin or inline with the
# request's nonce (`<script nonce="{{ request.csp_nonce }}">`), Stripe.js for card payments;
# no plugins, no <base> hijacking, no framing by other sites. Inline style attributes stay
# allowed (layout only; they cannot run code). Excluded: the Wagtail and Django admins (staff
# only; their own templates ship inline scripts without our nonce) and the Swagger/ReDoc
# pages (drf-spectacular renders their start-up script inline). /api/schema/ and the rest of
# the API keep the header.
_CSP_MEDIA_ORIGIN = [MEDIA_URL] if MEDIA_URL.startswith("https://") else []
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/", "/api/docs/", "/api/redoc/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, "https://js.stripe.com"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_CSP_MEDIA_ORIGIN],
        "connect-src": ["'self'", "https://api.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
# No project script reads the CSRF cookie (forms carry {% csrf_token %}), so scripts may not.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.error_views.csrf_failure"

# Money: one precision for the whole project; currency stored beside every amount.
DEFAULT_CURRENCY = "CNY"

# Wagtail
WAGTAIL_SITE_NAME = "Ironloop 铁环"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
SITE_URL = WAGTAILADMIN_BASE_URL

# REST API: one frame for every app.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.api.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/min"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
        "quote": os.environ.get("API_THROTTLE_QUOTE", "60/min"),
        "auth_token": os.environ.get("API_THROTTLE_AUTH_TOKEN", "10/min"),
    },
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ironloop API",
    "DESCRIPTION": "Construction-machinery aftermarket: listings, valuation, trading, leasing, "
    "certification.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["core.api.only_project_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ListingStatusEnum": "marketplace.models.ListingStatus",
        "SaleFormatEnum": "marketplace.models.SaleFormat",
        "PhotoKindEnum": "marketplace.models.PhotoKind",
        "HourReadingSourceEnum": "marketplace.models.HourReadingSource",
        "LeaseApplicationStatusEnum": "leasing.models.ApplicationStatus",
        "LeaseApplicationKindEnum": "leasing.models.ApplicationKind",
        "LeaseDocumentKindEnum": "leasing.models.DocumentKind",
        "ProcurementMethodEnum": "procurement.models.Method",
        "RepaymentMethodEnum": "leasing.models.RepaymentMethod",
    },
}

# Background work: Django's task API on the database-backed worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Search: the database backend unless Elasticsearch is configured.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "database"
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "ironloop")
# Facet counts are cached per query; the key carries an index-state token, so writes
# invalidate it. 0 turns the cache off.
SEARCH_FACET_CACHE_SECONDS = int(os.environ.get("SEARCH_FACET_CACHE_SECONDS", "600"))
# What other apps know about listings, for the search index (search.enrichers): entry field
# -> read function(listing_ids). An app adds its line; search imports none of them.
SEARCH_ENRICHERS = {
    "has_financing": "leasing.selectors.listing_ids_with_financing",
    "valuation": "valuation.selectors.latest_listing_valuations",
    "closes_at": "trading.selectors.listing_auction_end_times",
}
# Saving one of these rows (with the field true) rebuilds the search index after the commit:
# a fact every entry holds changed (the serving valuation model gives the best-value ratios).
SEARCH_REINDEX_ON_SAVE = {"valuation.ModelVersion": "is_active"}

# Payments: Stripe when a key is present; bank transfer always.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")

# --- Payment rails shown to buyers (issue #14) ------------------------------------------
# The platform's escrow (监管) account buyers transfer order money to, shown on the order
# page, in the payment-due e-mail and in the payment notice PDF. Each field comes from the
# environment; the defaults are DEMO values (not a real account) and every place that shows
# them says so while ESCROW_ACCOUNT_NUMBER is unset.
ESCROW_ACCOUNT = {
    "bank": os.environ.get("ESCROW_BANK", "中国工商银行（演示）"),
    "branch": os.environ.get("ESCROW_BRANCH", "长沙芙蓉支行（演示）"),
    "account_name": os.environ.get("ESCROW_ACCOUNT_NAME", "铁环二手机械交易平台有限公司（演示）"),
    "account_number": os.environ.get("ESCROW_ACCOUNT_NUMBER", "6222 0000 0000 0000 000"),
    "is_demo": not os.environ.get("ESCROW_ACCOUNT_NUMBER"),
}
# Stripe payment methods offered on the order page when STRIPE_SECRET_KEY is set (comma
# separated: card, alipay, wechat_pay), and the largest single charge per method in CNY;
# above it the page offers bank transfer only and the payment service refuses. Defaults:
# Stripe's own per-charge maximum (999,999.99) for cards; 50,000.00 for Alipay and WeChat
# Pay, the wallets' usual per-transaction ceiling for Chinese buyers (raise it only if the
# Stripe account's limits allow). Override with STRIPE_LIMIT_<METHOD>, e.g.
# STRIPE_LIMIT_WECHAT_PAY=20000.
STRIPE_PAYMENT_METHODS = env_list("STRIPE_PAYMENT_METHODS", "card,alipay,wechat_pay")
STRIPE_CHARGE_LIMITS = {
    method: Decimal(os.environ.get(f"STRIPE_LIMIT_{method.upper()}", default))
    for method, default in (
        ("card", "999999.99"),
        ("alipay", "50000.00"),
        ("wechat_pay", "50000.00"),
    )
}

# E-mail: console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ironloop <noreply@ironloop.example>")

# Valuation model artifacts (versioned directories).
ML_MODELS_DIR = Path(os.environ.get("ML_MODELS_DIR", BASE_DIR / "ml_models"))

# Secret used to derive certificate verification codes; defaults to SECRET_KEY.
CERTIFICATE_SECRET = os.environ.get("CERTIFICATE_SECRET", "")
# Public documents with a number and a verification code (core.documents): dotted paths of
# each app's DocumentKind. Order matters only where one document of any kind is wanted.
VERIFIABLE_DOCUMENTS = [
    "certification.documents.REMAN_CERTIFICATE",
    "certification.documents.INSPECTION_REPORT",
    "recycling.documents.DISPOSAL_CERTIFICATE",
]
# Cards other apps add to a machine's passport (certification.selectors.PassportSection):
# callables (machine) -> section, shown in this order after the listing history.
MACHINE_PASSPORT_SECTIONS = ["recycling.passport.end_of_life_section"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# What each payment pays for (payments.kinds): PaymentPurpose value -> dotted path of the
# PaymentKind the subject's app provides (locks, amounts, what succeeded/failed/refunded do).
PAYMENT_KINDS = {
    "deposit": "trading.payment_kinds.DEPOSIT",
    "order": "trading.payment_kinds.ORDER",
}

# Listing page extension points (core.panels): slot -> callables(request, listing) -> HTML.
LISTING_PANELS = {
    "badges": ["certification.panels.listing_panel", "recycling.panels.listing_panel"],
    "aside": [
        "trading.panels.listing_panel",
        "trading.panels.watch_panel",
        "certification.panels.inspection_booking_panel",
    ],
    "main": ["valuation.panels.listing_panel", "leasing.panels.listing_panel"],
    # The headline price in the listing's summary box (an auction's current price); the
    # first non-empty one replaces the asking price.
    "price": ["trading.panels.price_panel"],
}
# Callables(request, listings) -> {listing_id: HTML} for listing cards, one call per page.
LISTING_CARD_EXTRAS = [
    "marketplace.panels.card_extras",
    "certification.panels.card_extras",
    "leasing.panels.card_extras",
    "valuation.panels.card_extras",
    "trading.panels.card_extras",
]

# The dashboard and the header's role menu (core.dashboard): each app counts and links what
# the user's roles own. Callables (request, user) -> list[DashboardSection] / list[MenuEntry].
DASHBOARD_SECTIONS = [
    "marketplace.dashboard.sections",
    "search.dashboard.sections",
    "trading.dashboard.sections",
    "leasing.dashboard.sections",
    "certification.dashboard.sections",
    "recycling.dashboard.sections",
    "accounts.dashboard.sections",
    "payments.dashboard.sections",
]
MAIN_MENU = [
    "trading.dashboard.menu",
    "marketplace.dashboard.menu",
    "search.dashboard.menu",
    "leasing.dashboard.menu",
    "certification.dashboard.menu",
    "recycling.dashboard.menu",
    "accounts.dashboard.menu",
    "payments.dashboard.menu",
]

# Periodic tasks enqueued by `manage.py run_scheduler`: dotted task path -> interval seconds.
PERIODIC_TASKS: dict[str, int] = {
    "marketplace.tasks.listings_expire_due_task": 3600,
    "trading.tasks.trading_sweep_task": 60,
    "payments.tasks.webhook_events_retry_task": 300,
    "marketplace.tasks.hours_anomaly_recompute_task": 86400,
    "valuation.tasks.valuation_train_task": 86400,
    "procurement.tasks.procurement_sweep_task": 300,
}

# Integrated procurement: overrides of procurement/rules.py's figures, e.g.
# {"minimum_quotes": {"negotiation": 3}, "publicity_days": 5}. The tendering law's periods
# stay the floor for requests subject to it whatever is set here.
PROCUREMENT_RULES: dict = {}

# Demo data seeders run by `manage.py seed_demo` after the marketplace data, in this order.
DEMO_SEEDERS = [
    "certification.demo.seed",
    "leasing.demo.seed",
    "trading.demo.seed",
    "recycling.demo.seed",
    "procurement.demo.seed",
    "search.demo.seed",  # last: indexes every listing the seeders made
]
