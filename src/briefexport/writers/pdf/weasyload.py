"""Import WeasyPrint without its slow search for the libraries it opens.

WeasyPrint opens GObject, Pango, HarfBuzz and fontconfig through cffi, trying a list of names
for each (``libgobject-2.0-0``, ``gobject-2.0``, …, ``libgobject-2.0.so.0``).  For every name
the dynamic linker does not know, cffi asks :func:`ctypes.util.find_library`, which on Linux
runs ``ldconfig``, ``gcc`` and ``ld``: 87 processes and 0.3 s or more at every start of
a process that writes a PDF.  Each list also holds the soname that the linker opens at once,
so while WeasyPrint is imported, ``find_library`` answers "not found" without running
anything.  Should that leave a library unopened, the import is done again the ordinary way.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys
import threading
from types import ModuleType

_lock = threading.Lock()


def import_weasyprint(name: str = "weasyprint") -> ModuleType:
    """``import weasyprint``, quickly; ``name`` is for the tests."""
    if name in sys.modules:
        return sys.modules[name]
    with _lock:
        real = ctypes.util.find_library
        ctypes.util.find_library = _not_found
        try:
            # WeasyPrint prints advice to stdout when it cannot open a library; that is for
            # the ordinary import below to say, if it fails too.
            with contextlib.redirect_stdout(io.StringIO()):
                return importlib.import_module(name)
        except OSError:
            _forget(name)
        finally:
            ctypes.util.find_library = real
        return importlib.import_module(name)


def _not_found(name: str) -> None:
    return None


def _forget(name: str) -> None:
    """Drop the half-imported package, so that it is imported again from the start."""
    for loaded in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[loaded]
