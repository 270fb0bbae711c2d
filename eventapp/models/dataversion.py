"""The data version: counters that every committed write raises (see ``eventapp.dataversion``)."""
from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class DataVersion(db.Model):
    """One shard of the data version.

    Writers raise the counter of one shard (chosen per thread, so concurrent
    transactions seldom wait for each other); readers read every shard. A shard
    row gets a random ``epoch`` when it is created, so emptied and refilled
    tables never give an old version again.
    """

    __tablename__ = "data_version"

    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    counter: Mapped[int] = mapped_column(BigInteger, default=0)
    epoch: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
