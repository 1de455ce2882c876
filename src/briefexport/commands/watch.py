"""Re-export on save: which files matter, and the loop that watches them.

The folders holding the sources and the config are watched rather than the files themselves:
editors save by writing a new file and renaming it over the old one, which a watch on the old
file would miss.  Events on other files in those folders (outputs, swap files) are ignored.
Shared by ``watch`` (writes files) and ``preview`` (renders in memory).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefexport.config import Settings
from briefexport.errors import BriefexportError
from briefexport.pipeline import ExportOptions, ExportResult, export_one
from briefexport.record import record
from briefexport.render.templating import reload_templates

#: Milliseconds without a new event before a batch of changes is acted on.
STEP_MS = 50
#: Milliseconds of quiet after which the watcher reports that it is in place (once).
IDLE_MS = 100


@dataclass
class Changed:
    """What a batch of file events means for the outputs."""

    sources: set[Path] = field(default_factory=set)
    config: bool = False
    theme: bool = False

    def __bool__(self) -> bool:
        return bool(self.sources or self.config or self.theme)


@record
class Watched:
    """The files whose change triggers a rebuild."""

    sources: tuple[Path, ...]
    config: Path | None = None
    themes: tuple[Path, ...] = ()

    @classmethod
    def of(cls, sources: Iterable[Path], config: Path | None,
           themes: Iterable[Path] = ()) -> Watched:
        return cls(tuple(Path(s).resolve() for s in sources),
                   Path(config).resolve() if config else None,
                   tuple(Path(t).resolve() for t in themes))

    def roots(self) -> list[Path]:
        """The folders to watch (recursively), none inside another."""
        folders = {s.parent for s in self.sources} | set(self.themes)
        if self.config:
            folders.add(self.config.parent)
        folders = {f for f in folders if f.is_dir()}
        return sorted(f for f in folders
                      if not any(f != g and f.is_relative_to(g) for g in folders))

    def classify(self, paths: Iterable[str | Path]) -> Changed:
        """Sort changed paths into sources, config and theme; ignore the rest."""
        changed = Changed()
        for raw in paths:
            path = Path(raw)
            if path in self.sources:
                changed.sources.add(path)
            elif self.config is not None and path == self.config:
                changed.config = True
            elif any(path.is_relative_to(t) for t in self.themes) and not _scratch(path):
                changed.theme = True
        return changed


def _scratch(path: Path) -> bool:
    """Editor swap and backup files, which say nothing about the saved content."""
    name = path.name
    return name.startswith((".#", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def changes(watched: Watched, stop: threading.Event | None = None) -> Iterator[Changed]:
    """Yield each batch of relevant changes until ``stop`` is set (or Ctrl-C).

    The first item is yielded as soon as the folders are being watched, and may be empty:
    anything saved after it is seen.  Later items are never empty.
    """
    import watchfiles  # only the long-running commands need it

    roots = watched.roots()
    if not roots:
        return
    first = True
    # yield_on_timeout: an empty batch after IDLE_MS tells that the watch is in place.
    for batch in watchfiles.watch(*roots, stop_event=stop, step=STEP_MS,
                                  rust_timeout=IDLE_MS, yield_on_timeout=True,
                                  raise_interrupt=True):
        changed = watched.classify(path for _, path in batch)
        if changed or first:
            first = False
            yield changed


@dataclass
class Watcher:
    """Rebuilds whenever a source, the config or a theme file changes.

    ``load`` builds the settings (the ``config`` file plus command-line overrides);
    ``build(settings, sources)`` does the work for the sources that changed; ``error`` is told
    each config problem (the previous settings stay in force until the config is fixed);
    ``ready`` each time the watch is (again) in place.
    """

    sources: Sequence[Path]
    config: Path | None
    load: Callable[[], Settings]
    build: Callable[[Settings, Sequence[Path]], None]
    error: Callable[[str], None]
    ready: Callable[[Watched], None] = lambda watched: None
    settings: Settings | None = None

    def reload(self) -> None:
        """Read the config again; on error report it and keep the previous settings."""
        try:
            self.settings = self.load()
        except BriefexportError as exc:
            self.error(str(exc))
        # Templates are compiled once per process for speed; a theme edit must be seen.
        reload_templates()

    def rebuild(self, sources: Sequence[Path], stop: threading.Event | None = None) -> None:
        """Build each source in turn; once ``stop`` is set, start no other."""
        for source in sources:
            if self.settings is None or (stop is not None and stop.is_set()):
                return
            self.build(self.settings, [source])

    def watched(self) -> Watched:
        # The config is watched even while it is broken, so that fixing it is noticed.
        themes = self.settings.themes if self.settings else ()
        return Watched.of(self.sources, self.config, themes)

    def run(self, stop: threading.Event | None = None) -> None:
        """Build everything once, then again on every change, until ``stop`` or Ctrl-C."""
        self.reload()
        built = False
        while stop is None or not stop.is_set():
            watched = self.watched()
            first = True
            for changed in changes(watched, stop):
                if first:
                    first = False
                    self.ready(watched)
                    if not built:
                        # Only now that the watch is in place: a save during this first
                        # build is then seen, not lost.
                        self.rebuild(self.sources, stop)
                        built = True
                        continue
                if changed.config or changed.theme:
                    self.reload()
                    self.rebuild(self.sources, stop)
                    if self.watched() != watched:
                        break  # a new [theme] dir: watch the new folders
                elif changed:
                    self.rebuild([s for s in self.sources
                                  if Path(s).resolve() in changed.sources], stop)
            else:
                return


def export_builder(options: ExportOptions, report: Callable[[ExportResult], object]
                   ) -> Callable[[Settings, Sequence[Path]], None]:
    """A ``build`` for :class:`Watcher` that exports to files, like ``export``."""
    def build(settings: Settings, sources: Sequence[Path]) -> None:
        for source in sources:
            report(export_one(source, settings, options))
    return build
