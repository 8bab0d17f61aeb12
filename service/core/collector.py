"""Pause Python's cyclic garbage collector around work that allocates many acyclic objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, if it is on, for the duration of the block.

    Parsing Markdown and building a scored document allocate a few objects per token or per
    sentence, none of them in reference cycles, so reference counting frees them all. With the
    collector on they set off collections that walk the young objects and, now and then, the
    whole heap: on 100,000 characters of "*_" about 0.25 s of a 0.75 s prose view where the heap
    is not frozen (the CLI, tests), 0.08 s in a gunicorn worker, whose master froze the preloaded
    model. Workers are sync, one request at a time, so nothing else waits on the collector
    meanwhile. Works as a decorator too.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
