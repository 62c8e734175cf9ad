"""Haven's settings for the benchmark process and its web server: the same, except where they would
touch things outside the benchmark (static files collected apart, mail kept in memory)."""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR

STATIC_ROOT = BASE_DIR / ".build" / "bench-static"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Pages need the manifest, not the compressed copies (collecting is much quicker without them).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
