"""The one place that finds the packaged templates and styles.

In a wheel they sit inside the package (``briefexport/templates``); in a source checkout and an
editable install they are the top-level ``templates/`` and ``styles/`` folders of the project.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@cache
def resource_dir(name: str) -> Path:
    """The built-in ``templates`` or ``styles`` folder."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"briefexport's built-in '{name}' folder is missing from "
                            f"{_PACKAGE_DIR}; the installation is broken")


def templates_dir() -> Path:
    """The built-in templates, one sub-folder per format."""
    return resource_dir("templates")


def styles_dir() -> Path:
    """The built-in stylesheets."""
    return resource_dir("styles")
