"""Raising the data version: every committed write of the session raises one of its counters."""
from __future__ import annotations

import functools
import os
import secrets
import threading

from flask import has_app_context
from sqlalchemy import bindparam, event
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from ..models import DataVersion
from ..models.types import utcnow
from .reading import _forget_request_version, last_read

#: How many counter rows writers spread over.
SHARDS = 16
#: Tables whose writes change nothing a cached page or feed shows.
UNTRACKED_TABLES = frozenset({"data_version", "outbox_message", "audit_entry"})

_CHANGED = "eventapp.data_changed"
_BUMPED = "eventapp.data_version_bumped"
_WRITE_WORDS = ("insert", "update", "delete", "replace", "merge", "truncate")


def bump(session: Session) -> None:
    """Raise this thread's shard of the counter, in the session's transaction."""
    connection = session.connection(bind_arguments={"mapper": DataVersion})
    connection.execute(
        _bump_statement(connection.dialect.name),
        {"shard": this_thread_shard(), "epoch": secrets.token_hex(8), "changed_at": utcnow()},
    )


def this_thread_shard() -> int:
    """The counter row this thread raises: writers in other threads and processes mostly use others."""
    return hash((os.getpid(), threading.get_ident())) % SHARDS


@functools.cache
def _bump_statement(dialect_name: str):
    """The upsert raising a shard, built once per dialect (it runs in every write)."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(DataVersion).values(
        shard=bindparam("shard"), counter=1, epoch=bindparam("epoch"), changed_at=bindparam("changed_at")
    )
    return statement.on_conflict_do_update(
        index_elements=[DataVersion.shard],
        set_={"counter": DataVersion.counter + 1, "changed_at": statement.excluded.changed_at},
    )


def _tracked_table(name: str | None) -> bool:
    return name is None or name not in UNTRACKED_TABLES


def _object_is_tracked(obj) -> bool:
    table = getattr(obj, "__table__", None)
    return _tracked_table(getattr(table, "name", None))


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session, _flush_context, _instances) -> None:
    if session.info.get(_CHANGED):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if _object_is_tracked(obj):
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state) -> None:
    session = state.session
    if session.info.get(_CHANGED):
        return
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if _tracked_table(getattr(table, "name", None)):
            session.info[_CHANGED] = True
    elif isinstance(statement, TextClause):
        if statement.text.lstrip().lower().startswith(_WRITE_WORDS):
            session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_before_commit(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the bump belongs to the real commit, as its last statement
    pending = any(_object_is_tracked(obj) for obj in (*session.new, *session.dirty, *session.deleted))
    if session.info.pop(_CHANGED, False) or pending:
        bump(session)
        session.info[_BUMPED] = True
        _forget_request_version()


@event.listens_for(Session, "after_commit")
def _forget_last_read_after_commit(session) -> None:
    if session.info.pop(_BUMPED, False) and has_app_context():
        last_read().forget()


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_changes(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint rolled back: what the transaction wrote before it still counts
    session.info.pop(_CHANGED, None)
    session.info.pop(_BUMPED, None)
