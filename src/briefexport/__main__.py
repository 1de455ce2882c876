"""``python -m briefexport``."""

from briefexport.cli import main

# Guarded: process-pool workers started by "spawn" or "forkserver" import the parent's main
# module again, and must not run the command a second time.
if __name__ == "__main__":
    main()
