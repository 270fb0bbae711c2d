"""The two ways a person works the pages in the journeys: with a pointer, or with the keyboard only.

Both offer the same gestures (``click``, ``fill``, ``select``, ``check``, ``download``, ``nav``),
so a journey is written once and run both ways. The keyboard person reaches every control with
Tab and uses it with Enter or Space; at each stop it checks that the focus is visible, and it
fails on a control it cannot reach within a bounded number of presses, or on a focus trap.
"""
from __future__ import annotations

import re

from . import support

TAB_LIMIT = 250


class Pointer:
    """Clicks and types into fields, as most people do."""

    keyboard_only = False

    def __init__(self, page, live_server):
        self.page = page
        self.live_server = live_server

    def goto(self, path: str):
        return self.page.goto(self.live_server(path))

    def click(self, locator) -> None:
        with self.page.expect_navigation():
            locator.click()

    def fill(self, locator, text: str) -> None:
        locator.fill(text)

    def select(self, locator, value: str) -> None:
        locator.select_option(value)

    def check(self, locator) -> None:
        """Tick a checkbox or a radio by its label (the design system draws the box on the label)."""
        self.page.locator(f"label[for='{locator.get_attribute('id')}']").click()
        assert locator.is_checked()

    def download(self, locator):
        with self.page.expect_download() as download:
            locator.click()
        return download.value

    def menu_link(self, name: str):
        """A link of the header's main navigation; at mobile width, behind the « Menu » button."""
        button = self.page.locator("#bouton-menu")
        if button.is_visible():
            button.click()
            self.page.locator("#menu-principal").wait_for(state="visible")
        return self.page.locator("#navigation-principale").get_by_role("link", name=name, exact=True)

    def nav(self, name: str) -> None:
        self.click(self.menu_link(name))

    def check_page(self) -> None:
        """Nothing to check with a pointer."""


class Keyboard(Pointer):
    """Tab, Shift+Tab, Enter and Space only; the focus must always be visible."""

    keyboard_only = True

    def __init__(self, page, live_server):
        super().__init__(page, live_server)
        self.stops = 0

    def _press_tab(self) -> dict | None:
        self.page.keyboard.press("Tab")
        self.stops += 1
        here = support.focused(self.page)
        if here is not None:
            assert here["visible"], f"no visible focus on {here} at {self.page.url}"
        return here

    def focus(self, locator) -> dict:
        """Press Tab until ``locator`` has the focus."""
        locator.wait_for()
        self.page.evaluate("() => document.querySelectorAll('[data-kbd-target]')"
                           ".forEach(el => el.removeAttribute('data-kbd-target'))")
        locator.evaluate("el => el.setAttribute('data-kbd-target', '')")
        current = support.focused(self.page)
        if current and current["target"]:
            return current
        previous = None
        for _ in range(TAB_LIMIT):
            here = self._press_tab()
            if here is None:
                previous = None
                continue
            assert previous is None or here["key"] != previous, f"focus trapped on {here} at {self.page.url}"
            previous = here["key"]
            if here["target"]:
                return here
        raise AssertionError(f"{locator} not reached with {TAB_LIMIT} presses of Tab at {self.page.url}")

    def click(self, locator, key: str = "Enter") -> None:
        self.focus(locator)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def fill(self, locator, text: str) -> None:
        self.focus(locator)
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)
        assert locator.input_value() == text

    def select(self, locator, value: str) -> None:
        """Move through a closed select with the arrow keys, as a keyboard user does."""
        self.focus(locator)
        values = locator.evaluate("el => Array.from(el.options).map(o => o.value)")
        steps = values.index(value) - values.index(locator.input_value())
        for _ in range(abs(steps)):
            self.page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        assert locator.input_value() == value

    def check(self, locator) -> None:
        self.focus(locator)
        self.page.keyboard.press("Space")
        assert locator.is_checked()

    def download(self, locator):
        self.focus(locator)
        with self.page.expect_download() as download:
            self.page.keyboard.press("Enter")
        return download.value

    def nav(self, name: str) -> None:
        button = self.page.locator("#bouton-menu")
        if button.is_visible():
            self.focus(button)
            self.page.keyboard.press("Enter")
            self.page.locator("#menu-principal").wait_for(state="visible")
        self.click(self.page.locator("#navigation-principale").get_by_role("link", name=name, exact=True))

    def check_page(self) -> None:
        """Tab through the whole page once: every control is reached, the focus always shows,
        and it comes back to where it started (no trap)."""
        controls = {c["key"]: c for c in support.keyboard_controls(self.page)}
        seen: list[str] = []
        first = None
        for _ in range(len(controls) * 2 + 20):
            here = self._press_tab()
            if here is None:
                continue
            if first is None:
                first = here["key"]
            elif here["key"] == first:
                break
            assert not seen or here["key"] != seen[-1], f"focus trapped on {here} at {self.page.url}"
            seen.append(here["key"])
        else:
            raise AssertionError(f"Tab never came back to the first control at {self.page.url}")
        missed = [control for key, control in controls.items() if key not in seen]
        assert not missed, f"controls not reachable with Tab at {self.page.url}: {missed}"


def person(kind: str, page, live_server) -> Pointer:
    return {"pointer": Pointer, "keyboard": Keyboard}[kind](page, live_server)


def event_id_in(url: str) -> int:
    return int(re.search(r"/evenements/(\d+)", url).group(1))
