"""The package's shape: no import cycles, nothing imports upward, no private names read across
modules, one table of formats, each choice list defined once.

These read the source with :mod:`ast` (every import, those inside functions included), so a
lazy import cannot hide a cycle or an upward dependency.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from briefexport import writers
from briefexport.choices import (
    EMAIL_MODES,
    ESP_PROFILES,
    LINK_URL_MODES,
    PDF_VARIANTS,
    REPORT_FORMATS,
    TEXT_REFERENCES,
)
from briefexport.cli import main
from briefexport.config import SECTIONS, EditionSettings, EmailSettings, PdfSettings, choices_of

#: The source tree, not the installed copy: the test judges the code as it is written.
PACKAGE = Path(__file__).resolve().parent.parent / "src" / "briefexport"
#: A string naming a module of the package (``"briefexport.writers.pdf.report:PdfWriter"``,
#: ``importlib.import_module("briefexport.x")``) is an import too, made later.
_MODULE_STRING = re.compile(r"(briefexport(?:\.\w+)+)(?::\w+)?")

#: Layers, lowest first: a module may import its own top-level package or a lower layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("record",),
    ("errors", "limits", "choices", "names", "about", "colour"),
    ("model",),
    ("config",),
    ("source", "render"),
    ("writers",),
    ("pipeline",),
    ("commands",),
    ("api",),
    ("cli",),
    ("__init__", "__main__"),
)
LAYER = {name: n for n, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def top(module: str) -> str:
    """``briefexport.writers.pdf.report`` → ``writers``; the package itself → ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(module: str) -> Iterator[tuple[str, ast.AST, list[str]]]:
    """(imported briefexport module, node, names imported from it) for every import."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("briefexport"):
                    yield alias.name, node, []
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            if not base.startswith("briefexport"):
                continue
            names = [a.name for a in node.names]
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
            yield from ((s, node, []) for s in submodules)
            rest = [n for n in names if f"{base}.{n}" not in MODULES]
            if rest or not submodules:
                yield base, node, rest
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            named = _MODULE_STRING.fullmatch(node.value)
            if named and named[1] in MODULES:
                yield named[1], node, []


GRAPH: dict[str, set[str]] = {m: {target for target, _, _ in imports(m) if target != m}
                              for m in MODULES}


def test_every_import_names_a_module_of_the_package():
    for module, targets in GRAPH.items():
        unknown = targets - set(MODULES)
        assert not unknown, f"{module} imports {unknown}, which do not exist"


def test_no_import_cycles():
    # Tarjan's strongly connected components: any component of two or more is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in MODULES:
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_cycle_check_can_fail(monkeypatch):
    monkeypatch.setitem(GRAPH, "briefexport.config", {*GRAPH["briefexport.config"],
                                                      "briefexport.api"})
    with pytest.raises(AssertionError):
        test_no_import_cycles()


def test_nothing_imports_upward():
    upward = []
    for module, targets in GRAPH.items():
        for target in targets:
            here, there = top(module), top(target)
            if here == there and here != "__init__":
                continue  # within one package: writers.pdf may use writers.text
            if LAYER[there] >= LAYER[here]:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_format_table_strings_are_imports_too():
    # The table names its writers as strings; those are edges of the graph all the same.
    assert "briefexport.writers.pdf.report" in GRAPH["briefexport.writers"]
    assert "briefexport.writers.email.eml" in GRAPH["briefexport.writers"]


def test_the_upward_check_can_fail(monkeypatch):
    assert "briefexport.writers" in GRAPH["briefexport.pipeline"]  # lazy imports are seen
    assert "briefexport.commands.batch" in GRAPH["briefexport.api"]
    monkeypatch.setitem(GRAPH, "briefexport.config", {*GRAPH["briefexport.config"],
                                                      "briefexport.writers.email.esp"})
    with pytest.raises(AssertionError, match=r"config -> briefexport\.writers\.email\.esp"):
        test_nothing_imports_upward()


def test_every_module_has_a_layer():
    assert {top(m) for m in MODULES} <= set(LAYER)


def test_no_module_reads_another_modules_private_names():
    found = []
    for module in MODULES:
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        aliases = {}
        for target, node, names in imports(module):
            if target == module:
                continue
            found += [f"{module}: from {target} import {n}" for n in names
                      if n.startswith("_") and not n.startswith("__")]
            if isinstance(node, ast.Import):
                for alias in node.names:
                    aliases[alias.asname or alias.name.split(".")[0]] = target
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if f"{target}" in MODULES and target.endswith(f".{alias.name}"):
                        aliases[alias.asname or alias.name] = target
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                found.append(f"{module}: {node.value.id}.{node.attr}")
    assert found == []


_LOOKUPS = {"get_format", "writer_for", "BY_NAME", "FORMATS", "cast"}


def test_no_writer_looks_another_up_by_name_or_casts_it():
    offenders = []
    for module, path in MODULES.items():
        if not module.startswith("briefexport.writers.") or module.endswith(".base"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            word = (node.id if isinstance(node, ast.Name) else
                    node.attr if isinstance(node, ast.Attribute) else
                    node.value if isinstance(node, ast.Constant) else
                    node.name if isinstance(node, ast.alias) else None)
            if word in _LOOKUPS:
                offenders.append(f"{module}:{getattr(node, 'lineno', '?')}: {word}")
        offenders += [f"{module}: imports the format table" for target in GRAPH[module]
                      if target == "briefexport.writers"]
    assert offenders == []


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def test_no_union_with_any():
    # ``Briefing | Any`` hid that an edition was not a document type; no union may use Any.
    found = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr) and any(
                    isinstance(side, ast.Name) and side.id == "Any"
                    for side in (node.left, node.right)):
                found.append(f"{module}:{node.lineno}")
    assert found == []


def test_every_type_ignore_says_why():
    for module, path in MODULES.items():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "type: ignore" in line:
                assert re.search(r"type: ignore\[[\w-]+\]\s+#\s*\S", line), f"{module}:{n}"


# --------------------------------------------------------------------------- the format table


def test_one_table_of_formats():
    names = [f.name for f in writers.FORMATS]
    assert names == writers.formats() == list(writers.BY_NAME)
    assert len(set(names)) == len(names)
    assert len({f.extension for f in writers.FORMATS}) == len(names)
    assert set(writers.DEFAULT_FORMATS) <= set(names)
    assert writers.EDITION_FORMATS == ("pdf", "html", "txt", "json")


def test_an_edition_writer_is_found_like_a_briefing_writer(settings):
    from conftest import EXAMPLES

    from briefexport.source.briefing import read
    from briefexport.source.edition import read_edition

    edition = read_edition(EXAMPLES / "editions" / "sahel-weekly-12.toml", settings)
    briefing = read(EXAMPLES / "mali-second-coup.txt", settings)
    for fmt in writers.FORMATS:
        assert fmt.writer(briefing) is fmt.briefing() is writers.writer_for(fmt.name, briefing)
        if fmt.edition_writer is None:
            with pytest.raises(ValueError, match="not available for editions"):
                fmt.writer(edition)
        else:
            assert fmt.writer(edition) is fmt.edition()
            assert type(fmt.edition()) is not type(fmt.briefing())


# --------------------------------------------------------------------------- each fact once


def options_of(*path: str) -> dict[str, click.Parameter]:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)  # imports its module
        assert found is not None, name
        command = found
    return {p.name or "": p for p in command.params}


def choices(param: click.Parameter) -> tuple[str, ...]:
    assert isinstance(param.type, click.Choice)
    return tuple(param.type.choices)


def test_click_choices_are_the_settings_choices():
    export, edition = options_of("export"), options_of("edition")
    assert choices(export["esp"]) == choices(edition["esp"]) == tuple(ESP_PROFILES)
    assert choices_of(EmailSettings, "esp") == tuple(ESP_PROFILES)
    assert choices(export["pdf_variant"]) == choices_of(PdfSettings, "variant") == PDF_VARIANTS
    assert choices(edition["email_mode"]) == choices_of(EditionSettings, "email_mode")
    assert choices_of(EditionSettings, "email_mode") == EMAIL_MODES
    assert choices_of(EditionSettings, "text_references") == TEXT_REFERENCES
    assert choices_of(PdfSettings, "link_urls") == LINK_URL_MODES
    assert choices(options_of("check")["output_format"]) == REPORT_FORMATS
    assert choices(options_of("theme", "copy")["fmt"]) == writers.TEMPLATE_FOLDERS


def test_settings_refuse_a_word_off_their_list_however_they_are_built():
    for cls, name in ((EmailSettings, "esp"), (PdfSettings, "variant"),
                      (PdfSettings, "link_urls"), (EditionSettings, "email_mode"),
                      (EditionSettings, "text_references")):
        with pytest.raises(ValueError, match=f"'{cls.table}.{name}' must be one of"):
            cls(**{name: "no-such-word"})


def test_every_settings_table_is_read_from_the_config():
    assert set(SECTIONS) == {"brand", "portal", "pdf", "email", "text", "theme", "edition",
                             "risk", "contact", "wire", "tiers", "copies", "batch"}


def test_limits_are_not_written_again_as_literals():
    # The distinctive numbers of briefexport.limits (the email budget, the wrap widths, the
    # source size) appear nowhere else in the package's code, in bytes or in kB.
    from briefexport import limits

    # (90 and 200 are left out: a JPEG quality and an HTTP status share them.)
    values = {limits.EMAIL_SIZE_LIMIT_KB, limits.TEXT_WIDTH, limits.EMAIL_TEXT_WIDTH,
              limits.MAX_SOURCE_BYTES, limits.MEGABYTE, limits.EMAIL_SIZE_LIMIT_KB * 1000,
              limits.EMAIL_SIZE_WARNING_KB * 1000}
    for module, path in MODULES.items():
        if module == "briefexport.limits":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                    and type(n.value) is int}
        assert not literals & values, f"{module} writes {literals & values} again"
