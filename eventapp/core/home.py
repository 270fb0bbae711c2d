"""The home page is the national programme.

``core.home`` stays the site-wide name of ``/`` (links, redirects after log-in);
the page itself is the programme's (``programme.index``, also at ``/programme``).
"""
from ..programme.views import index
from . import bp


@bp.get("/")
def home():
    """The programme of the public edition (or the « not yet published » page)."""
    return index()
