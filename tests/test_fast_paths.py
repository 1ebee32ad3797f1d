"""What keeps draftgen fast, checked without timing anything (timings live in ``benchmarks/run.py``).

Lazy imports, no jieba when generating, the compiled-template cache and the writer's character classes.
Fresh interpreters are used where ``sys.modules`` matters, since other tests import everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.text import BREAK

REPO = Path(__file__).resolve().parent.parent
SPEC = "date: 2026-01-20\npreset: 通用\npeople:\n  - name: 张明\n  - name: 王丽\n"
HEAVY = ("jinja2", "yaml", "docx", "tqdm", "jieba", "lxml", "questionary")


def _python(code: str, cache: Path) -> str:
    env = {**os.environ, "DRAFTGEN_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                          cwd=REPO).stdout


def _loaded(after: str, cache: Path) -> list[str]:
    code = ("import sys, json\nfrom generator.cli import main\n"
            f"try:\n    main({after!r}.split())\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    return list(json.loads(_python(code, cache).splitlines()[-1]))


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    loaded = _loaded("--help", tmp_path)
    assert not [m for m in HEAVY if m in loaded]


def test_generating_never_loads_jieba(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    loaded = _loaded(f"batch {spec} -o {tmp_path / 'out'} -q", tmp_path / "cache")
    assert "jinja2" in loaded  # it did generate
    assert "jieba" not in loaded
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2


def test_compiled_templates_are_reused_and_give_the_same_drafts(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    cache = tmp_path / "cache"
    outputs = []
    for run in ("cold", "warm"):
        _python(f"from generator.cli import main; main(['batch', {str(spec)!r}, '-o', "
                f"{str(tmp_path / run)!r}, '-q'])", cache)
        outputs.append(sorted((p.name, p.read_bytes()) for p in (tmp_path / run).iterdir()))
    assert outputs[0] == outputs[1]
    assert list(cache.glob("draftgen/templates-*/__jinja2_*.cache"))


def test_an_unusable_cache_folder_only_costs_time(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")  # works as root too, unlike a read-only folder
    _python(f"from generator.cli import main; raise SystemExit(main(['batch', {str(spec)!r}, '-o', "
            f"{str(tmp_path / 'out')!r}, '-q']))", blocked)
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2


def test_writer_character_classes_are_the_xml_invalid_set() -> None:
    """Spelled as the excluded characters for speed; must equal 'not XML 1.0 Char, or BREAK'."""
    from generator.ooxml.writer import _INVALID_RE, _SPECIAL_RE

    def xml_char(c: int) -> bool:
        return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or 0x10000 <= c <= 0x10FFFF

    everything = "".join(map(chr, range(0x110000)))
    invalid = [m.start() for m in _INVALID_RE.finditer(everything)]
    assert invalid == [c for c in range(0x110000) if not xml_char(c) or chr(c) == BREAK]
    special = [m.start() for m in _SPECIAL_RE.finditer(everything)]
    assert special == sorted({*invalid, 0x9, 0xA, 0xD})


def test_the_sandbox_shortcut_still_refuses_private_attributes_of_our_data() -> None:
    from jinja2.exceptions import SecurityError

    from generator.bank import load_bank
    from generator.compose import compose
    from generator.render import environment
    from generator.spec import spec_from_text

    draft = next(compose(spec_from_text(SPEC), load_bank()))
    env = environment()
    assert env.from_string("{{ d.person.name }}").render(d=draft) == "张明"
    for expression in ("d.__class__", "d.spec.__dataclass_fields__", "d.__dict__", "d.person.__init__.__globals__"):
        with pytest.raises(SecurityError):
            env.from_string(f"{{{{ {expression} }}}}").render(d=draft)


def test_compiled_bank_equals_the_yaml_and_survives_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.bank import load_bank

    monkeypatch.setenv("DRAFTGEN_CACHE_DIR", str(tmp_path))
    parsed = load_bank(use_cache=False)
    first = load_bank()  # compiles and writes the cache
    (cached,) = list((tmp_path / "draftgen").glob("bank-*.marshal"))
    assert load_bank().entries == first.entries == parsed.entries
    cached.write_bytes(b"\x00not marshal")
    assert load_bank().entries == parsed.entries  # compiled again
    assert load_bank().digest == parsed.digest


def test_cached_yaml_equals_the_parse_and_follows_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.errors import InputError
    from generator.yamlio import load_yaml

    monkeypatch.setenv("DRAFTGEN_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules.yaml"
    rules.write_text("rank:\n  cadre: [科长, 主任]\nnote: 第一版\n", encoding="utf-8")
    parsed = load_yaml(rules)
    first = load_yaml(rules, cached=True)  # parses and keeps a copy
    (copy,) = list((tmp_path / "cache" / "draftgen").glob("yaml-*.marshal"))
    again = load_yaml(rules, cached=True)  # from the copy
    assert again.data == first.data == parsed.data == {"rank": {"cadre": ["科长", "主任"]}, "note": "第一版"}
    assert again.where(("note",)) == parsed.where(("note",))  # positions kept for messages
    rules.write_text("rank:\n  cadre: [科长]\nnote: 第二版\n", encoding="utf-8")
    assert load_yaml(rules, cached=True).data == {"rank": {"cadre": ["科长"]}, "note": "第二版"}  # never stale
    copy.write_bytes(b"\x00not marshal")
    rules.write_text("rank:\n  cadre: [科长, 主任]\nnote: 第一版\n", encoding="utf-8")
    assert load_yaml(rules, cached=True).data == parsed.data  # a damaged copy is parsed again
    rules.write_text("rank: [\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_yaml(rules, cached=True)  # bad input still fails the same way
