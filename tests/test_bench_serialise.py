"""The feeds' fast folding writes the same bytes as icalendar's own serialisation."""
import random

import icalendar
from icalendar.parser.string import _foldline

from eventapp.feeds.serialise import component_bytes, fold


def test_fold_matches_icalendar_on_random_lines():
    alphabet = "ab \\^;,:éèàç€😀日\"x"
    rng = random.Random(2024)
    for _ in range(3000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        assert fold(line) == _foldline(line).encode("utf-8"), line


def test_fold_edge_cases():
    for line in ["", "a" * 74, "a" * 75, "a" * 73 + "\\n", "a" * 73 + "é" * 3, "\\" * 200, "^" * 150,
                 "é" * 100, "😀" * 40, "DESCRIPTION:" + "x" * 61 + "\\,y" * 30]:
        assert fold(line) == _foldline(line).encode("utf-8"), line
    folded = fold("DESCRIPTION:" + "é" * 200)
    assert all(len(physical) <= 75 for physical in folded.split(b"\r\n"))


def test_component_bytes_matches_to_ical():
    event = icalendar.Event()
    event.add("UID", "event-1@example.org")
    event.add("SUMMARY", "Atelier ; « simplification », démarches\\en ligne " * 4)
    event.add("DESCRIPTION", "Ligne une\nLigne deux, avec ; des caractères spéciaux " * 10)
    event.add("CATEGORIES", ["Atelier collaboratif", "Numérique et intelligence artificielle"])
    assert component_bytes(event) == event.to_ical()
