"""The programme as CSV: parsed back, same filters as the page, safe in a spreadsheet."""
import csv
import io

import pytest

from eventapp.extensions import db
from eventapp.models import EventMode, EventStatus, RegistrationMode
from eventapp.programme.export import CSV_COLUMNS, safe_cell
from tests.factories import make_edition, make_organisation, make_registration
from tests.programme_support import at, public_event


def rows_of(response) -> list[dict]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode("utf-8")), "the file starts with a BOM for spreadsheets"
    text = body.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    assert reader.fieldnames == CSV_COLUMNS
    return list(reader)


@pytest.fixture
def edition(app, db):
    edition = make_edition(2030)
    db.session.commit()
    return edition


def test_csv_columns_and_values(client, edition):
    reunion = make_organisation("04", name="Lab Réunion; « Innovation »")
    event = public_event(
        edition, reunion, title='Atelier "simplification"', slug="atelier", timezone="Indian/Reunion",
        starts_at=at(14, 10), region_code="04", departement_code="974", city="Saint-Denis",
        mode=EventMode.HYBRID, themes=("simplification", "numerique-ia"), audiences=("elus",), capacity=12,
    )
    make_registration(event)
    public_event(
        edition, title="Libre", mode=EventMode.ONLINE, registration_mode=RegistrationMode.NONE, capacity=None,
        starts_at=at(15), status=EventStatus.CANCELLED,
    )
    db.session.commit()

    response = client.get("/programme.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="programme-2030.csv"'
    rows = rows_of(response)
    assert len(rows) == 2
    first, second = rows
    assert first == {
        "id": str(event.id),
        "title": 'Atelier "simplification"',
        "starts_at": "2030-11-14T14:00:00+04:00",
        "ends_at": "2030-11-14T16:00:00+04:00",
        "timezone": "Indian/Reunion",
        "region_code": "04",
        "region": "La Réunion",
        "departement": "974",
        "city": "Saint-Denis",
        "mode": "Hybride",
        "format": "Atelier collaboratif",
        "themes": "Numérique et intelligence artificielle | Simplification",
        "audiences": "Élus",
        "organisation": "Lab Réunion; « Innovation »",
        "url": f"http://localhost/evenements/{event.id}-atelier",
        "status": "Publié",
        "capacity": "12",
        "seats_left": "11",
    }
    assert second["status"] == "Annulé"
    assert second["mode"] == "En ligne"
    assert second["capacity"] == "" and second["seats_left"] == ""
    assert response.get_data().count(b"\r\n") == 3


def test_csv_uses_the_page_filters(client, edition):
    bzh = make_organisation("53")
    kept = public_event(edition, bzh, region_code="53", title="Atelier breton")
    public_event(edition, bzh, region_code="53", title="Conférence bretonne", format="conference")
    public_event(edition, region_code="84", title="Atelier lyonnais")
    db.session.commit()
    response = client.get("/programme.csv?region=53&format=atelier-collaboratif&page=2")
    assert [row["id"] for row in rows_of(response)] == [str(kept.id)]  # every match, not one page
    assert response.headers["Content-Disposition"] == 'attachment; filename="programme-2030-filtre.csv"'
    # The page links to the CSV of its own filters.
    page = client.get("/?region=53&format=atelier-collaboratif").get_data(as_text=True)
    assert 'href="/programme.csv?region=53&amp;format=atelier-collaboratif" download' in page
    # Unknown values are ignored as on the page.
    assert len(rows_of(client.get("/programme.csv?region=zz"))) == 3
    assert len(rows_of(client.get("/programme.csv?organisation=personne"))) == 3


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Atelier = fête", "Atelier = fête"),
        (None, ""),
        (12, "12"),
    ],
)
def test_cells_cannot_become_formulas(value, expected):
    assert safe_cell(value) == expected


def test_formula_title_is_neutralised_in_the_file(client, edition):
    public_event(edition, title="=1+1", city="@Lyon")
    db.session.commit()
    (row,) = rows_of(client.get("/programme.csv"))
    assert row["title"] == "'=1+1"
    assert row["city"] == "'@Lyon"


def test_archive_csv(client, app, db):
    old = make_edition(2029)
    make_edition(2030)
    event = public_event(old, title="Atelier de 2029", starts_at=at(14, year=2029))
    db.session.commit()
    response = client.get("/archives/2029.csv")
    assert [row["title"] for row in rows_of(response)] == ["Atelier de 2029"]
    assert response.headers["Content-Disposition"] == 'attachment; filename="programme-2029.csv"'
    assert 'href="/archives/2029.csv"' in client.get("/archives/2029").get_data(as_text=True)
    assert client.get("/archives/2030.csv").headers["Location"] == "/programme.csv"
    assert client.get("/archives/2000.csv").status_code == 404
    assert event.id
