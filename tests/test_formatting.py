"""French dates: the day an instant falls on where it happens, written the French way."""
from datetime import date, datetime, timezone

from eventapp.formatting import clock, date_time, long_date, short_date


def test_days_are_written_in_french():
    assert long_date(date(2027, 11, 16)) == "mardi 16 novembre 2027"
    assert short_date(date(2027, 11, 16)) == "16 nov. 2027"


def test_an_instant_is_read_on_the_day_of_its_zone():
    late_in_guadeloupe = datetime(2027, 11, 17, 1, 30, tzinfo=timezone.utc)  # 21 h 30 on the 16th there
    assert long_date(late_in_guadeloupe, "America/Guadeloupe") == "mardi 16 novembre 2027"
    assert long_date(late_in_guadeloupe, "Europe/Paris") == "mercredi 17 novembre 2027"
    assert short_date(late_in_guadeloupe, "Indian/Reunion") == "17 nov. 2027"
    assert long_date(late_in_guadeloupe) == "mercredi 17 novembre 2027"  # no zone: the instant's own day
    assert date_time(late_in_guadeloupe, "America/Guadeloupe") == "mardi 16 novembre 2027 à 21 h 30"
    assert clock(late_in_guadeloupe, "Europe/Paris") == "2 h 30"


def test_a_kept_day_never_answers_for_another_pattern():
    day = date(2030, 1, 5)
    assert long_date(day) == "samedi 5 janvier 2030"
    assert short_date(day) == "5 janv. 2030"
    assert long_date(day) == "samedi 5 janvier 2030"
