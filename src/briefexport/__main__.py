"""``python -m briefexport``."""

from briefexport.cli import main

main()
