"""Plain text of Markdown descriptions for feeds: :func:`markdown_to_text`'s result, found faster.

``markdown_to_text`` renders the whole description with markdown-it, cleans
the HTML with nh3 and unescapes it; on a whole programme, markdown-it's block
parser was the costliest step of a feed. Most descriptions use a small part of
Markdown (paragraphs, ``#`` headings, ``- `` lists, emphasis, links), whose
text can be read line by line:

- a paragraph or a heading gives its text and a newline (``<p>…</p>\\n``);
- a tight bullet list gives a newline, each item's text and a newline, and a
  newline (``<ul>\\n<li>…</li>\\n</ul>\\n``);
- inline text without any Markdown character is itself (trailing spaces
  dropped at line ends); other inline text goes through markdown-it's inline
  parser, whose tokens give the text nh3 would have kept.

Anything else (indented lines, quotes, code, tables, ordered or loose lists,
unusual whitespace…) goes to ``markdown_to_text`` itself, so the result is
always the same; ``tests/test_feeds_plaintext.py`` compares both on generated
documents.
"""
from __future__ import annotations

import re

from ..markdown import _renderer, markdown_to_text

#: Whitespace other than space and newline (tabs, NBSP, form feeds…): Markdown and Python disagree on it.
_UNUSUAL_SPACE = re.compile(r"[^\S \n]")
#: Characters that start inline Markdown (escapes, code, emphasis, strikethrough, links, autolinks, entities).
_INLINE_MARKUP = re.compile(r"[\\`*_~\[<&]")
#: Content wholly emphasised (``*…*``, ``**…**``, ``_…_``, ``__…__``), nothing but spaces and text inside.
_WHOLE_EMPHASIS = re.compile(r"(\*\*?|__?)([^ \n](?:.*[^ \n])?)\1", re.DOTALL)
_HEADING = re.compile(r"#{1,6} +([^ ].*)")
_ORDERED_ITEM = re.compile(r"\d{1,9}[.)]")
_TRAILING_SPACES = re.compile(r" +\n")
#: First characters of a line that may start something other than a paragraph (raw HTML is off).
_BLOCK_STARTS = frozenset(" #>|[=+-:")
#: Inline tokens whose content is text; markup tokens (``*_open``, ``*_close``) give nothing.
_TEXT_TOKENS = frozenset({"text", "text_special", "code_inline"})
_BREAK_TOKENS = frozenset({"softbreak", "hardbreak"})


def feed_text(source: str | None) -> str:
    """The plain text of a Markdown description, exactly as :func:`markdown_to_text` gives it."""
    if not source:
        return ""
    text = _simple_text(source)
    return markdown_to_text(source) if text is None else text


def _starts_paragraph(line: str) -> bool:
    """Whether a non-blank line without indentation can only be paragraph text."""
    first = line[0]
    if first in _BLOCK_STARTS or line.startswith(("```", "~~~")):
        return False
    if first.isdigit():
        return _ORDERED_ITEM.match(line) is None
    if first in "*_":  # emphasis, unless a list item ("* ") or a thematic break ("***", "_ _ _")
        return len(line) > 1 and line[1] != " " and not set(line) <= {"*", "_", " "}
    return True


def _inline_text(content: str) -> str | None:
    """The text of inline Markdown (``None``: a token this module does not know)."""
    if _INLINE_MARKUP.search(content) is None:
        return _TRAILING_SPACES.sub("\n", content)
    emphasis = _WHOLE_EMPHASIS.fullmatch(content)
    if emphasis is not None and _INLINE_MARKUP.search(emphasis.group(2)) is None:
        # One run at each end, preceded and followed by the ends of the text: they open and close.
        return _TRAILING_SPACES.sub("\n", emphasis.group(2))
    parts = []
    for token in _renderer.parseInline(content)[0].children or ():
        kind = token.type
        if kind in _TEXT_TOKENS:
            parts.append(token.content)
        elif kind in _BREAK_TOKENS:
            parts.append("\n")
        elif kind != "image" and not kind.endswith(("_open", "_close")):
            return None
    return "".join(parts)


def _simple_text(source: str) -> str | None:
    """The text of a description using the simple part of Markdown, else ``None``."""
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in source or _UNUSUAL_SPACE.search(source):
        return None
    lines = source.split("\n")
    count = len(lines)
    blocks: list[str | None] = []
    index = 0
    while index < count:
        line = lines[index]
        if not line.strip(" "):
            index += 1
            continue
        if line[0] == "#":
            heading = _HEADING.fullmatch(line)
            content = heading.group(1).rstrip(" ") if heading else "#"
            if content.endswith("#"):  # a closing sequence, or not a heading
                return None
            blocks += [_inline_text(content), "\n"]
            index += 1
        elif line.startswith("- "):
            index = _read_list(lines, index, blocks)
            if index is None:
                return None
        elif _starts_paragraph(line):
            start = index
            index += 1
            while index < count and lines[index].strip(" ") and lines[index][0] != "#":
                if not _starts_paragraph(lines[index]):
                    return None  # indented continuation, list or other block: let markdown-it decide
                index += 1
            blocks += [_inline_text("\n".join(lines[start:index]).strip(" ")), "\n"]
        else:
            return None
    if None in blocks:
        return None
    return "".join(blocks).strip()


def _read_list(lines: list[str], index: int, blocks: list[str | None]) -> int | None:
    """Read a tight ``- `` list from ``lines[index]``; the index after it, or ``None`` if not simple."""
    count = len(lines)
    blocks.append("\n")
    while index < count and lines[index].startswith("- "):
        content = lines[index][2:]
        if not content or not _starts_paragraph(content):
            return None
        blocks += [_inline_text(content.rstrip(" ")), "\n"]
        index += 1
    blocks.append("\n")
    after = index
    while after < count and not lines[after].strip(" "):
        after += 1
    if after == index and after < count:
        return None  # a line right after an item continues it
    if after < count and lines[after].startswith("- "):
        return None  # an item after a blank line makes the list loose
    return index
