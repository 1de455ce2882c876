"""Reuse and memory: expensive objects are built once per process; documents leave nothing behind.

These count constructions and live objects; they never time anything (the benchmark does).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import batchprobe
import weasyprint
import weasyprint.text.fonts as fonts
from conftest import RICH, SEED

from briefexport import writers
from briefexport.api import ExportOptions, export_one
from briefexport.commands import batch
from briefexport.model import Briefing
from briefexport.render import templating
from briefexport.source import markdown
from briefexport.writers.pdf.report import PdfWriter

TEMPLATES = ("pdf/report.html.j2", "email/briefing.mjml.j2", "text/briefing.txt.j2")


def small(folder, n):
    path = folder / f"doc{n}.md"
    path.write_text(f"# Document {n}\n\nText with a [link](https://example.org/{n}).\n\n"
                    "- one\n- two\n\n[Client Portal >>](https://portal.example/)\n",
                    encoding="utf-8")
    return path


def test_one_process_builds_fonts_stylesheets_environment_and_parser_once(
        tmp_path, settings, monkeypatch):
    counts: Counter[str] = Counter()

    class CountingFontConfiguration(fonts.FontConfiguration):
        def __init__(self, *args, **kwargs):
            counts["FontConfiguration"] += 1
            super().__init__(*args, **kwargs)

    class CountingCSS(weasyprint.CSS):
        def __init__(self, *args, **kwargs):
            counts["CSS"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(fonts, "FontConfiguration", CountingFontConfiguration)
    monkeypatch.setattr(weasyprint, "CSS", CountingCSS)
    monkeypatch.setattr(writers.base, "_instances", {})  # a fresh process, as far as writers go
    templating.environment.cache_clear()
    markdown.parser.cache_clear()

    options = ExportOptions(out_dir=tmp_path / "out")
    assert export_one(SEED, settings, options).ok
    after_first = dict(counts)
    env = templating.environment(tuple(settings.themes))
    compiled = {name: env.get_template(name) for name in TEMPLATES}
    for source in (RICH, small(tmp_path, 1), small(tmp_path, 2)):
        assert export_one(source, settings, options).ok

    assert counts["FontConfiguration"] == 1
    assert counts["CSS"] >= 1  # the report stylesheet, at least: the counter does count
    assert counts == after_first  # three more documents, nothing built again
    assert templating.environment.cache_info().misses == 1
    assert markdown.parser.cache_info().misses == 1
    assert all(env.get_template(name) is compiled[name] for name in TEMPLATES)


def test_each_pool_worker_builds_them_once(tmp_path, settings):
    sources = [small(tmp_path, n) for n in range(6)]
    options = ExportOptions(out_dir=tmp_path / "out")
    tasks = batch.plan(sources, options.out_dir)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(batch.START_METHOD),
                             initializer=batchprobe.init, initargs=(settings, options)) as pool:
        reports = list(pool.map(batchprobe.task, tasks))
    assert all(ok for _, ok, _ in reports)
    per_worker: dict[int, list[dict[str, int]]] = {}
    for pid, _, counts in reports:
        per_worker.setdefault(pid, []).append(counts)
    assert max(len(v) for v in per_worker.values()) >= 2  # some worker did several documents
    for history in per_worker.values():
        assert history[-1] == history[0]  # later documents built nothing new
        assert history[-1]["FontConfiguration"] == 1
        assert history[-1]["CSS"] >= 1
        assert history[-1]["jinja_environments"] == 1
        assert history[-1]["markdown_parsers"] == 1
    assert all((tmp_path / "out" / f"doc{n}.pdf").exists() for n in range(6))


def test_no_document_state_outlives_its_export(tmp_path, settings):
    options = ExportOptions(out_dir=tmp_path / "out")
    writer = writers.get_format("pdf").briefing()
    assert isinstance(writer, PdfWriter)
    assert PdfWriter.stylesheet.cache_info().maxsize is not None  # bounded

    def sizes() -> tuple[int, ...]:
        env = templating.environment(tuple(settings.themes))
        return (len(env.cache or {}), PdfWriter.stylesheet.cache_info().currsize,
                templating.environment.cache_info().currsize,
                markdown.parser.cache_info().currsize, len(writers.base._instances))

    sources = [small(tmp_path, n) for n in range(8)]
    tasks = batch.plan(sources, options.out_dir)
    results = list(batch.run(tasks[:2], settings, options))
    before = sizes()
    results += list(batch.run(tasks[2:], settings, options))
    assert all(r.ok for r in results)
    assert sizes() == before  # six more documents, no cache grew

    gc.collect()
    alive = [o for o in gc.get_objects()
             if isinstance(o, weasyprint.Document)
             or (isinstance(o, Briefing | weasyprint.HTML)
                 and str(tmp_path) in str(getattr(o, "source", "") or o.base_url))]
    assert alive == []
    # The check can see a live document when one is kept.
    kept = weasyprint.HTML(string="<p>x</p>", base_url=tmp_path.as_uri())
    gc.collect()
    assert any(o is kept for o in gc.get_objects() if isinstance(o, weasyprint.HTML))
