"""Text helpers: slugs and accent-free search keys."""
import re
import unicodedata


def strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(value: str | None) -> str:
    """Lower-case, accent-free, without hyphens or apostrophes joined words.

    « Co-construction » and « coconstruction » give the same key; « Événement »
    and « evenement » too. Words stay separated by single spaces.
    """
    if not value:
        return ""
    value = strip_accents(value).lower()
    value = re.sub(r"(?<=\w)[-‐‑'’](?=\w)", "", value)  # co-construction -> coconstruction
    value = re.sub(r"[^\w]+", " ", value)
    return value.strip()


def slugify(value: str, max_length: int = 80) -> str:
    """« Atelier : l'État simplifie ! » -> « atelier-l-etat-simplifie »"""
    value = strip_accents(value or "").lower()
    value = re.sub(r"[^a-z0-9]+", "-", value).strip("-")
    return value[:max_length].rstrip("-") or "evenement"
