"""Where to send a user back after logging in, without opening a redirect to another site."""
from urllib.parse import urlsplit


def safe_local_url(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else ``None``.

    Refused: absolute URLs (``https://…``), scheme-relative ones (``//evil``),
    backslashes (browsers read ``/\\evil`` as ``//evil``), control characters
    and anything not starting with a single ``/``.
    """
    if not target or len(target) > 2000:
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
