"""Guards on the shipped print stylesheets."""

from __future__ import annotations

import tinycss2

from briefexport.render.resources import styles_dir

# WeasyPrint 70 leaks a Pango attribute list for every text layout that sets OpenType
# features, so memory grows with every report laid out (measured by `make bench`, e).
LEAKY = {"font-variant-numeric", "font-variant-ligatures", "font-variant-caps",
         "font-variant-position", "font-variant-alternates", "font-variant-east-asian",
         "font-feature-settings", "font-variant", "font-kerning"}


def declarations(rules):
    for rule in rules:
        if rule.type == "qualified-rule" or (rule.type == "at-rule" and rule.content):
            content = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True)
            nested = [r for r in content if r.type in ("qualified-rule", "at-rule")]
            yield from (d for d in content if d.type == "declaration")
            yield from declarations(nested)


def test_no_stylesheet_sets_opentype_features():
    sheets = sorted(styles_dir().glob("*.css"))
    assert sheets
    found = []
    for sheet in sheets:
        rules = tinycss2.parse_stylesheet(sheet.read_text(encoding="utf-8"),
                                          skip_comments=True, skip_whitespace=True)
        names = [d.lower_name for d in declarations(rules)]
        assert "font-family" in names or "size" in names  # the parse really saw declarations
        found += [f"{sheet.name}: {n}" for n in names if n in LEAKY]
    assert found == []
