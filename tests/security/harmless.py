"""Checks that an output carries hostile text harmlessly: HTML, JSON-LD, CSV, iCalendar, e-mail."""
import csv
import io
import json
import re
from email import message_from_bytes, policy
from html.parser import HTMLParser

#: Hostile values, by what they try. Each must be stored as given and come out inert.
PAYLOADS = {
    "html": '<script>alert("x")</script><img src=x onerror=alert(1)><b onmouseover="alert(2)">gras</b>',
    "markdown": (
        "[clic](javascript:alert(1)) <a href=\"javascript:alert(2)\">a</a> ![image](javascript:alert(3)) "
        "![traceur](https://evil.example/pixel.png) <iframe src=\"//evil.example\"></iframe> [ok](https://ok.example)"
    ),
    "jsonld": '</script><script>alert(1)</script><!-- "quote" \\ \u2028',
    "crlf": "Atelier\r\nBcc: pirate@evil.example\r\nX-Injected: 1",
    "ical": "Atelier\r\nATTENDEE:mailto:pirate@evil.example\r\nEND:VEVENT\r\nBEGIN:VEVENT",
    "formula": '=HYPERLINK("https://evil.example","clic")',
    "unicode": "Ateli\u202eer\u200b e\u0301\u0301 \U0001f389 \ufeff \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "sql": "'; DROP TABLE event; -- \" OR 1=1 /*",
}

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "base", "applet"}


class _TagChecker(HTMLParser):
    """Reads the real tags and attributes of a page (text and attribute values stay text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            local = (attributes.get("src") or "").startswith("/static/dsfr/")
            jsonld = attributes.get("type") == "application/ld+json" and attributes.get("nonce")
            if not (local or jsonld):
                self.problems.append(f"script {attrs!r}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"inline event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                squeezed = "".join(value.split()).lower()
                if squeezed.startswith(SCRIPT_SCHEMES):
                    self.problems.append(f"script URL in <{tag} {name}={value!r}>")
                if tag == "img" and name == "src" and squeezed.startswith(("http:", "https:", "//")):
                    self.problems.append(f"image from elsewhere <img src={value!r}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")


def html_problems(html: str) -> list[str]:
    """What makes a page unsafe: foreign scripts, inline handlers, script URLs, frames, remote images."""
    checker = _TagChecker()
    checker.feed(html)
    checker.close()
    return checker.problems


def jsonld_blocks(html: str) -> list[dict]:
    """The parsed JSON-LD blocks; a block that cannot be parsed fails the test."""
    blocks = re.findall(r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', html, re.S)
    for raw in blocks:
        assert "</" not in raw and "<!--" not in raw, "JSON-LD may close its script element"
    return [json.loads(raw) for raw in blocks]


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run as a formula."""
    return [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def ical_problems(data: bytes, expected_events: int | None = None) -> list[str]:
    """Parse with icalendar; no property may have been injected by a value."""
    from icalendar import Calendar

    problems = []
    text = data.decode("utf-8")
    for line in text.split("\r\n"):
        if line.startswith(("ATTENDEE", "X-INJECTED", "BCC")):
            problems.append(f"injected line {line!r}")
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    if expected_events is not None and len(events) != expected_events:
        problems.append(f"{len(events)} events instead of {expected_events}")
    for event in events:
        if "ATTENDEE" in event:
            problems.append("an ATTENDEE property appeared")
    return problems


def email_problems(message_bytes: bytes) -> list[str]:
    """Headers of a built e-mail: only the ones the sender writes, each on one line."""
    message = message_from_bytes(message_bytes, policy=policy.default)
    allowed = {"from", "to", "subject", "date", "message-id", "auto-submitted", "mime-version",
               "content-type", "content-transfer-encoding"}
    return [f"unexpected header {name!r}" for name in message.keys() if name.lower() not in allowed]
