"""Planning the demo's events: what, who, when, where, how to register, and their history.

Pure functions of a seeded random generator and the edition year: no database access and no
clock, so the same seed and year always give the same events.
"""
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..models import Event, EventMode, EventStatus, RegistrationMode
from ..search import event_search_text
from ..text import slugify
from ..vocabulary import FORMATS, REGIONS, region_timezone
from . import content
from .places import REGION_DE, City, Places

S = EventStatus
PARIS = ZoneInfo("Europe/Paris")
DITP_NAME = "Direction interministérielle de la transformation publique (DITP)"


@dataclass(frozen=True)
class OrgInfo:
    """What planning needs to know about an organisation already inserted."""

    id: int
    name: str
    kind: str
    region_code: str
    city: str
    website: str | None
    organiser_id: int


@dataclass(frozen=True)
class Moderators:
    national_id: int
    regional_id: int
    regional_code: str

    def for_region(self, region_code: str | None) -> int:
        return self.regional_id if region_code == self.regional_code else self.national_id


@dataclass
class PlannedEvent:
    row: dict
    themes: list[str]
    audiences: list[str]
    #: (from, to, actor id, comment, when), oldest first.
    history: list[tuple[EventStatus | None, EventStatus, int, str | None, datetime]]
    demand: int
    organisation: OrgInfo
    is_overseas: bool = False


def paris_time(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Paris wall-clock time as a UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(timezone.utc)


def local_instant(day: date, clock: str, zone: str) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def exact_mix(rng: random.Random, count: int, shares: list[tuple[object, float]]) -> list:
    """``count`` values in the given shares (rounded; the first value takes the remainder), shuffled.

    Every value with a positive share appears at least once when ``count`` allows it.
    """
    values = []
    for value, share in shares[1:]:
        wanted = round(count * share)
        if share > 0 and count >= len(shares) * 2:
            wanted = max(wanted, 1)
        values.extend([value] * wanted)
    values = values[:count]
    values.extend([shares[0][0]] * (count - len(values)))
    rng.shuffle(values)
    return values


CURRENT_STATUS_SHARES = [
    (S.PUBLISHED, 0.0), (S.DRAFT, 0.05), (S.SUBMITTED, 0.06), (S.CHANGES_REQUESTED, 0.03),
    (S.REJECTED, 0.02), (S.CANCELLED, 0.03),
]
ARCHIVE_STATUS_SHARES = [(S.PUBLISHED, 0.0), (S.CANCELLED, 0.04)]
MODE_SHARES = [(EventMode.IN_PERSON, 0.0), (EventMode.ONLINE, 0.25), (EventMode.HYBRID, 0.10)]


def november_days(rng: random.Random, year: int, count: int) -> list[date]:
    """Event days: every day of November at least once (when ``count`` >= 30), mostly weekdays."""
    days = [date(year, 11, d) for d in range(1, 31)]
    weights = [1.0 if d.weekday() < 5 else (0.15 if d.weekday() == 5 else 0.06) for d in days]
    chosen = days[:count] if count >= len(days) else rng.sample(days, count)
    chosen += rng.choices(days, weights, k=count - len(chosen))
    rng.shuffle(chosen)
    return chosen


def assign_organisations(rng: random.Random, orgs: list[OrgInfo], count: int) -> list[OrgInfo]:
    """Every organisation organises at least one event (when there are enough); labs more."""
    weight = {"liit": 4, "lab-ministere": 2, "autre": 1.5}
    chosen = list(orgs[:count])
    chosen += rng.choices(orgs, [weight.get(o.kind, 1) for o in orgs], k=count - len(chosen))
    rng.shuffle(chosen)
    return chosen


class EventPlanner:
    """Plans the events of one edition."""

    def __init__(self, rng: random.Random, places: Places, moderators: Moderators, year: int,
                 programme_published_at: datetime):
        self.rng = rng
        self.places = places
        self.moderators = moderators
        self.year = year
        self.programme_published_at = programme_published_at
        self._serial = 0
        self._open_days: set[int] = set()

    # -- the whole edition -------------------------------------------------------------------

    def plan(self, orgs: list[OrgInfo], count: int, archive: bool, edition_id: int) -> list[PlannedEvent]:
        rng = self.rng
        statuses = exact_mix(rng, count, ARCHIVE_STATUS_SHARES if archive else CURRENT_STATUS_SHARES)
        modes = exact_mix(rng, count, MODE_SHARES)
        days = november_days(rng, self.year, count)
        organisers = assign_organisations(rng, orgs, count)
        if not archive:
            self._keep_launch_day(organisers, statuses, days)
        planned = [
            self.plan_one(organisers[i], modes[i], statuses[i], days[i], edition_id)
            for i in range(count)
        ]
        if not archive:
            self._make_launch_day(planned)
        return planned

    # -- one event ---------------------------------------------------------------------------

    def plan_one(self, org: OrgInfo, mode: EventMode, status: EventStatus, day: date,
                 edition_id: int) -> PlannedEvent:
        rng = self.rng
        self._serial += 1
        weekend = day.weekday() >= 5
        format_code = self._pick_format(mode, weekend, org)
        spec = content.FORMAT_SPECS[format_code]
        topic = self._pick_topic(org.kind)
        zone = region_timezone(org.region_code)
        city = self._pick_city(org) if mode != EventMode.ONLINE else None

        clock, minutes = rng.choice(spec.slots)
        extra_days = min(rng.choice(spec.extra_days), 30 - day.day)
        starts_at = local_instant(day, clock, zone)
        ends_at = starts_at + timedelta(days=extra_days, minutes=minutes)

        place = self.places.departement_de(city) if city else REGION_DE[org.region_code]
        where = f" {city.a}" if city and rng.random() < 0.3 else ""
        title = rng.choice(spec.titles).format(
            short=topic.short, question=topic.question, np=topic.np, org=org.name, place=place, where=where)
        title = title[0].upper() + title[1:]
        slug = slugify(title)

        registration_mode = rng.choices(list(RegistrationMode), self._registration_weights(spec))[0]
        capacity = rng.choice(spec.capacities) if registration_mode == RegistrationMode.INTERNAL else None
        has_waiting_list = capacity is not None and rng.random() < 0.7
        deadline = None
        if registration_mode == RegistrationMode.INTERNAL and rng.random() < 0.5:
            deadline = local_instant(day - timedelta(days=2), "23:59", zone)

        venue = address = postcode = None
        if city:
            venue = self._venue(org, city)
            address = f"{rng.randint(1, 120)} {rng.choice(content.STREETS)}"
            postcode = rng.choice(city.postcodes)
        online_url = None
        if mode != EventMode.IN_PERSON:
            online_url = rng.choice(content.ONLINE_URL_PATTERNS).format(slug=f"{slug[:48]}-{self._serial}")
        external_url = None
        if registration_mode == RegistrationMode.EXTERNAL:
            external_url = self._external_url(org, slug)

        themes = list(topic.themes[: rng.randint(1, len(topic.themes))])
        audiences = list(topic.audiences[: rng.randint(1, min(3, len(topic.audiences)))])
        summary = spec.summary.format(goal=topic.goal)
        description = self._description(spec, topic, org, mode, audiences, registration_mode, capacity)
        accessibility = None
        if rng.random() < 0.9:
            pool = content.ACCESSIBILITY_ONLINE if mode == EventMode.ONLINE else content.ACCESSIBILITY_IN_PERSON
            accessibility = rng.choice(pool)

        row = dict(
            edition_id=edition_id, organisation_id=org.id, title=title, slug=slug, summary=summary,
            description=description, format=format_code, mode=mode,
            language="lsf" if rng.random() < 0.03 else "fr",
            starts_at=starts_at, ends_at=ends_at, timezone=zone,
            venue_name=venue, street_address=address, postcode=postcode,
            city=city.name if city else None, departement_code=city.departement_code if city else None,
            region_code=org.region_code, latitude=None, longitude=None, online_url=online_url,
            accessibility_info=accessibility, capacity=capacity, registration_mode=registration_mode,
            external_registration_url=external_url, registration_deadline=deadline,
            has_waiting_list=has_waiting_list, status=status, cancellation_reason=None, sequence=0,
            search_text="", created_at=None, updated_at=None, published_at=None, changed_at=None,
            cancelled_at=None,
        )
        demand = max(3, int(spec.demand * rng.lognormvariate(0, 0.45)))
        planned = PlannedEvent(row, themes, audiences, [], demand, org, REGIONS[org.region_code].is_overseas)
        self._history(planned)
        self.refresh_search_text(planned)
        return planned

    def refresh_search_text(self, planned: PlannedEvent) -> None:
        row = planned.row
        probe = Event(title=row["title"], summary=row["summary"], description=row["description"], city=row["city"])
        row["search_text"] = event_search_text(probe, planned.organisation.name)

    # -- choices -----------------------------------------------------------------------------

    def _pick_format(self, mode: EventMode, weekend: bool, org: OrgInfo) -> str:
        options = content.FORMATS_BY_MODE[mode.value]
        if weekend:
            options = tuple(o for o in options if content.FORMAT_SPECS[o[0]].weekend) or options
        if org.id in self._open_days:  # one open day per organisation is enough
            options = tuple(o for o in options if o[0] != "portes-ouvertes") or options
        codes, weights = zip(*options)
        code = self.rng.choices(codes, weights)[0]
        assert code in FORMATS
        if code == "portes-ouvertes":
            self._open_days.add(org.id)
        return code

    def _pick_topic(self, kind: str) -> content.Topic:
        topics = content.TOPICS
        return self.rng.choices(topics, [2.5 if kind in t.kinds else 1 for t in topics])[0]

    def _pick_city(self, org: OrgInfo) -> City:
        home = self.places.find(org.region_code, org.city)
        if home and self.rng.random() < 0.6:
            return home
        return self.rng.choice(self.places.in_region(org.region_code))

    def _registration_weights(self, spec: content.FormatSpec) -> tuple[int, int, int]:
        internal, external, none = spec.registration_weights
        return (none, internal, external)  # in the order of RegistrationMode: none, internal, external

    def _venue(self, org: OrgInfo, city: City) -> str:
        rng = self.rng
        pattern = rng.choice(content.VENUES_BY_KIND.get(org.kind, ()) + content.GENERIC_VENUES)
        if org.city != city.name and "{org}" in pattern:
            pattern = rng.choice(content.GENERIC_VENUES)
        if "Préfecture" in pattern and not city.role:
            pattern = "Sous-préfecture {city_de}"
        return pattern.format(
            org=org.name, city=city.name, city_de=city.de, dept_de=self.places.departement_de(city),
            library=rng.choice(content.LIBRARY_NAMES), third_place=rng.choice(content.THIRD_PLACE_NAMES),
            letter=rng.choice("ABCDE"),
        )

    def _external_url(self, org: OrgInfo, slug: str) -> str:
        patterns = content.EXTERNAL_REGISTRATION_PATTERNS
        if not org.website:
            patterns = patterns[:2]
        domain = (org.website or "").split("//")[-1].removeprefix("www.").rstrip("/")
        return self.rng.choice(patterns).format(slug=slug[:60], number=self.rng.randint(1000, 99999), domain=domain)

    def _description(self, spec, topic, org, mode, audiences, registration_mode, capacity) -> str:
        rng = self.rng
        picked = sorted(rng.sample(range(len(topic.points)), k=min(len(topic.points), rng.randint(2, 3))))
        steps = [spec.opening] + [topic.points[i][0].upper() + topic.points[i][1:] for i in picked] + [spec.closing]
        phrases = [content.AUDIENCE_PHRASES[a] for a in audiences]
        who = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " et " + phrases[-1]
        practical = []
        # The place itself is shown by the event page from its fields, not repeated here.
        sentences = {EventMode.IN_PERSON: content.IN_PERSON_PRACTICAL, EventMode.ONLINE: content.ONLINE_PRACTICAL,
                     EventMode.HYBRID: content.HYBRID_PRACTICAL}[mode]
        practical.append(rng.choice(sentences))
        key = registration_mode.value
        if registration_mode == RegistrationMode.INTERNAL and capacity is None:
            key = "internal-unlimited"
        practical.append(content.REGISTRATION_PRACTICAL[key])
        signature = rng.choice(content.ORGANISER_SENTENCE).format(org=org.name)
        return "\n\n".join([
            f"{spec.intro.format(np=topic.np)} {topic.context}",
            "## Au programme\n\n" + "\n".join(f"- {step}" for step in steps),
            f"## Pour qui ?\n\nCet événement s'adresse {who}. {rng.choice(content.NO_PREREQUISITE)}",
            "## Informations pratiques\n\n" + " ".join(practical),
            f"*{signature}*",
        ])

    # -- history -----------------------------------------------------------------------------

    def _history(self, planned: PlannedEvent) -> None:
        """Status changes consistent with the final status, every one before the event starts."""
        rng = self.rng
        row = planned.row
        status = row["status"]
        organiser = planned.organisation.organiser_id
        coordinator = self.moderators.for_region(row["region_code"])
        year = self.year

        def later(moment: datetime, low: int, high: int) -> datetime:
            return moment + timedelta(days=rng.randint(low, high), minutes=rng.randint(0, 540))

        moment = paris_time(year, 4, 1, 9) + timedelta(days=rng.randint(0, 166), minutes=rng.randint(0, 540))
        history = [(None, S.DRAFT, organiser, None, moment)]
        row["created_at"] = moment
        if status != S.DRAFT:
            moment = later(moment, 1, 20)
            history.append((S.DRAFT, S.SUBMITTED, organiser, None, moment))
        if status == S.CHANGES_REQUESTED:
            moment = later(moment, 1, 10)
            history.append((S.SUBMITTED, S.CHANGES_REQUESTED, coordinator,
                            rng.choice(content.CHANGE_REQUEST_COMMENTS), moment))
        elif status == S.REJECTED:
            moment = later(moment, 1, 10)
            history.append((S.SUBMITTED, S.REJECTED, coordinator, rng.choice(content.REJECTION_COMMENTS), moment))
        elif status in (S.PUBLISHED, S.CANCELLED):
            if rng.random() < 0.15:
                moment = later(moment, 1, 10)
                history.append((S.SUBMITTED, S.CHANGES_REQUESTED, coordinator,
                                rng.choice(content.CHANGE_REQUEST_COMMENTS), moment))
                moment = later(moment, 1, 6)
                history.append((S.CHANGES_REQUESTED, S.SUBMITTED, organiser,
                                rng.choice(content.RESUBMISSION_COMMENTS), moment))
            moment = later(moment, 1, 5)
            history.append((S.SUBMITTED, S.PUBLISHED, coordinator, None, moment))
            row["published_at"] = moment
        if status == S.CANCELLED:
            earliest = max(moment, self.programme_published_at) + timedelta(days=2)
            latest = row["starts_at"] - timedelta(days=1)
            span = max((latest - earliest).total_seconds(), 0)
            moment = earliest + timedelta(seconds=int(span * rng.random())) if span else latest
            reason = rng.choice(content.CANCELLATION_REASONS)
            if planned.is_overseas and planned.organisation.region_code in ("01", "02") and rng.random() < 0.5:
                reason = content.OVERSEAS_CANCELLATION_REASON
            history.append((S.PUBLISHED, S.CANCELLED, organiser, reason, moment))
            row.update(cancellation_reason=reason, cancelled_at=moment, sequence=1)
        row["updated_at"] = moment
        planned.history = history

    # -- the launch day ----------------------------------------------------------------------

    def _launch_day(self) -> date:
        day = date(self.year, 11, 1)
        while day.weekday() != 1:  # the first Tuesday of November
            day += timedelta(days=1)
        return day

    def _keep_launch_day(self, organisers: list[OrgInfo], statuses: list, days: list[date]) -> None:
        """Give the DITP's first published event the launch day, swapping days (so every day stays covered)."""
        launch = self._launch_day()
        ditp = next((i for i, org in enumerate(organisers)
                     if org.name == DITP_NAME and statuses[i] == S.PUBLISHED), None)
        other = next((i for i, day in enumerate(days) if day == launch), None)
        if ditp is not None and other is not None:
            days[ditp], days[other] = days[other], days[ditp]

    def _make_launch_day(self, planned: list[PlannedEvent]) -> None:
        """The DITP opens the month with its « Journée des labs », as in the real editions."""
        event = next((p for p in planned if p.organisation.name == DITP_NAME
                      and p.row["status"] == S.PUBLISHED), None)
        if event is None:
            return
        if event.row["starts_at"].date() != self._launch_day():
            return  # too few events to have one on the launch day
        starts_at = local_instant(self._launch_day(), "09:30", "Europe/Paris")
        title = f"Journée des labs : lancement du Mois de l'innovation publique {self.year}"
        event.row.update(
            title=title, slug=slugify(title),
            summary="Les laboratoires d'innovation publique de toute la France se retrouvent pour "
                    "lancer le Mois de l'innovation publique.",
            description=(
                "La Journée des labs réunit les équipes des laboratoires d'innovation publique des "
                "ministères, des préfectures de région, des collectivités, des hôpitaux et des "
                "opérateurs pour ouvrir le Mois de l'innovation publique.\n\n"
                "## Au programme\n\n- Ouverture par le délégué interministériel à la transformation publique\n"
                "- Présentation du programme et des temps forts du mois\n"
                "- Ateliers de partage entre labs\n- Déjeuner et rencontres\n\n"
                "## Informations pratiques\n\nAu Lieu de la transformation publique, 77 avenue de "
                "Ségur à Paris, ou en ligne. Gratuit, sur inscription."
            ),
            format="conference", mode=EventMode.HYBRID, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=7), timezone="Europe/Paris",
            venue_name="Lieu de la transformation publique", street_address="77 avenue de Ségur",
            postcode="75007", city="Paris", departement_code="75", region_code="11",
            online_url="https://webinaire.numerique.gouv.fr/meeting/journee-des-labs",
            registration_mode=RegistrationMode.INTERNAL, capacity=150, has_waiting_list=True,
            registration_deadline=None, external_registration_url=None,
        )
        event.themes = ["innovation-manageriale", "intelligence-collective"]
        event.audiences = ["agents-publics", "managers"]
        event.demand = 220
        self.refresh_search_text(event)
