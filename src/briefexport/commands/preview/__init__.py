"""``briefexport preview``: a live side-by-side page of all three outputs, on 127.0.0.1 only.

:mod:`.build` renders the source in memory (nothing is written to disk) whenever it, the
config or a theme file changes, and makes an immutable snapshot; :mod:`.server` serves the page
(``page.html``), which listens on ``/events`` (Server-Sent Events) and fetches ``/state.json``
when the version changes.  Only the standard library's HTTP server is used: one user, one page.
"""

from briefexport.commands.preview.server import serve

__all__ = ["serve"]
