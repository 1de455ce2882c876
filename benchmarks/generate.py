"""Generate realistic briefing sources for the benchmark (deterministic: seeded).

Each briefing has YAML front matter, a lead, headings, paragraphs with inline links, a bullet
list, now and then a numbered list and a quote, and a call to action to the client portal.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

COUNTRIES = ["MALI", "BURKINA FASO", "NIGER", "CHAD", "SUDAN", "DR CONGO", "NIGERIA",
             "CAMEROON", "ETHIOPIA", "MOZAMBIQUE", "LIBYA", "SOMALIA"]
ACTORS = ["the junta", "the transitional council", "JNIM", "Islamic State Sahel Province",
          "the armed forces", "Wagner-linked contractors", "the presidential guard",
          "opposition parties", "trade unions", "regional mediators", "ECOWAS", "the AU"]
VERBS = ["consolidated", "announced", "suspended", "expanded", "contested", "blocked",
         "negotiated", "postponed", "reinforced", "withdrew from", "targeted", "secured"]
OBJECTS = ["the fuel supply routes", "the electoral calendar", "mining concessions",
           "the northern garrisons", "the capital's ring road", "cross-border trade",
           "humanitarian access", "the central bank's reserves", "telecom licences",
           "the gold export corridor", "checkpoints on the national highway",
           "the transition charter"]
QUALIFIERS = ["in the coming weeks", "despite international pressure", "with little warning",
              "according to local sources", "for the third time this year",
              "amid rising prices", "after talks collapsed", "in a televised address",
              "as the rainy season begins", "while donors reassess their programmes"]
OUTLOOK = ["Expect further disruption to road freight.", "Travel should be kept to essential "
           "trips.", "Business continuity plans should assume longer outages.",
           "The risk of unrest in urban centres is elevated.", "A negotiated exit remains "
           "unlikely before the end of the year.", "Monitoring of staff movements is advised."]
HEADINGS = ["Background", "What happened", "Security outlook", "Political outlook",
            "Implications for business", "Travel advice", "Regional spill-over",
            "Economic impact", "Scenarios", "Indicators to watch"]


def sentence(rng: random.Random, links: bool = True) -> str:
    actor = rng.choice(ACTORS)
    obj = rng.choice(OBJECTS)
    if links and rng.random() < 0.18:
        slug = obj.replace(" ", "-").replace("'", "")
        obj = f"[{obj}](https://portal.meridian-risk.example/topics/{slug})"
    text = f"{actor} {rng.choice(VERBS)} {obj} {rng.choice(QUALIFIERS)}"
    if rng.random() < 0.1:
        text += f", *{rng.choice(QUALIFIERS)}*"
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, n: int) -> str:
    return " ".join(sentence(rng) for _ in range(n))


def briefing(rng: random.Random, words: int, index: int) -> str:
    country = rng.choice(COUNTRIES)
    date = dt.date(2026, 1, 1) + dt.timedelta(days=index % 330)
    title = sentence(rng, links=False).rstrip(".")
    front = "\n".join([
        "---",
        f"title: \"{title}\"",
        f"slug: {country}",
        f"date: {date.isoformat()}",
        "author: Sahel Desk",
        "region: West Africa",
        f"tags: [{country.title()}, Security, Politics]",
        f"reference: BX-{date.year}-{index:05d}",
        "---",
        "",
        "",
    ])
    parts: list[str] = [paragraph(rng, 3)]
    count = sum(len(p.split()) for p in parts)
    headings = HEADINGS[:]
    rng.shuffle(headings)
    section = 0
    while count < words:
        heading = headings[section % len(headings)]
        if section >= len(headings):
            heading += f" ({section // len(headings) + 1})"
        parts.append(f"## {heading}")
        section += 1
        for _ in range(rng.randint(2, 4)):
            parts.append(paragraph(rng, rng.randint(3, 6)))
        roll = rng.random()
        if roll < 0.5:
            parts.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))))
        elif roll < 0.7:
            parts.append("\n".join(f"{i}. {rng.choice(OUTLOOK)}"
                                   for i in range(1, rng.randint(3, 5))))
        elif roll < 0.8:
            parts.append("> " + sentence(rng, links=False))
        count = sum(len(p.split()) for p in parts)
    parts.append(rng.choice(OUTLOOK))
    parts.append(f"[Read the full assessment on the Client Portal >>]"
                 f"(https://portal.meridian-risk.example/briefings/{index})")
    return front + "\n\n".join(parts) + "\n"


def generate(folder: Path) -> dict[str, object]:
    """Write every input the benchmark needs under ``folder``; return their paths."""
    rng = random.Random(20261127)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for words in (500, 3000, 20000):
        path = folder / f"size-{words}.md"
        path.write_text(briefing(rng, words, words), encoding="utf-8")
        sizes[words] = path
    batch = folder / "batch"
    batch.mkdir(exist_ok=True)
    for i in range(200):
        (batch / f"briefing-{i:03d}.md").write_text(
            briefing(rng, rng.randint(300, 600), i), encoding="utf-8")
    long_batch = folder / "long-batch"
    long_batch.mkdir(exist_ok=True)
    for i in range(500):
        (long_batch / f"briefing-{i:03d}.md").write_text(
            briefing(rng, rng.randint(150, 400), 1000 + i), encoding="utf-8")
    return {"sizes": sizes, "batch": batch, "long_batch": long_batch}


if __name__ == "__main__":
    import sys

    print(generate(Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/work")))
