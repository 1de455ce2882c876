"""Reading sources: briefing files (decoding, front matter, Markdown → model, link policy)
and edition files."""
