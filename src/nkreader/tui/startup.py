"""The garbage collector is held while the app starts, and released once the first screen is painted.

Start-up allocates hundreds of thousands of long-lived objects (modules, classes, the styles,
the library list); each allocation threshold crossed runs a collection over all of them, and
the last full one fell just before the first paint in 4 of 5 runs (63-109 ms). Held, then
frozen (`gc.freeze`: what exists at the first paint is start-up state, never scanned again),
the collector costs nothing before the first frame and less afterwards.

Only the `nkreader` command holds it (tests and embedders that build the app keep theirs).
"""

from __future__ import annotations

import gc

_held = False


def hold_collector() -> None:
    """Disable automatic collection until `release_collector` (if it was enabled)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_collector() -> None:
    """After the first paint: freeze what start-up made and collect automatically again."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
