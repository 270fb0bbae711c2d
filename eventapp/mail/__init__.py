"""Outgoing e-mail: queued in the outbox table, delivered by ``flask outbox send``."""
