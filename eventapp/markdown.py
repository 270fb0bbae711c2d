"""Markdown descriptions rendered to safe HTML.

markdown-it renders (raw HTML disabled), then nh3 (the maintained Rust
``ammonia`` sanitiser) keeps a small allow-list of tags, drops dangerous URL
schemes and gives every link ``rel="noopener noreferrer nofollow"``.
"""
from markdown_it import MarkdownIt
from markupsafe import Markup
import nh3

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(source: str | None) -> Markup:
    """Markdown source to sanitised HTML, safe to insert in a page."""
    if not source:
        return Markup("")
    html = _renderer.render(source)
    # Headings of user text start at h3 so they never compete with the page's own h1/h2.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)


def markdown_to_text(source: str | None) -> str:
    """Plain text of a Markdown description (for feeds, e-mails, meta descriptions)."""
    if not source:
        return ""
    text = nh3.clean(_renderer.render(source), tags=set())
    import html as _html

    return _html.unescape(text).strip()
