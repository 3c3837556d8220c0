"""Django-style settings for the shop's web site."""

import os

DEBUG = os.environ.get("DEBUG") == "1"
LOG_DIR = os.environ.get("LOG_DIR", "/var/log/shopsite")

LOGGING = {
    "version": 1,
    "formatters": {
        "verbose": {"format": "%(asctime)s %(levelname)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "verbose",
        },
        "file": {
            "class": "logging.FileHandler",
            "filename": os.path.join(LOG_DIR, "shop.log"),
            "formatter": "verbose",
            "level": "info",
        },
    },
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO"},
        "shopsite": {"handlers": ["console", "fiel"], "level": "DEBUG", "propagate": False},
    },
}
