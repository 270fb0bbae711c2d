"""What every route answers to every role: the one table the access-control walk checks.

Each route of the URL map is requested with each method it accepts (POST with an empty
form, no query string) as each role, against the objects of ``world.py``: organisation A
(Auvergne-Rhône-Alpes, 84) and its events, another agent's registration, live tokens.

Roles (columns, in this order):
    visitor      no account
    agent        signed in, no organisation
    organiser_a  member of organisation A (the owner of the objects)
    organiser_b  member of organisation B (Bretagne, 53)
    coord_other  regional coordinator of Bretagne (53): another region than A's
    coord_a      regional coordinator of Auvergne-Rhône-Alpes (84): A's region
    national     national coordinator
    admin        administrator

Answers: an HTTP status, or ``LOG`` for a redirect to the log-in page.
A route missing from this table fails the walk: add it here, with what each role must get.
"""

COLUMNS = ("visitor", "agent", "organiser_a", "organiser_b", "coord_other", "coord_a", "national", "admin")

#: Objects other than the defaults (``routes.ARGUMENT_SOURCES``) for some endpoints' arguments.
ARGUMENTS = {
    "organiser.delete": {"event_id": "ids:draft"},
    "organiser.submit": {"event_id": "ids:draft"},
    "moderation.review": {"event_id": "ids:submitted"},
    "moderation.decide": {"event_id": "ids:submitted"},
    "programme.archive": {"year": "ids:archive_year"},
    "programme.archive_csv": {"year": "ids:archive_year"},
    "programme.event_detail": {"slug": "literal:atelier-public-de-a"},
    "admin.revoke_coordinator": {"user_id": "ids:coord_other"},
    "membership.invitation": {"token": "tokens:invitation"},
    "auth.reset_password": {"token": "tokens:reset"},
    "auth.verify_email": {"token": "tokens:verify"},
    "static": {"filename": "literal:inexistant.css"},
}

#: Routes reached with the registrant's own secret (feed, reset link): whoever holds the link
#: is treated as the registrant, so their personal data may appear there.
REGISTRANT_SECRET_ROUTES = {"feeds.personal_ics", "auth.reset_password"}

TABLE: dict[str, str] = {
    # "METHOD /rule":                                                                     visitor agent orgA orgB coordOther coordA national admin
    # --- Public programme --------------------------------------------------------------------------
    "GET / (core.home)":                                                                 "200 200 200 200 200 200 200 200",
    "GET / (programme.index)":                                                           "200 200 200 200 200 200 200 200",
    "GET /archives":                                                                     "200 200 200 200 200 200 200 200",
    "GET /archives/<int:year>":                                                          "200 200 200 200 200 200 200 200",
    "GET /archives/<int:year>.csv":                                                      "200 200 200 200 200 200 200 200",
    "GET /evenements/<int:event_id>":                                                    "301 301 301 301 301 301 301 301",
    "GET /evenements/<int:event_id>-<slug>":                                             "200 200 200 200 200 200 200 200",
    "GET /evenements/<int:event_id>.ics":                                                "200 200 200 200 200 200 200 200",
    "GET /evenements/<int:event_id>/inscription":                                        "LOG 200 200 200 200 200 200 200",
    "POST /evenements/<int:event_id>/inscription":                                       "LOG 400 400 400 400 400 400 400",
    "GET /programme":                                                                    "200 200 200 200 200 200 200 200",
    "GET /programme.csv":                                                                "200 200 200 200 200 200 200 200",
    "GET /programme.ics":                                                                "200 200 200 200 200 200 200 200",
    "GET /programme.json":                                                               "200 200 200 200 200 200 200 200",
    # --- Organisations -----------------------------------------------------------------------------
    "GET /invitation/<token>":                                                           "200 200 200 200 200 200 200 200",
    # The invitation link: only the invited address may accept; anyone else signed in is told so (200,
    # nothing changes), and a visitor sees the account form again.
    "POST /invitation/<token>":                                                          "200 200 200 200 200 200 200 200",
    "GET /organisations":                                                                "200 200 200 200 200 200 200 200",
    "GET /organisations/<slug>":                                                         "200 200 200 200 200 200 200 200",
    "GET /organisations/<slug>.ics":                                                     "200 200 200 200 200 200 200 200",
    "GET /organisations/<slug>/rejoindre":                                               "LOG 200 200 200 200 200 200 200",
    # Asking to join A: anyone signed in who is not a member (organiser_a already is: the page again).
    "POST /organisations/<slug>/rejoindre":                                              "LOG 302 200 302 302 302 302 302",
    # --- Accounts ----------------------------------------------------------------------------------
    "GET /connexion":                                                                    "200 302 302 302 302 302 302 302",
    "POST /connexion":                                                                   "200 302 302 302 302 302 302 302",
    "GET /creer-un-compte":                                                              "200 302 302 302 302 302 302 302",
    "POST /creer-un-compte":                                                             "200 302 302 302 302 302 302 302",
    "GET /creer-un-compte/confirmation":                                                 "200 200 200 200 200 200 200 200",
    "GET /deconnexion":                                                                  "302 200 200 200 200 200 200 200",
    "POST /deconnexion":                                                                 "302 302 302 302 302 302 302 302",
    "GET /mot-de-passe-oublie":                                                          "200 200 200 200 200 200 200 200",
    "POST /mot-de-passe-oublie":                                                         "200 200 200 200 200 200 200 200",
    "GET /mot-de-passe-oublie/confirmation":                                             "200 200 200 200 200 200 200 200",
    "GET /reinitialiser-mot-de-passe/<token>":                                           "200 200 200 200 200 200 200 200",
    "POST /reinitialiser-mot-de-passe/<token>":                                          "200 200 200 200 200 200 200 200",
    "GET /verifier-email":                                                               "LOG 302 302 302 302 302 302 302",
    "POST /verifier-email":                                                              "LOG 302 302 302 302 302 302 302",
    "GET /verifier-email/<token>":                                                       "200 200 200 200 200 200 200 200",
    # --- Agent's own pages -------------------------------------------------------------------------
    # The registrant's personal feed: whoever holds its secret address reads it.
    "GET /agenda/<token>.ics":                                                           "200 200 200 200 200 200 200 200",
    "GET /mon-agenda":                                                                   "LOG 200 200 200 200 200 200 200",
    # Another agent's registration: nobody but its owner may cancel it.
    "POST /mon-agenda/inscriptions/<int:registration_id>/annuler":                       "LOG 403 403 403 403 403 403 403",
    "POST /mon-agenda/renouveler-le-lien":                                               "LOG 303 303 303 303 303 303 303",
    "GET /mon-compte":                                                                   "LOG 200 200 200 200 200 200 200",
    "POST /mon-compte":                                                                  "LOG 302 302 302 302 302 302 302",
    "GET /mon-compte/mot-de-passe":                                                      "LOG 200 200 200 200 200 200 200",
    "POST /mon-compte/mot-de-passe":                                                     "LOG 200 200 200 200 200 200 200",
    "GET /mon-compte/supprimer":                                                         "LOG 200 200 200 200 200 200 200",
    "POST /mon-compte/supprimer":                                                        "LOG 400 400 400 400 400 400 400",
    # --- Organiser space ---------------------------------------------------------------------------
    "GET /espace-organisateur":                                                          "LOG 403 200 200 200 200 200 200",
    # A's published event: visible to all, so outsiders get 403 (404 for the draft and submitted ones).
    "GET /espace-organisateur/evenements/<int:event_id>":                                "LOG 403 200 403 403 200 200 200",
    "GET /espace-organisateur/evenements/<int:event_id>/annuler":                        "LOG 403 200 403 403 200 200 200",
    "POST /espace-organisateur/evenements/<int:event_id>/annuler":                       "LOG 403 200 403 403 200 200 200",
    "POST /espace-organisateur/evenements/<int:event_id>/dupliquer":                     "LOG 403 302 403 403 302 302 302",
    "GET /espace-organisateur/evenements/<int:event_id>/emargement":                     "LOG 403 200 403 403 200 200 200",
    "POST /espace-organisateur/evenements/<int:event_id>/emargement/<int:registration_id>": "LOG 403 303 403 403 303 303 303",
    "GET /espace-organisateur/evenements/<int:event_id>/inscriptions":                   "LOG 403 200 403 403 200 200 200",
    "GET /espace-organisateur/evenements/<int:event_id>/inscriptions.csv":               "LOG 403 200 403 403 200 200 200",
    "GET /espace-organisateur/evenements/<int:event_id>/message":                        "LOG 403 200 403 403 200 200 200",
    "POST /espace-organisateur/evenements/<int:event_id>/message":                       "LOG 403 400 403 403 400 400 400",
    "GET /espace-organisateur/evenements/<int:event_id>/modifier":                       "LOG 403 200 403 403 200 200 200",
    "POST /espace-organisateur/evenements/<int:event_id>/modifier":                      "LOG 403 200 403 403 200 200 200",
    "POST /espace-organisateur/evenements/<int:event_id>/soumettre":                     "LOG 403 302 404 404 302 302 302",
    # Deleting the draft: its organisation's members only; coordinators may see it (403), others not (404).
    "GET /espace-organisateur/evenements/<int:event_id>/supprimer":                      "LOG 403 200 404 404 403 403 403",
    "POST /espace-organisateur/evenements/<int:event_id>/supprimer":                     "LOG 403 302 404 404 403 403 403",
    "GET /espace-organisateur/evenements/nouveau":                                       "LOG 403 200 200 200 200 200 200",
    "POST /espace-organisateur/evenements/nouveau":                                      "LOG 403 200 200 200 200 200 200",
    # --- Moderation --------------------------------------------------------------------------------
    "GET /moderation":                                                                   "LOG 403 403 403 200 200 200 200",
    # The submitted event of A (region 84): the Bretagne coordinator may not know it exists.
    "GET /moderation/evenements/<int:event_id>":                                         "LOG 403 403 403 404 200 200 200",
    "POST /moderation/evenements/<int:event_id>/decision":                               "LOG 403 403 403 404 400 400 400",
    "GET /moderation/programme":                                                         "LOG 403 403 403 200 200 200 200",
    # Already published: refused to all (the switch itself is national: see "retirer").
    "POST /moderation/programme/publier":                                                "LOG 403 403 403 403 403 403 403",
    "POST /moderation/programme/retirer":                                                "LOG 403 403 403 403 403 302 302",
    # --- Cockpit (coordinators) --------------------------------------------------------------------
    "GET /pilotage/":                                                                    "LOG 403 403 403 200 200 200 200",
    "GET /pilotage/coordination":                                                        "LOG 403 403 403 403 403 200 200",
    "POST /pilotage/coordination":                                                       "LOG 403 403 403 403 403 200 200",
    "POST /pilotage/coordination/<int:user_id>/retirer":                                 "LOG 403 403 403 403 403 302 302",
    "GET /pilotage/demandes":                                                            "LOG 403 403 403 200 200 200 200",
    "POST /pilotage/demandes/<int:request_id>":                                          "LOG 403 403 403 403 302 302 302",
    "GET /pilotage/editions":                                                            "LOG 403 403 403 403 403 200 200",
    "GET /pilotage/editions/<int:year>":                                                 "LOG 403 403 403 403 403 200 200",
    "POST /pilotage/editions/<int:year>":                                                "LOG 403 403 403 403 403 302 302",
    "POST /pilotage/editions/<int:year>/depot":                                          "LOG 403 403 403 403 403 302 302",
    "POST /pilotage/editions/<int:year>/programme":                                      "LOG 403 403 403 403 403 302 302",
    "GET /pilotage/editions/nouvelle":                                                   "LOG 403 403 403 403 403 200 200",
    "POST /pilotage/editions/nouvelle":                                                  "LOG 403 403 403 403 403 200 200",
    "GET /pilotage/journal":                                                             "LOG 403 403 403 403 403 200 200",
    "GET /pilotage/organisations":                                                       "LOG 403 403 403 200 200 200 200",
    # Organisation A (region 84): its regional coordinator, national coordinators, admins.
    "GET /pilotage/organisations/<int:organisation_id>":                                 "LOG 403 403 403 403 200 200 200",
    "POST /pilotage/organisations/<int:organisation_id>":                                "LOG 403 403 403 403 302 302 302",
    "POST /pilotage/organisations/<int:organisation_id>/activation":                     "LOG 403 403 403 403 302 302 302",
    "GET /pilotage/organisations/<int:organisation_id>/fusion":                          "LOG 403 403 403 403 200 200 200",
    "POST /pilotage/organisations/<int:organisation_id>/fusion":                         "LOG 403 403 403 403 200 200 200",
    "POST /pilotage/organisations/<int:organisation_id>/invitations":                    "LOG 403 403 403 403 302 302 302",
    "POST /pilotage/organisations/<int:organisation_id>/invitations/<int:invitation_id>/annuler": "LOG 403 403 403 403 302 302 302",
    "POST /pilotage/organisations/<int:organisation_id>/membres/<int:user_id>/retirer":  "LOG 403 403 403 403 302 302 302",
    "GET /pilotage/organisations/nouvelle":                                              "LOG 403 403 403 200 200 200 200",
    "POST /pilotage/organisations/nouvelle":                                             "LOG 403 403 403 200 200 200 200",
    # --- API (read-only JSON, CSRF-exempt) ---------------------------------------------------------
    "DELETE /api/v1/":                                                                   "404 404 404 404 404 404 404 404",
    "GET /api/v1/":                                                                      "404 404 404 404 404 404 404 404",
    "PATCH /api/v1/":                                                                    "404 404 404 404 404 404 404 404",
    "POST /api/v1/":                                                                     "404 404 404 404 404 404 404 404",
    "PUT /api/v1/":                                                                      "404 404 404 404 404 404 404 404",
    "DELETE /api/v1/<path:path>":                                                        "404 404 404 404 404 404 404 404",
    "GET /api/v1/<path:path>":                                                           "404 404 404 404 404 404 404 404",
    "PATCH /api/v1/<path:path>":                                                         "404 404 404 404 404 404 404 404",
    "POST /api/v1/<path:path>":                                                          "404 404 404 404 404 404 404 404",
    "PUT /api/v1/<path:path>":                                                           "404 404 404 404 404 404 404 404",
    "GET /api/v1/documentation":                                                         "200 200 200 200 200 200 200 200",
    "GET /api/v1/events":                                                                "200 200 200 200 200 200 200 200",
    "GET /api/v1/events/<api_id:event_id>":                                              "200 200 200 200 200 200 200 200",
    "GET /api/v1/openapi.json":                                                          "200 200 200 200 200 200 200 200",
    "GET /api/v1/organisations":                                                         "200 200 200 200 200 200 200 200",
    "GET /api/v1/organisations/<slug>":                                                  "200 200 200 200 200 200 200 200",
    # --- Assets and health -------------------------------------------------------------------------
    "GET /healthz":                                                                      "200 200 200 200 200 200 200 200",
    "GET /static/<path:filename>":                                                       "404 404 404 404 404 404 404 404",
    "GET /static/dsfr/<path:filename>":                                                  "200 200 200 200 200 200 200 200",
}


def expected(key: str) -> dict[str, str]:
    """``{role: answer}`` of a route, or ``KeyError`` when the route is not in the table."""
    answers = TABLE[key].split()
    if len(answers) != len(COLUMNS):
        raise ValueError(f"{key}: {len(answers)} answers for {len(COLUMNS)} roles")
    return dict(zip(COLUMNS, answers))
