"""Every number the tool holds to, defined once: the reader, the writers, the config's checks,
the command line's option ranges and the preflight all read them from here.
"""

from __future__ import annotations

#: Bytes in the megabyte of ``--max-size`` and of the messages (sizes are shown in MiB).
MEGABYTE = 1_048_576

#: Refuse larger sources unless the caller raises the limit: a briefing is a few KB.
MAX_SOURCE_BYTES = 5 * MEGABYTE

#: Block nesting (markdown-it token levels) parsed as structure; deeper content is kept as
#: plain text with a warning, so that every writer walking the model stays far below Python's
#: recursion limit.  One list level is two token levels.
MAX_NESTING = 20

#: Emphasis inside emphasis kept as structure; deeper wrappers are flattened into their text.
MAX_INLINE_DEPTH = 20

#: The PDF fetches no local file larger than this: a report's images and styles are small.
MAX_RESOURCE_BYTES = 32 * MEGABYTE

#: Wire text: the default wrap width, and the narrowest and widest a user may ask for.
TEXT_WIDTH = 69
MIN_TEXT_WIDTH = 20
MAX_TEXT_WIDTH = 200

#: The email's plain-text part wraps a little wider than the wire, as mail clients do.
EMAIL_TEXT_WIDTH = 72

#: The email's size budget in kB of 1000 bytes: a warning above the first; Gmail clips a
#: message from about the second on.
EMAIL_SIZE_WARNING_KB = 90
EMAIL_SIZE_LIMIT_KB = 102

#: The inbox preview (preheader, from the summary) reads well between these many characters.
PREHEADER_MIN = 40
PREHEADER_MAX = 100
#: Inbox previews show up to about this many characters; invisible filler pads the preheader
#: to it, so that the preview stops at the preheader instead of pulling in the body.
PREHEADER_SPAN = 150

#: Key judgements read as a bottom line up front up to this many, each up to this many words.
KEY_JUDGEMENTS_MAX = 5
KEY_JUDGEMENT_MAX_WORDS = 40

#: A briefing's urgency, as in IPTC ninjs: 1 (flash) to 9 (lowest); 5 when the source says none.
URGENCY_RANGE = (1, 9)
DEFAULT_URGENCY = 5
