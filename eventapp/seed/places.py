"""Cities of the demo (``data/cities.csv``), checked against the official départements.

``cities.csv`` lists, for each département of the 18 regions, its chef-lieu and its largest
communes with their real postcodes; it was extracted from ``communes.json`` of the
``@etalab/decoupage-administratif`` package (see ``data/README.md``).
"""
import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..geo import Departement
from ..vocabulary import REGIONS

DATA_DIR = Path(__file__).resolve().parent / "data"

#: « en Bretagne », « dans les Hauts-de-France », « à La Réunion ».
REGION_IN: dict[str, str] = {
    "84": "en Auvergne-Rhône-Alpes", "27": "en Bourgogne-Franche-Comté", "53": "en Bretagne",
    "24": "en Centre-Val de Loire", "94": "en Corse", "44": "dans le Grand Est",
    "32": "dans les Hauts-de-France", "11": "en Île-de-France", "28": "en Normandie",
    "75": "en Nouvelle-Aquitaine", "76": "en Occitanie", "52": "en Pays de la Loire",
    "93": "en Provence-Alpes-Côte d'Azur", "01": "en Guadeloupe", "02": "en Martinique",
    "03": "en Guyane", "04": "à La Réunion", "06": "à Mayotte",
}
#: « de Bretagne », « des Hauts-de-France », « d'Occitanie ».
REGION_DE: dict[str, str] = {
    "84": "d'Auvergne-Rhône-Alpes", "27": "de Bourgogne-Franche-Comté", "53": "de Bretagne",
    "24": "du Centre-Val de Loire", "94": "de Corse", "44": "du Grand Est",
    "32": "des Hauts-de-France", "11": "d'Île-de-France", "28": "de Normandie",
    "75": "de Nouvelle-Aquitaine", "76": "d'Occitanie", "52": "des Pays de la Loire",
    "93": "de Provence-Alpes-Côte d'Azur", "01": "de Guadeloupe", "02": "de Martinique",
    "03": "de Guyane", "04": "de La Réunion", "06": "de Mayotte",
}

_VOWELS = "aeiouyâàéèêîïôöûüAEIOUYÂÀÉÈÊÎÏÔÖÛÜ"


def city_with(preposition: str, name: str) -> str:
    """« de » + « Le Mans » → « du Mans »; « à » + « Les Abymes » → « aux Abymes »; « de Angers » → « d'Angers »."""
    forms = {"de": ("du ", "des ", "d'"), "à": ("au ", "aux ", None)}
    masculine, plural, elided = forms[preposition]
    if name.startswith("Le "):
        return masculine + name[3:]
    if name.startswith("Les "):
        return plural + name[4:]
    if elided and name[0] in _VOWELS:
        return elided + name
    return f"{preposition} {name}"


@dataclass(frozen=True)
class City:
    name: str
    insee_code: str
    region_code: str
    departement_code: str
    postcodes: tuple[str, ...]
    population: int
    role: str  # "region" (regional capital), "prefecture" (chef-lieu of its département) or ""

    @property
    def de(self) -> str:
        return city_with("de", self.name)

    @property
    def a(self) -> str:
        return city_with("à", self.name)


class Places:
    """The demo's cities by region, each consistent with the official départements."""

    def __init__(self, departements: dict[str, Departement], path: Path = DATA_DIR / "cities.csv"):
        self.departements = departements
        self.cities: list[City] = []
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                city = City(
                    row["city"], row["insee_code"], row["region_code"], row["departement_code"],
                    tuple(row["postcodes"].split()), int(row["population"]), row["role"],
                )
                departement = departements.get(city.departement_code)
                if departement is None or departement.region_code != city.region_code:
                    raise ValueError(f"{city.name}: département {city.departement_code} is not in region {city.region_code}")
                self.cities.append(city)
        missing = [code for code in REGIONS if not self.in_region(code)]
        if missing:
            raise ValueError(f"no demo city for regions {missing}")

    @cached_property
    def _by_region(self) -> dict[str, list[City]]:
        by_region: dict[str, list[City]] = {}
        for city in self.cities:
            by_region.setdefault(city.region_code, []).append(city)
        return by_region

    def in_region(self, region_code: str) -> list[City]:
        return self._by_region.get(region_code, [])

    def capital(self, region_code: str) -> City:
        cities = self.in_region(region_code)
        return next((c for c in cities if c.role == "region"), cities[0])

    def prefecture(self, departement_code: str) -> City:
        """The chef-lieu of a département (always in cities.csv)."""
        return next(c for c in self.cities if c.departement_code == departement_code and c.role)

    def towns(self, region_code: str, min_population: int = 15000) -> list[City]:
        """Cities large enough for a hospital or a city hall that organises events."""
        return [c for c in self.in_region(region_code) if c.role or c.population >= min_population]

    def find(self, region_code: str, name: str) -> City | None:
        return next((c for c in self.in_region(region_code) if c.name == name), None)

    def departement_de(self, city: City) -> str:
        """« du Finistère » for a city of the Finistère."""
        return self.departements[city.departement_code].with_de
