"""`make load`: 50 simulated users browse, search, subscribe and register for 60 s against
gunicorn + PostgreSQL on 127.0.0.1, then the database is checked for overbooking."""
