"""The committee's own voice (支部班子对照检查材料): enough entries for every preset and setting, and a village or
workshop committee's material that does not read like a 机关 office's.

A committee outside an office (村党支部, 车间党支部, 学校, 医院, 离退休党支部) used to get office wording or
placeholders: the bank held no committee-voice entry for 纪律规矩 and 能力本领, and only office-flavoured ones
elsewhere.
phrasebank/curated/branch-voice.yaml adds them; these tests keep the floor.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest
from conftest import REPO

from generator import register
from generator.bank import Bank, load_bank
from generator.compose import compose
from generator.doctree import Heading, Paragraph
from generator.plan import fits_member, fits_voice, voice_rules, wording_data
from generator.render import render_document
from generator.roles import Standing
from generator.spec import spec_from_text
from generator.taxonomy import presets
from generator.yamlio import load_yaml

KINDS = ("problem", "cause", "measure")
# The settings the committee-voice entries were written for, and 机关 (office) as the baseline.
SETTINGS = ("office", "rural", "enterprise", "school", "health", "retired")
FLOOR = 3  # problems, causes and measures a committee of each setting may draw on, per dimension
# The branch committee's default preset: its dimensions also get entries written for each setting.
BRANCH_PRESET = "支部班子六个方面"
OWN_FLOOR = {"problem": 3, "cause": 2, "measure": 3}
OUTSIDE = ("rural", "enterprise", "school", "health", "retired")


@cache
def _bank() -> Bank:
    return load_bank()


def _fitting(dimension: str, setting: str) -> dict[str, list[str]]:
    """Entries of ``dimension`` a committee of ``setting`` may say in its collective material, by kind."""
    bank = _bank()
    excluded, allowed = voice_rules(wording_data(), "collective")
    who = Standing("cadre", setting)  # a committee speaks with a cadre's rank (plan.planner.standing_of)
    found: dict[str, list[str]] = {k: [] for k in KINDS}
    for kind in KINDS:
        for p in bank.select(kind, dimension):
            if fits_voice(p, excluded, allowed, bank) and fits_member(p, who, bank.judgement(p)):
                found[kind].append(p.id)
    return found


def _written_for(phrase_id: str, setting: str) -> bool:
    phrase = _bank().get(phrase_id)
    return phrase is not None and phrase.voice == "branch" and setting in phrase.settings


def _preset_dimensions() -> list[str]:
    dims = {d for preset in presets().values() for area in preset.areas for d in area.dimensions}
    return sorted(dims)


@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("dimension", _preset_dimensions())
def test_every_preset_dimension_has_committee_entries_for_the_setting(dimension: str, setting: str) -> None:
    counts = Counter({k: len(v) for k, v in _fitting(dimension, setting).items()})
    assert all(counts[k] >= FLOOR for k in KINDS), (dimension, setting, dict(counts))


@pytest.mark.parametrize("setting", OUTSIDE)
def test_the_branch_preset_has_entries_written_for_each_setting(setting: str) -> None:
    """Entries tagged for the setting, in the committee's voice, for each dimension of the branch preset."""
    for dimension in sorted({d for a in presets()[BRANCH_PRESET].areas for d in a.dimensions}):
        fitting = _fitting(dimension, setting)
        own = {k: [i for i in ids if _written_for(i, setting)] for k, ids in fitting.items()}
        for kind, floor in OWN_FLOOR.items():
            assert len(own[kind]) >= floor, (dimension, setting, kind, own[kind])


def test_committee_voice_chains_close_within_the_file() -> None:
    """Each committee-voice problem written here has a cause and a measure that answer it, in its own setting."""
    data = load_yaml(REPO / "phrasebank" / "curated" / "branch-voice.yaml").data
    entries = {e["id"]: e for e in data["add"]}
    for entry in entries.values():
        assert entry["voice"] == "branch" and entry["id"].startswith("bv-"), entry["id"]
        for answered in entry.get("answers") or []:
            problem = entries[answered]
            assert problem["kind"] == "problem" and problem["dimension"] == entry["dimension"], entry["id"]
            assert set(problem.get("settings") or []) == set(entry.get("settings") or []), entry["id"]
    for pid, entry in entries.items():
        if entry["kind"] == "problem":
            for kind in ("cause", "measure"):
                assert any(pid in (e.get("answers") or []) for e in entries.values() if e["kind"] == kind), (pid, kind)


# --------------------------------------------------------------------------- a village and a workshop committee


def _office_words() -> re.Pattern[str]:
    """roles.yaml's words for a 机关 post, read as text markers.  办公室 (a village or a clinic has one too) and
    法规 (党内法规) name no office work, so they are left out."""
    words = load_yaml(REPO / "templates" / "rules" / "roles.yaml").data["setting"]["office"]
    return re.compile("|".join(w for w in words if w not in ("办公室", "法规")))


def _collective_text(setting: str, unit: str, seed: int) -> str:
    spec = spec_from_text(
        "template: collective\nmeeting: 2025年度专题组织生活会\n"
        f"unit: {unit}\nsetting: {setting}\ndate: 2026-01-20\npreset: {BRANCH_PRESET}\nproblems_per_area: 2\n"
        f"seed: {seed}\npeople:\n  - {{name: 张明, role: 支部书记}}\n  - {{name: 王丽, role: 组织委员}}\n")
    draft = next(compose(spec, _bank()))
    doc = render_document(spec.doctype.template, {"d": draft})
    return "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph | Heading))


@pytest.mark.parametrize(("setting", "unit"), [("rural", "红旗村党支部"), ("enterprise", "机加工车间党支部")])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_village_or_workshop_committee_writes_no_office_words(setting: str, unit: str, seed: int) -> None:
    text = _collective_text(setting, unit, seed)
    assert "支部班子" in text or "支委会" in text  # the committee's voice, so the draft was written
    office = [text[m.start:m.end] for m in register.markers(text, "setting") if m.rule == "office"]
    office += _office_words().findall(text.replace("党内法规", ""))
    assert not office, office
    assert register.first(text, "organisation") is None
