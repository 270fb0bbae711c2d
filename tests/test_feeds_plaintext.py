"""The feeds' plain text of Markdown is exactly ``markdown_to_text``'s, found without markdown-it's block parser."""
import random

import pytest

from eventapp.feeds.plaintext import _simple_text, feed_text
from eventapp.markdown import markdown_to_text
from tests.test_feeds_calendar import HOSTILE

#: Descriptions as organisers write them (and as the demo edition has them): read line by line.
SIMPLE = [
    "Un atelier pour simplifier une démarche.",
    "Cette conférence fait le point, avec des intervenants ; de terrain : « retours ».\n\n## Au programme\n\n"
    "- Accueil et ouverture\n- La construction d'un tableau de bord\n- Échanges avec la salle\n\n"
    "## Pour qui ?\n\nCet événement s'adresse aux agents.\n\n*Organisation : ADEME La Réunion.*",
    "Nous travaillerons **ensemble** sur une démarche.",
    "# Titre\nUn paragraphe\nsur deux lignes  \navec un saut forcé.\n### Sous-titre ###x\n\n- *un*\n- **deux**\n- `trois`",
    "Voir [la page](https://example.org/a_b) et <https://example.org>, &amp; &eacute; \\*pas d'emphase\\*.",
    "2024 : une année.\n\n__Souligné__ et _penché_ ~~barré~~.",
]

#: Pieces of Markdown (and of hostile text) put together at random.
PIECES = [
    "- ", "## ", "# ", "###### ", "####### ", "* ", "+ ", "1. ", "2) ", "> ", "    ", "  ", " ", "\n", "\n", "\n\n",
    "*", "**", "_", "__", "`", "\\", "[", "]", "](https://x.org/a_b)", "<", ">", "<https://a.b>", "&amp;", "&", "&nbsp;",
    "!", "![alt](i.png)", "|", ":", "~~", "---", "===", "```", "#", "=", "+", "-", "2024", ".", "mot", "Texte simple",
    "é", "🎉", "«", "»", '"', "'", "\t", "\x00", "\x07", "\x1b", "\x7f", "\x0c", "\u00a0", "\u2028", "\u200b", "\u202e",
    "\ufeff", "\r\n", "\r", "&lt;script&gt;", "<b>", "#tag",
]
LINES = [
    "Une phrase ordinaire, avec des virgules ; et des points.", "## Au programme", "- Un point", "- *Un* point",
    "*Signature : X.*", "**Gras entier**", "", "", "Texte **gras** et _italique_ et `code`", "[lien](https://a.fr)",
    "1. premier", "> citation", "    code", "  - imbriqué", "#hashtag", "***", "Titre\n===", "a | b", "---", "* puce",
    "```", "~~~", "`code` au début", "~~barré~~ au début", "<div>bloc</div>", "<https://a.fr> au début",
]


def generated(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
    return "\n".join(
        rng.choice(LINES) + (rng.choice(PIECES) if rng.random() < 0.3 else "") for _ in range(rng.randint(0, 12))
    )


@pytest.mark.parametrize("source", SIMPLE)
def test_common_descriptions_are_read_line_by_line(source):
    assert _simple_text(source) is not None
    assert feed_text(source) == markdown_to_text(source)


@pytest.mark.parametrize("source", HOSTILE + [None, "", "\n\n", "   "])
def test_hostile_descriptions_give_the_same_text(source):
    assert feed_text(source) == markdown_to_text(source)


def test_generated_descriptions_give_the_same_text():
    rng = random.Random(2024)
    read_line_by_line = 0
    for _ in range(3000):
        source = generated(rng)
        assert feed_text(source) == markdown_to_text(source), repr(source)
        read_line_by_line += _simple_text(source) is not None
    assert read_line_by_line > 200  # the comparison covers both paths
