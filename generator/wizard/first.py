"""The first prompt, drawn before the question model is imported.

Importing prompt_toolkit alone takes about 0.18 s of the 0.3 s a first prompt may
take; the question model (its text normaliser compiles large character classes)
and PyYAML would add another 0.1 s.  So the first question is shown from a small
JSON snapshot of what it displays (prompt, help, choices, default), kept in the
cache folder and rebuilt from the model whenever ``questions.yaml`` or
``doctypes.yaml`` change; the rest of the model loads in the background while the
member reads it.  The answer is still parsed by the model's ``Question.parse``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from generator.fsio import home
from generator.wizard.prompts import Option, Prompter

KEY = "template"
VERSION = 1


def _cache_file() -> Path | None:
    # The folder of generator.fsio.cache_dir, which is not imported here because it is not needed yet.
    base = os.environ.get("DRAFTGEN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "draftgen" / "wizard-first.json"
    root = home()  # None in cron or a container without a passwd entry: no snapshot is kept
    return root / ".cache" / "draftgen" / "wizard-first.json" if root is not None else None


def _stamp() -> list[Any]:
    """Identifies the data the snapshot was made from: version, and size and time of each source file."""
    from generator import __version__
    from generator.resources import templates_dir

    files = [templates_dir() / "questions.yaml", templates_dir() / "doctypes.yaml"]
    return [VERSION, __version__, *([f.name, f.stat().st_mtime_ns, f.stat().st_size] for f in files)]


def make_snapshot() -> dict[str, Any]:
    """What the first prompt shows, from the question model (the slow path, taken once per change)."""
    from generator.questions import Context, question
    from generator.wizard.ask import choice_title

    q, ctx = question(KEY), Context()
    return {"stamp": _stamp(), "prompt": q.prompt, "help": q.help, "default": q.default_value(ctx, {}),
            "options": [[c.value, choice_title(c)] for c in q.choice_list(ctx)]}


def snapshot() -> dict[str, Any]:
    """The cached snapshot when it matches the data, else a fresh one (saved for next time, best effort)."""
    path = _cache_file()
    if path is None:
        return make_snapshot()
    try:
        data: dict[str, Any] = json.loads(path.read_bytes())
        if data.get("stamp") == json.loads(json.dumps(_stamp())):
            return data
    except (OSError, ValueError):
        pass
    data = make_snapshot()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return data


def ask_first(p: Prompter, current: str | None) -> str:
    """Ask the first question; returns the raw choice, to be parsed by the model."""
    snap = snapshot()
    if snap["help"]:
        p.say(f"  {snap['help']}", "class:help")
    options = [Option(value, title) for value, title in snap["options"]]
    choice: str = p.select(snap["prompt"], options, default=current or snap["default"])
    return choice


def warm_up(preset_dirs: tuple[Path, ...]) -> None:
    """Load what the next questions need (the model, the spec loader, presets), not the bank."""
    try:
        from generator.questions import questions
        from generator.spec import build_spec  # noqa: F401  (imports the taxonomy and YAML loader)
        from generator.taxonomy import doctypes, presets

        questions()
        doctypes()
        presets(preset_dirs)
    except Exception:  # the main thread meets the same problem and reports it properly
        pass
