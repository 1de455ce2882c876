"""What the installed package says about itself."""

from __future__ import annotations


def version() -> str:
    """The installed version; ``0+unknown`` in a source checkout that was never installed.

    importlib.metadata is imported here, on first use: ``--help`` does not pay for it.
    """
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("briefexport")
    except PackageNotFoundError:
        return "0+unknown"
