"""Shell completion through click's ``_BRIEFEXPORT_COMPLETE``, with the installed script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefexport.writers import formats

BIN = Path(sys.executable).parent


def script() -> str:
    path = shutil.which("briefexport", path=str(BIN))
    assert path, "the briefexport console script is not installed beside this Python"
    return path


def complete(mode: str, **env: str) -> str:
    proc = subprocess.run([script()], env={**os.environ, "_BRIEFEXPORT_COMPLETE": mode, **env},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "complete -o nosort -F _briefexport_completion briefexport"),
    ("zsh", "compdef _briefexport_completion briefexport"),
    ("fish", "complete --no-files --command briefexport"),
])
def test_completion_script_is_produced(shell, marker):
    assert marker in complete(f"{shell}_source")


def test_bash_completes_commands_in_a_real_bash():
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    program = (
        'source <(_BRIEFEXPORT_COMPLETE=bash_source briefexport)\n'
        'COMP_WORDS=(briefexport pre); COMP_CWORD=1\n'
        '_briefexport_completion briefexport; printf "%s\\n" "${COMPREPLY[@]}"\n'
        'COMPREPLY=(); COMP_WORDS=(briefexport theme ""); COMP_CWORD=2\n'
        '_briefexport_completion briefexport; printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run([bash, "-c", program], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["preview", "copy"]


def test_format_lists_complete_after_a_comma():
    out = complete("zsh_complete", COMP_WORDS="briefexport export a.md -f pdf,", COMP_CWORD="4")
    values = out.splitlines()[1::3]  # zsh protocol: type, value, help for each item
    assert values == [f"pdf,{name}" for name in formats() if name != "pdf"]
    assert "pdf,html" in values
    # fish passes the word being completed itself as COMP_CWORD.
    out = complete("fish_complete", COMP_WORDS="briefexport theme copy --format e",
                   COMP_CWORD="e")
    assert out.splitlines() == ["plain,email"]
