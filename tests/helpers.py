"""Small helpers for reading responses as a user would."""
import html
import re


def page_text(response) -> str:
    """The page's HTML with entities decoded (so « l'innovation » matches)."""
    return html.unescape(response.get_data(as_text=True))


def visible_text(response) -> str:
    """The page's text without tags, whitespace folded."""
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", response.get_data(as_text=True), flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
