"""How many times each table has been written: narrow versions for the page cache."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base


class ChangeStamp(Base):
    """A table's change count, raised in the same transaction as every write to it
    (tracker.stamps), so that a value computed from a few tables can be kept while
    only other tables change."""

    __tablename__ = "change_stamps"
    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger, default=0)
