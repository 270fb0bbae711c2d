"""The life of an event: every status transition goes through this package."""
