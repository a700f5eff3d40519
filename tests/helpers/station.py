"""A station opened in a given home as the app opens it (database, migrations, keyring, checkpoint)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

SITE_NAME = "Kantor Bupati"
GATE_NAME = "Pintu Depan"
CAPACITY = 3  # small, so a test fills the site with a few visitors


def open_test_station(
    home: Path,
    clock: Callable[[], datetime] | None = None,
    *,
    site_name: str = SITE_NAME,
    capacity: int | None = CAPACITY,
    gate_name: str = GATE_NAME,
    **kw: Any,
):
    """open_station() with the tests' site; clock=None is the real (guarded) clock. The caller closes it."""
    from guardstation.station.context import open_station

    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    if clock is not None:
        kw["clock"] = clock
    return open_station(home, site_name=site_name, capacity=capacity, gate_name=gate_name, **kw)


@contextmanager
def station_in(home: Path, clock: Callable[[], datetime] | None = None, **kw: Any) -> Iterator[Any]:
    """open_test_station(), closed on the way out."""
    ctx = open_test_station(home, clock, **kw)
    try:
        yield ctx
    finally:
        ctx.close()
