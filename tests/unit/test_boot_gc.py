"""Start-up objects leave the GC's reach; start-up garbage is collected, not frozen (boot.freeze_startup_objects)."""

from __future__ import annotations

import gc
import weakref

from pos_grocery.boot import freeze_startup_objects


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic GC can free it


def test_startup_garbage_is_freed_and_the_rest_frozen() -> None:
    garbage = _Node()
    gone = weakref.ref(garbage)
    del garbage
    kept = _Node()
    gc.unfreeze()
    try:
        freeze_startup_objects()
        assert gone() is None  # collected before the freeze
        assert gc.get_freeze_count() > 0
        assert not any(obj is kept for obj in gc.get_objects())  # a live object is now in the permanent generation
    finally:
        gc.unfreeze()
