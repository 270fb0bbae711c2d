"""The demo's organisers: the real labs of ``data/labs.csv`` first, then plausible others.

One territorial lab (LIIT) per region: its real name where ``labs.csv`` knows it, a neutral
« Laboratoire d'innovation territoriale de <région> » elsewhere. Then real national actors and
the other real labs of ``labs.csv`` (ministries, local authorities, a hospital), then local
authorities, hospitals, public operators, associations and ministry labs built from the
regions' real cities and départements, so every region has several organisers.
"""
import csv
import random
import re
from dataclasses import dataclass, replace

from ..text import slugify
from ..vocabulary import REGIONS
from .places import DATA_DIR, REGION_DE, REGION_IN, City, Places

#: labs.csv knows the Guadeloupe lab only as unconfirmed; the DITP press release of
#: 1 December 2022 (shared context) names it « Lab' An nou ».
NAME_OVERRIDES = {"(nom non confirmé) lab de Guadeloupe": "Lab' An nou"}

KIND_BY_LAB_TYPE = (
    ("LIIT", "liit"),
    ("Lab ministériel", "lab-ministere"),
    ("Lab de collectivité", "collectivite"),
    ("Lab (hospitalier", "hopital"),
)

#: Relative number of organisations (and agents) per region, roughly by population, with a
#: floor so that every overseas region has several organisers.
REGION_WEIGHTS: dict[str, float] = {
    "11": 18, "84": 12, "75": 9, "76": 9, "32": 9, "44": 8, "93": 8, "52": 6, "53": 5.5,
    "28": 5, "27": 4, "24": 4, "94": 1.5, "01": 1.5, "02": 1.5, "03": 1.2, "04": 2, "06": 1.2,
}

CHU_CITIES = {
    "Amiens", "Angers", "Besançon", "Bordeaux", "Brest", "Caen", "Clermont-Ferrand", "Dijon",
    "Grenoble", "Lille", "Limoges", "Lyon", "Marseille", "Montpellier", "Nancy", "Nantes", "Nice",
    "Nîmes", "Orléans", "Poitiers", "Reims", "Rennes", "Rouen", "Saint-Étienne", "Strasbourg",
    "Toulouse", "Tours",
}
OVERSEAS_HOSPITALS = {
    "01": "CHU de la Guadeloupe", "02": "CHU de Martinique", "03": "CHU de Guyane",
    "04": "CHU de La Réunion", "06": "Centre hospitalier de Mayotte",
}
REGIONAL_COUNCILS = {
    "94": "Collectivité de Corse", "02": "Collectivité territoriale de Martinique",
    "03": "Collectivité territoriale de Guyane", "06": "Département de Mayotte",
    "04": "Région Réunion",
}
NO_SEPARATE_DEPARTEMENT = {"94", "02", "03", "06"}
MINISTRIES = (
    "de l'Intérieur", "des Armées", "de la Justice", "du Travail", "de la Culture",
    "de l'Agriculture", "de la Santé", "des Sports", "de l'Enseignement supérieur et de la Recherche",
)


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    kind: str
    region_code: str
    city: str
    description: str
    website: str | None = None
    slug: str = ""


def _clean_lab_name(name: str) -> str:
    """« Lab'O (aussi écrit Lab-O) » → « Lab'O »; « Lab'Est (LAB'EST) » → « Lab'Est »."""
    name = NAME_OVERRIDES.get(name, name)
    match = re.fullmatch(r"(.+?) \((.+)\)", name)
    if match and (match.group(2).startswith("aussi écrit") or match.group(2) == match.group(1).upper()):
        return match.group(1)
    return name


def with_article(name: str) -> str:
    """« Laboratoire d'innovation… » → « Le Laboratoire d'innovation… » at the start of a sentence."""
    for prefix, article in (("Laboratoire ", "Le "), ("Mission ", "La "), ("Fabrique ", "La ")):
        if name.startswith(prefix):
            return article + name
    return name


def load_labs() -> list[dict]:
    with (DATA_DIR / "labs.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _lab_city(row: dict, places: Places, region_code: str) -> str:
    first = re.split(r"[;(]", row["city"] or "")[0].strip()
    return first or places.capital(region_code).name


def _lab_kind(lab_type: str) -> str | None:
    return next((kind for prefix, kind in KIND_BY_LAB_TYPE if lab_type.startswith(prefix)), None)


def _liit_description(name: str, region_code: str, host: str | None) -> str:
    text = (
        f"{with_article(name)} est le laboratoire interministériel d'innovation territoriale "
        f"{REGION_DE[region_code]}, placé auprès du préfet de région. Il accompagne les services de l'État et leurs "
        "partenaires dans leurs projets de transformation : design de services, intelligence "
        "collective, participation citoyenne et simplification, au plus près des usagers et des agents."
    )
    return f"{text} Structure porteuse : {host}." if host else text


def real_labs(places: Places) -> tuple[dict[str, OrganisationSpec], list[OrganisationSpec]]:
    """The LIITs that labs.csv names (by region) and its other labs."""
    liits: dict[str, OrganisationSpec] = {}
    others: list[OrganisationSpec] = []
    for row in load_labs():
        kind = _lab_kind(row["lab_type"])
        region_code = row["region_code_insee"] or "11"  # FiT: Île-de-France (présumé)
        if kind is None or region_code not in REGIONS:
            continue
        name = _clean_lab_name(row["name"])
        city = _lab_city(row, places, region_code)
        website = row["website"] or None
        host = row["host_organisation"] or None
        if kind == "liit":
            liits.setdefault(region_code, OrganisationSpec(
                name, kind, region_code, city, _liit_description(name, region_code, host), website))
            continue
        description = (
            f"{with_article(name)} est un laboratoire d'innovation publique"
            + (f" ({host.replace(' + ', ', ')})" if host else "")
            + ". Il conçoit et teste avec les agents et les usagers de nouvelles façons de rendre "
            "le service public plus simple, plus proche et plus efficace."
        )
        others.append(OrganisationSpec(name, kind, region_code, city, description, website))
    return liits, others


KNOWN_ORGANISERS = (
    OrganisationSpec(
        "Direction interministérielle de la transformation publique (DITP)", "autre", "11", "Paris",
        "La DITP pilote le Mois de l'innovation publique et anime le réseau des laboratoires "
        "d'innovation publique. Elle accompagne les administrations dans leurs projets de "
        "transformation : design de services, sciences comportementales, participation citoyenne.",
        "https://www.modernisation.gouv.fr",
    ),
    OrganisationSpec(
        "La 27e Région", "association", "11", "Paris",
        "Association qui mène depuis 2008 des programmes de recherche-action avec les collectivités "
        "et les administrations pour transformer les politiques publiques avec le design et les "
        "sciences sociales.",
        "https://www.la27eregion.fr",
    ),
    OrganisationSpec(
        "Cerema", "operateur", "84", "Bron",
        "Établissement public d'expertise au service des collectivités et de l'État pour "
        "l'aménagement, les mobilités, la transition écologique et la donnée territoriale.",
        "https://www.cerema.fr",
    ),
    OrganisationSpec(
        "Direction interministérielle du numérique (DINUM)", "autre", "11", "Paris",
        "La DINUM accompagne les administrations dans leur transformation numérique : ouverture des "
        "données, produits numériques, accessibilité et communs numériques.",
        "https://www.numerique.gouv.fr",
    ),
    OrganisationSpec(
        "Lab territorial industrie Fos-Berre", "autre", "93", "Marseille",
        "Créé par la préfecture de région Provence-Alpes-Côte d'Azur avec le plan de relance, ce "
        "laboratoire associe industriels, élus, associations et citoyens pour préparer les projets "
        "industriels dans le respect de l'environnement et du cadre de vie.",
    ),
)


def territorial_labs(places: Places) -> list[OrganisationSpec]:
    """One LIIT per region, in the order of ``vocabulary.REGIONS``."""
    known, _ = real_labs(places)
    labs = []
    for code, region in REGIONS.items():
        if code in known:
            labs.append(known[code])
        else:
            name = f"Laboratoire d'innovation territoriale {REGION_DE[code]}"
            labs.append(OrganisationSpec(name, "liit", code, places.capital(code).name,
                                         _liit_description(name, code, None)))
    return labs


def regional_council(region_code: str) -> str:
    return REGIONAL_COUNCILS.get(region_code, f"Région {REGIONS[region_code].name}")


def departement_council(places: Places, city: City) -> str:
    """« Département du Finistère »; Paris and the single authorities have no separate one."""
    if city.departement_code == "75":
        return "Ville de Paris"
    if city.region_code in NO_SEPARATE_DEPARTEMENT:
        return regional_council(city.region_code)
    return f"Département {places.departement_de(city)}"


def _generated(rng: random.Random, places: Places, region_code: str, kind: str,
               used: set[str]) -> OrganisationSpec | None:
    """A plausible organiser of ``kind`` in a region (``None`` when every name is taken).

    Each one sits where such a body sits: a council in its chef-lieu, a regional agency in the
    regional capital, a hospital or a city hall in a town of some size.
    """
    region = REGIONS[region_code].name
    capital = places.capital(region_code)
    for _ in range(12):
        town: City = rng.choice(places.towns(region_code))
        seat = places.prefecture(town.departement_code)
        dept_de = places.departement_de(town)
        if kind == "collectivite":
            name, city = rng.choice((
                (f"Ville {town.de}", town), (departement_council(places, town), seat),
                (regional_council(region_code), capital),
            ))
            description = (
                "La collectivité s'appuie sur sa mission innovation et participation citoyenne pour "
                "associer habitants et agents à la conception des politiques locales."
            )
        elif kind == "hopital":
            city = town
            if region_code in OVERSEAS_HOSPITALS and OVERSEAS_HOSPITALS[region_code] not in used:
                name, city = OVERSEAS_HOSPITALS[region_code], capital
            else:
                name = f"CHU {town.de}" if town.name in CHU_CITIES else f"Centre hospitalier {town.de}"
            description = (
                "La cellule innovation de l'établissement accompagne soignants, patients et "
                "représentants des usagers pour améliorer les parcours de soins et la qualité de "
                "vie au travail."
            )
        elif kind == "operateur":
            name, city = rng.choice((
                (f"Caisse d'allocations familiales {dept_de}", seat),
                (f"Caisse primaire d'assurance maladie {dept_de}", seat),
                (f"France Travail {region}", capital), (f"Agence régionale de santé {region}", capital),
                (f"ADEME {region}", capital), (f"URSSAF {region}", capital),
            ))
            description = (
                "Son équipe innovation améliore l'accueil et les démarches des usagers en les "
                f"associant aux projets, en lien avec les partenaires du territoire {REGION_IN[region_code]}."
            )
        elif kind == "association":
            name, city = rng.choice((
                (f"Association des maires {dept_de}", seat),
                (f"Fédération des centres sociaux {dept_de}", seat),
                (f"Collectif des innovateurs publics {REGION_DE[region_code]}", capital),
                (f"Réseau des tiers-lieux {REGION_DE[region_code]}", capital),
            ))
            description = (
                "L'association fédère des acteurs de l'intérêt général et organise des temps "
                "d'échange et d'entraide entre agents, élus et habitants."
            )
        elif kind == "lab-ministere":
            if region_code == "11":
                name, city = f"Laboratoire d'innovation du ministère {rng.choice(MINISTRIES)}", capital
            else:
                name, city = rng.choice((
                    (f"Lab innovation de la DREAL {region}", capital),
                    (f"Lab innovation de la DREETS {region}", capital),
                    (f"Lab innovation de la direction départementale des finances publiques {dept_de}", seat),
                ))
            description = (
                "Laboratoire d'innovation d'un ministère, il outille les agents en design de services, "
                "en sciences comportementales et en intelligence collective pour transformer leurs "
                "pratiques et leurs services."
            )
        else:
            name, city = f"Centre de gestion de la fonction publique territoriale {dept_de}", seat
            description = (
                "Établissement public au service des collectivités du département : emploi, carrières, "
                "santé au travail et accompagnement des transformations."
            )
        if name not in used:
            return OrganisationSpec(name, kind, region_code, city.name, description)
    return None


GENERATED_KINDS = (
    ("collectivite", 34), ("operateur", 22), ("hopital", 13), ("association", 13),
    ("lab-ministere", 13), ("autre", 5),
)


def organisation_specs(rng: random.Random, places: Places, count: int) -> list[OrganisationSpec]:
    """``count`` organisers (at least one LIIT per region, so ``count`` >= 18), unique names."""
    liits = territorial_labs(places)
    _, real_others = real_labs(places)
    # Alternate national actors and real labs so small demos get a bit of both.
    fixed: list[OrganisationSpec] = []
    for pair in zip(KNOWN_ORGANISERS, real_others):
        fixed.extend(pair)
    fixed.extend(KNOWN_ORGANISERS[len(real_others):])
    fixed.extend(real_others[len(KNOWN_ORGANISERS):])
    specs = liits + fixed[: max(count - len(liits), 0)]
    used = {spec.name for spec in specs}
    regions = list(REGION_WEIGHTS)
    weights = list(REGION_WEIGHTS.values())
    kinds = [kind for kind, _ in GENERATED_KINDS]
    kind_weights = [weight for _, weight in GENERATED_KINDS]
    attempts = 0
    while len(specs) < count and attempts < count * 20:
        attempts += 1
        region_code = rng.choices(regions, weights)[0]
        kind = rng.choices(kinds, kind_weights)[0]
        spec = _generated(rng, places, region_code, kind, used)
        if spec is not None:
            used.add(spec.name)
            specs.append(spec)
    return with_unique_slugs(specs)


def with_unique_slugs(specs: list[OrganisationSpec]) -> list[OrganisationSpec]:
    seen: set[str] = set()
    result = []
    for spec in specs:
        base = slugify(spec.name, max_length=100)
        slug, n = base, 2
        while slug in seen:
            slug, n = f"{base}-{n}", n + 1
        seen.add(slug)
        result.append(replace(spec, slug=slug))
    return result
