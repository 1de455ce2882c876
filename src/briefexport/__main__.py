"""``python -m briefexport``, and the ``briefexport`` console script (:func:`run`)."""

from __future__ import annotations

import gc


def run() -> None:
    """Run the command line with the cyclic garbage collector off while it starts."""
    # Start-up makes tens of thousands of objects that live as long as the process (modules,
    # classes, options); the collector ran some twenty times while they were made, freeing
    # next to nothing: about 10 ms of a text-only export.  The command turns it back on when
    # its work starts (briefexport.cli.group.main), with those objects out of its reach.
    gc.disable()
    from briefexport.cli import group

    group.collector_paused = True
    try:
        group.main()
    finally:
        # Ended before the command started (--help, --version, a usage error): the caller,
        # if it is not about to exit, gets its collector back.
        if group.collector_paused:
            group.collector_paused = False
            gc.enable()


# Guarded: process-pool workers started by "spawn" or "forkserver" import the parent's main
# module again, and must not run the command a second time.
if __name__ == "__main__":
    run()
