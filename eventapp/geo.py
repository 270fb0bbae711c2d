"""Départements, read from the official ``@etalab/decoupage-administratif`` package.

The npm package is installed with the front-end assets (``npm ci``); it is the
maintained source of the codes and names, so no list is typed by hand here.
"""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .vocabulary import REGIONS

DATA_SUBDIR = Path("@etalab") / "decoupage-administratif" / "data"


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region_code: str
    #: INSEE "type de nom en clair" (TNCC): which article the name takes (see ``with_de``).
    type_liaison: int = 0

    @property
    def with_de(self) -> str:
        """The name after « de »: « du Finistère », « de l'Ain », « des Landes », « de Paris »."""
        return _with_de(self.name, self.type_liaison)


@lru_cache(maxsize=4)
def load_departements(node_modules_dir: str) -> dict[str, Departement]:
    """Départements of the 18 regions, by code, in the package's order."""
    path = Path(node_modules_dir) / DATA_SUBDIR / "departements.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RuntimeError(
            f"{path} is missing: run `npm ci` (or `make install`) to install the front-end data."
        ) from exc
    return {
        row["code"]: Departement(row["code"], row["nom"], row["region"], row.get("typeLiaison", 0))
        for row in rows
        if row["region"] in REGIONS
    }


def _with_de(name: str, type_liaison: int) -> str:
    # 0: « de Paris », 1: « d'Ille-et-Vilaine », 2: « du Calvados », 3: « de la Gironde »,
    # 4: « des Landes », 5: « de l'Ain ».
    prefixes = {1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'"}
    return prefixes.get(type_liaison, "de ") + name


def departements(app=None) -> dict[str, Departement]:
    """The départements for the current app's configuration."""
    from flask import current_app

    app = app or current_app
    return load_departements(app.config["NODE_MODULES_DIR"])


def departements_of_region(region_code: str) -> list[Departement]:
    return [d for d in departements().values() if d.region_code == region_code]
