"""IPTC ninjs 3.1 ("News in JSON"): one item per briefing (``item.py``) and, for an edition, a
package (``type: composite``) that carries each story's own item (``edition.py``)."""
