"""Serves the DSFR files the pages use, straight from the pinned npm package.

Only the built CSS and JavaScript, the fonts, the icons and the favicons are
reachable; nothing else of ``node_modules`` is exposed.
"""
import os

from flask import abort, current_app, send_from_directory

from ..extensions import limiter
from . import bp

DSFR_DIST = os.path.join("@gouvfr", "dsfr", "dist")
ALLOWED_FILES = {
    "dsfr.min.css",
    "dsfr.module.min.js",
    "dsfr.nomodule.min.js",
    "utility/utility.min.css",
}
ALLOWED_DIRECTORIES = ("fonts/", "icons/", "favicon/")
ALLOWED_SUFFIXES = (".css", ".js", ".woff", ".woff2", ".svg", ".png", ".ico", ".webmanifest")
ONE_YEAR = 365 * 24 * 3600


@bp.get("/static/dsfr/<path:filename>")
@limiter.exempt
def dsfr_asset(filename: str):
    allowed = filename in ALLOWED_FILES or (
        filename.startswith(ALLOWED_DIRECTORIES) and filename.endswith(ALLOWED_SUFFIXES)
    )
    if not allowed or ".." in filename.split("/"):
        abort(404)
    directory = os.path.join(current_app.config["NODE_MODULES_DIR"], DSFR_DIST)
    response = send_from_directory(directory, filename, max_age=ONE_YEAR)
    return response
