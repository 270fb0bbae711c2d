"""The event form: every field of an event, grouped as the organiser thinks of them.

Times are typed in the event's own time zone (by default its region's) and
stored in UTC. Every rule answers with a precise French message next to its
field; the view saves nothing unless the whole form is valid.
"""
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.validators import DataRequired

from ..formatting import long_date, timezone_label
from ..geo import departements
from ..models import Edition, Event, EventMode, RegistrationMode
from ..vocabulary import AUDIENCES, FORMATS, LANGUAGES, MODES, REGIONS, THEMES, TIMEZONES, region_name, region_timezone
from ..workflow.snapshot import REGISTRATION_MODES
from .fields import (
    POSTCODE,
    FrenchMeta,
    MultiCheckboxField,
    choice_list,
    date_field,
    departement_from_postcode,
    instant,
    is_https_url,
    text_field,
    time_field,
)

MAX_CAPACITY = 100_000


class EventForm(FlaskForm):
    """Create or edit an event. Build it with ``EventForm(edition=…, organisation_region=…)``."""

    class Meta(FrenchMeta):
        pass

    # --- What ---
    organisation_id = SelectField(
        "Organisation", coerce=int, validate_choice=False,
        description="L'organisation qui porte l'événement.",
    )
    title = text_field("Titre", 200, "Indiquez le titre de l'événement.",
                  "Court et parlant, par exemple « Atelier : simplifier la demande de bourse ».")
    summary = text_field("Résumé", 400, "Rédigez un résumé de l'événement.",
                    "Une ou deux phrases, affichées dans le programme et les agendas (400 caractères au plus).",
                    area=True)
    description = text_field("Description", 20000, None,
                        "Déroulé, intervenants, prérequis… Mise en forme possible : **gras**, *italique*, "
                        "listes commençant par « - », liens [texte](https://…).", area=True)
    format = SelectField("Format", choices=choice_list([("", "Choisir un format")] + list(FORMATS.items())),
                         validators=[DataRequired("Choisissez le format de l'événement.")],
                         validate_choice=False)
    themes = MultiCheckboxField("Thèmes", choices=choice_list(THEMES.items()), validate_choice=False,
                                description="Au moins un thème.")
    audiences = MultiCheckboxField("Publics visés", choices=choice_list(AUDIENCES.items()), validate_choice=False,
                                   description="Au moins un public.")
    language = SelectField("Langue", choices=choice_list(LANGUAGES.items()), default="fr", validate_choice=False)

    # --- When ---
    start_date = date_field("Date de début", "Indiquez la date de début.")
    start_time = time_field("Heure de début", "Indiquez l'heure de début.")
    end_date = date_field("Date de fin", "Indiquez la date de fin.",
                           "La même que la date de début pour un événement d'une journée.")
    end_time = time_field("Heure de fin", "Indiquez l'heure de fin.")
    timezone = SelectField(
        "Fuseau horaire",
        choices=choice_list([("", "Celui de la région de l'événement")] + [(tz, timezone_label(tz).capitalize()) for tz in TIMEZONES]),
        validate_choice=False,
        description="Les heures sont saisies dans ce fuseau horaire. Par défaut, celui de la région "
                    "(pour un événement en ligne sans région : celle de votre organisation).",
    )

    # --- Where ---
    mode = RadioField("Modalité", choices=choice_list(MODES.items()), validate_choice=False,
                      validators=[DataRequired("Choisissez la modalité : présentiel, en ligne ou hybride.")])
    venue_name = text_field("Nom du lieu", 200, None, "Par exemple « Préfecture de la Loire-Atlantique, salle Jules Verne ».")
    street_address = text_field("Adresse", 300, None, "Numéro et voie. Obligatoire en présentiel et en hybride.")
    postcode = text_field("Code postal", 10, None, "5 chiffres. Obligatoire en présentiel et en hybride.")
    city = text_field("Ville", 120, None, "Obligatoire en présentiel et en hybride.")
    region_code = SelectField(
        "Région", choices=choice_list([("", "Choisir une région")] + [(code, r.name) for code, r in REGIONS.items()]),
        validate_choice=False,
        description="Obligatoire en présentiel et en hybride ; facultative pour un événement en ligne.",
    )
    departement_code = SelectField("Département", validate_choice=False,
                                   description="Facultatif : déduit du code postal quand il est laissé vide.")
    latitude = text_field("Latitude", 20, None, "Facultatif, par exemple 45.7640 (pour la carte).")
    longitude = text_field("Longitude", 20, None, "Facultatif, par exemple 4.8357.")
    online_url = text_field("Lien de connexion", 500, None,
                       "Adresse https:// de la visioconférence. Obligatoire en ligne et en hybride ; "
                       "communiquée aux inscrits.")

    # --- Registration ---
    registration_mode = RadioField("Inscription", choices=choice_list(REGISTRATION_MODES.items()), default="internal",
                                   validate_choice=False,
                                   validators=[DataRequired("Choisissez comment les participants s'inscrivent.")])
    capacity = text_field("Nombre de places", 10, None,
                     "Pour une inscription sur la plateforme : un nombre entier, ou vide pour un nombre illimité.")
    has_waiting_list = BooleanField("Ouvrir une liste d'attente quand l'événement est complet",
                                    description="Les premiers en attente obtiennent automatiquement les places libérées.")
    external_registration_url = text_field("Lien d'inscription externe", 500, None,
                                      "Adresse https:// du formulaire d'inscription, si les inscriptions se font ailleurs.")
    deadline_date = date_field("Date limite d'inscription",
                                description="Facultatif : sinon les inscriptions ferment au début de l'événement.")
    deadline_time = time_field("Heure limite d'inscription")

    # --- Accessibility ---
    accessibility_info = text_field("Informations d'accessibilité", 2000, None,
                               "Accès en fauteuil roulant, boucle magnétique, interprétation en LSF, sous-titrage, "
                               "supports adaptés… Ce que les participants doivent savoir pour venir.", area=True)

    def __init__(self, *args, edition: Edition, organisation_region: str | None = None,
                 confirmed_count: int = 0, organisation_choices: list[tuple[int, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.organisation_region = organisation_region
        self.confirmed_count = confirmed_count
        self.departement_code.choices = choice_list(
            [("", "Déduire du code postal")] + [(d.code, f"{d.code} – {d.name}") for d in departements().values()]
        )
        self.organisation_ids = {value for value, _label in organisation_choices or []}
        if organisation_choices and len(organisation_choices) > 1:
            self.organisation_id.choices = choice_list([(0, "Choisir une organisation")] + organisation_choices)
        else:
            del self.organisation_id
        self.values: dict = {}

    # --- From an event, to an event ---

    @classmethod
    def data_from_event(cls, event: Event) -> dict:
        """The form's initial values for ``event`` (times in its own zone)."""
        start, end = event.local_starts_at, event.local_ends_at
        deadline = event.registration_deadline.astimezone(event.zone) if event.registration_deadline else None
        return dict(
            organisation_id=event.organisation_id,
            title=event.title, summary=event.summary, description=event.description, format=event.format,
            themes=list(event.themes), audiences=list(event.audiences), language=event.language,
            start_date=start.date(), start_time=start.time().replace(tzinfo=None),
            end_date=end.date(), end_time=end.time().replace(tzinfo=None), timezone=event.timezone,
            mode=event.mode.value, venue_name=event.venue_name, street_address=event.street_address,
            postcode=event.postcode, city=event.city, region_code=event.region_code or "",
            departement_code=event.departement_code or "",
            latitude="" if event.latitude is None else str(event.latitude),
            longitude="" if event.longitude is None else str(event.longitude),
            online_url=event.online_url, registration_mode=event.registration_mode.value,
            capacity="" if event.capacity is None else str(event.capacity),
            has_waiting_list=event.has_waiting_list,
            external_registration_url=event.external_registration_url,
            deadline_date=deadline.date() if deadline else None,
            deadline_time=deadline.time().replace(tzinfo=None) if deadline else None,
            accessibility_info=event.accessibility_info,
        )

    def validate(self, extra_validators=None) -> bool:
        """Field rules first, then the rules between fields; ``self.values`` holds the result."""
        valid = super().validate(extra_validators)
        values: dict = {}
        self._check_what(values)
        self._check_where(values)
        self._check_when(values)
        self._check_registration(values)
        values["accessibility_info"] = self.accessibility_info.data or None
        self.values = values
        return valid and not self.errors

    @staticmethod
    def _error(field, message: str) -> None:
        if message not in field.errors:
            field.errors.append(message)

    def _check_what(self, values: dict) -> None:
        if "organisation_id" in self._fields:
            if self.organisation_id.data not in self.organisation_ids:
                self._error(self.organisation_id, "Choisissez l'organisation qui porte l'événement.")
        if self.format.data and self.format.data not in FORMATS:
            self._error(self.format, "Choisissez un format dans la liste.")
        for field, vocabulary, message in (
            (self.themes, THEMES, "Choisissez au moins un thème."),
            (self.audiences, AUDIENCES, "Choisissez au moins un public visé."),
        ):
            codes = field.data or []
            if not codes:
                self._error(field, message)
            elif any(code not in vocabulary for code in codes):
                self._error(field, "Choisissez uniquement des valeurs de la liste.")
        if self.language.data not in LANGUAGES:
            self._error(self.language, "Choisissez une langue dans la liste.")
        values.update(
            title=self.title.data, summary=self.summary.data or "", description=self.description.data or "",
            format=self.format.data, themes=list(self.themes.data or []),
            audiences=list(self.audiences.data or []), language=self.language.data,
        )

    def _check_where(self, values: dict) -> None:
        mode = self.mode.data
        if mode and mode not in MODES:
            self._error(self.mode, "Choisissez la modalité : présentiel, en ligne ou hybride.")
            return
        region = self.region_code.data or None
        if region and region not in REGIONS:
            self._error(self.region_code, "Choisissez une région dans la liste.")
            region = None
        values["mode"] = EventMode(mode) if mode else None
        values["region_code"] = region
        has_place = mode in (EventMode.IN_PERSON.value, EventMode.HYBRID.value)
        has_online = mode in (EventMode.ONLINE.value, EventMode.HYBRID.value)
        if has_place:
            for field, message in (
                (self.street_address, "Indiquez l'adresse du lieu (numéro et voie)."),
                (self.postcode, "Indiquez le code postal du lieu."),
                (self.city, "Indiquez la ville du lieu."),
                (self.region_code, "Choisissez la région du lieu."),
            ):
                if not field.data:
                    self._error(field, message)
        postcode = self.postcode.data
        if postcode and not POSTCODE.match(postcode):
            self._error(self.postcode, "Le code postal doit comporter exactement 5 chiffres, par exemple 69001.")
        departement = self._departement(region, postcode)
        values.update(
            venue_name=self.venue_name.data or None, street_address=self.street_address.data or None,
            postcode=postcode or None, city=self.city.data or None, departement_code=departement,
            latitude=self._coordinate(self.latitude, 90), longitude=self._coordinate(self.longitude, 180),
        )
        url = self.online_url.data
        if has_online and not url:
            self._error(self.online_url, "Indiquez le lien de connexion (une adresse commençant par https://).")
        elif url and not is_https_url(url):
            self._error(self.online_url, "Le lien de connexion doit être une adresse web sécurisée commençant par https://.")
        values["online_url"] = url or None

    def _departement(self, region: str | None, postcode: str | None) -> str | None:
        known = departements()
        code = self.departement_code.data or None
        if code:
            if code not in known:
                self._error(self.departement_code, "Choisissez un département dans la liste.")
                return None
            if region and known[code].region_code != region:
                self._error(
                    self.departement_code,
                    f"Le département {code} – {known[code].name} n'est pas dans la région {region_name(region)}.",
                )
            return code
        if not postcode or not POSTCODE.match(postcode):
            return None
        guess = departement_from_postcode(postcode)
        if guess in known and (region is None or known[guess].region_code == region):
            return guess
        return None

    def _coordinate(self, field, limit: int) -> float | None:
        raw = (field.data or "").replace(",", ".")
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = None
        if value is None or not -limit <= value <= limit:
            self._error(field, f"« {field.label.text} » doit être un nombre entre -{limit} et {limit}, par exemple 45.76.")
            return None
        return value

    def event_timezone(self) -> str:
        """The chosen time zone, or the region's (for an online event: the organisation's region)."""
        chosen = self.timezone.data
        if chosen:
            return chosen
        return region_timezone(self.region_code.data or self.organisation_region)

    def _check_when(self, values: dict) -> None:
        if self.timezone.data and self.timezone.data not in TIMEZONES:
            self._error(self.timezone, "Choisissez un fuseau horaire dans la liste.")
            return
        tz = self.event_timezone()
        values["timezone"] = tz
        starts_at = instant(self.start_date.data, self.start_time.data, tz)
        ends_at = instant(self.end_date.data, self.end_time.data, tz)
        values["starts_at"], values["ends_at"] = starts_at, ends_at
        if starts_at and ends_at and ends_at <= starts_at:
            self._error(self.end_time, "La fin doit être postérieure au début de l'événement.")
        edition = self.edition
        if starts_at and self.start_date.data < edition.starts_on:
            self._error(self.start_date, self._edition_message())
        if ends_at and self.end_date.data > edition.ends_on:
            self._error(self.end_date, self._edition_message())

    def _edition_message(self) -> str:
        edition = self.edition
        return (
            f"L'événement doit se dérouler pendant l'édition {edition.year}, "
            f"entre le {long_date(edition.starts_on)} et le {long_date(edition.ends_on)}."
        )

    def _check_registration(self, values: dict) -> None:
        mode = self.registration_mode.data
        if mode not in REGISTRATION_MODES:
            self._error(self.registration_mode, "Choisissez comment les participants s'inscrivent.")
            return
        values["registration_mode"] = RegistrationMode(mode)
        values["has_waiting_list"] = bool(self.has_waiting_list.data)
        values["capacity"] = self._capacity() if mode == RegistrationMode.INTERNAL.value else None
        url = self.external_registration_url.data
        if mode == RegistrationMode.EXTERNAL.value:
            if not url:
                self._error(self.external_registration_url,
                            "Indiquez le lien d'inscription externe (une adresse commençant par https://).")
            elif not is_https_url(url):
                self._error(self.external_registration_url,
                            "Le lien d'inscription doit être une adresse web sécurisée commençant par https://.")
        values["external_registration_url"] = url or None
        values["registration_deadline"] = None
        if mode == RegistrationMode.INTERNAL.value and self.deadline_date.data:
            if not self.deadline_time.data:
                self._error(self.deadline_time, "Indiquez aussi l'heure limite d'inscription.")
                return
            deadline = instant(self.deadline_date.data, self.deadline_time.data, values.get("timezone") or "Europe/Paris")
            starts_at = values.get("starts_at")
            if starts_at and deadline >= starts_at:
                self._error(self.deadline_date, "La date limite d'inscription doit précéder le début de l'événement.")
            values["registration_deadline"] = deadline
        elif mode == RegistrationMode.INTERNAL.value and self.deadline_time.data:
            self._error(self.deadline_date, "Indiquez aussi la date limite d'inscription.")

    def _capacity(self) -> int | None:
        raw = (self.capacity.data or "").replace(" ", "").replace("\u202f", "")
        if not raw:
            return None
        if not raw.isdigit() or int(raw) < 1:
            self._error(self.capacity, "Le nombre de places doit être un nombre entier positif, "
                                       "ou rester vide pour un nombre illimité.")
            return None
        capacity = int(raw)
        if capacity > MAX_CAPACITY:
            self._error(self.capacity, f"Le nombre de places ne peut pas dépasser {MAX_CAPACITY:,}.".replace(",", " "))
            return None
        if capacity < self.confirmed_count:
            self._error(self.capacity, f"Le nombre de places ne peut pas être inférieur au nombre d'inscrits "
                                       f"confirmés ({self.confirmed_count}).")
            return None
        return capacity
