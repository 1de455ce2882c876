"""Client copies: one copy of each briefing per recipient, tier-filtered, watermarked and
with personal links (``briefexport copies``)."""
