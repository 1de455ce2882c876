"""Client copies: one copy of each briefing per recipient, tier-filtered, watermarked and
with personal links (``briefexport copies``).

``plan`` (sources × recipients → jobs, output names, input digests), ``render`` (one copy, in
memory: what a worker runs), ``personal`` (tokens and personal links), ``worker`` (a worker
process with a deadline per copy), ``local`` (the local pool), ``cluster`` (Dask),
``manifest`` (``manifest.jsonl``) and ``run`` (a whole run, resumable).  Nothing is imported
here: ``briefexport --help`` reads the default below and nothing else.
"""

from __future__ import annotations

#: The formats of a copy unless ``-f`` names others.
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "eml")

