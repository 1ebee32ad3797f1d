"""Who may say an entry, as the second reader of the example branches found it (issue 12, items B H I K).

B: a member away or retired keeps the branch's setting; 村里/乡亲 reach only village members.
H: words only the rank and file say (``rank_max: member``) never reach a cadre.
I: no curated self/any entry is silently killed by the personal drafts' voice filter.
K: a committee's material prefers entries written for its branch's setting to generic ones.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from generator.bank import Bank, Phrase, load_bank
from generator.compose import Composer
from generator.draft import Draft
from generator.plan.fit import fits_member, fits_voice, off_topic, voice_rules, without_a_job, wording_data
from generator.plan.planner import Planner, post_name
from generator.roles import RANKS, standing
from generator.spec import Spec, spec_from_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
VILLAGE_WORDS = re.compile("村里|乡亲")
# What only the rank and file say of themself: "…是管理人员的事", "…是当干部的人的事", "普通工人".
RANK_AND_FILE = re.compile(r"(管理人员|领导|干部|机关|政府)[^，。；]{0,8}的事|(是|作为)普通工人|只有干部"
                           r"|领导叫干啥|领导安排什么")


@cache
def _bank() -> Bank:
    return load_bank()


@cache
def _branch(name: str) -> tuple[Spec, tuple[Draft, ...]]:
    spec = spec_from_text((EXAMPLES / name).read_text(encoding="utf-8"))
    composer = Composer(spec, _bank())
    return spec, tuple(composer.draft(i) for i in range(len(spec.people)))


def _texts(draft: Draft) -> list[str]:
    return ([p.title + p.text for a in draft.areas for p in a.problems] + [c.title + c.text for c in draft.causes]
            + [m.title + m.text for g in draft.measures for m in g.items])


# ----------------------------------------------------------------- B: more than one setting

def test_away_and_retired_members_keep_the_branch_setting() -> None:
    away = standing("党员", "在外地客户现场驻场安装调试", "enterprise")
    assert (away.setting, away.settings) == ("away", ("away", "enterprise"))
    assert standing("党员", "退休职工", "rural").settings == ("retired", "rural")
    assert standing("党员", "退休职工", "enterprise").settings == ("retired",)  # no longer at the lathe
    assert standing("党员", "数控车工", "office").settings == ("enterprise",)  # only away/retired keep it
    assert standing("党员", "外出务工", "").settings == ("away",)
    assert hash(away) == hash(standing("党员", "在外地客户现场驻场安装调试", "enterprise"))


def test_entries_for_the_branch_setting_fit_a_member_away_and_village_words_need_a_village() -> None:
    away_worker = standing("党员", "外出务工", "enterprise")
    away_farmer = standing("党员", "外出务工", "rural")
    workshop = Phrase("t-1", "problem", "宗旨意识", "在车间{交接班|换班}时对工友的难处过问少。", voice="self",
                      settings=("enterprise",))
    village = Phrase("t-2", "problem", "宗旨意识", "外出以后和村里乡亲联系少了。", voice="self", settings=("away",))
    assert fits_member(workshop, away_worker) and not fits_member(workshop, away_farmer)
    assert fits_member(village, away_farmer) and not fits_member(village, away_worker)


def test_a_workshop_member_working_away_gets_no_village_text() -> None:
    spec, drafts = _branch("branch-workshop.yaml")
    for person, draft in zip(spec.people, drafts, strict=True):
        if "rural" not in standing(person.role, person.post, spec.setting).settings:
            found = [t for t in _texts(draft) if VILLAGE_WORDS.search(t)]
            assert not found, (person.post, found)
    away = next(d for p, d in zip(spec.people, drafts, strict=True) if "驻场" in p.post)
    assert any("enterprise" in (_bank().get(c.phrase_id) or Phrase("", "", "", "")).settings for c in away.explain)


def test_a_member_working_away_says_nothing_of_the_plants_shifts_or_rounds() -> None:
    """Keeping the workshop's setting is no licence for its shifts: 倒班、厂里组织的… need a member on site."""
    from generator.roles import role_rules, unsaid_by

    assert unsaid_by("两次以{倒班|加班}太累为由推掉") == ("away",)
    assert not unsaid_by("在外地期间按月线上交纳党费")
    entry = Phrase("t-4", "problem", "宗旨意识", "厂里组织的义务献血只参加了一次。", voice="self",
                   settings=("enterprise",))
    welder, away = standing("党员", "焊工", "enterprise"), standing("党员", "在外地客户现场驻场安装调试", "enterprise")
    assert "enterprise" in away.settings and away.setting == "away"
    assert fits_member(entry, welder) and not fits_member(entry, away)
    spec, drafts = _branch("branch-workshop.yaml")
    words = dict(role_rules().unsaid)["away"]
    for person, draft in zip(spec.people, drafts, strict=True):
        if standing(person.role, person.post, spec.setting).setting == "away":
            found = [t for t in _texts(draft) if words.search(t)]
            assert not found, (person.post, found)


# ----------------------------------------------------------------- H: rank ceiling

def test_rank_and_file_words_carry_a_rank_ceiling() -> None:
    for p in _bank():
        assert p.rank_max in ("", *RANKS), p.id
        if p.voice in ("self", "any") and not p.flags and RANK_AND_FILE.search(p.title + p.text):
            assert p.rank_max == "member", (p.id, p.title)


def test_a_rank_ceiling_keeps_the_entry_from_cadres() -> None:
    entry = Phrase("t-3", "cause", "担当作为", "认为难题是管理人员的事。", voice="self", rank_max="member")
    assert fits_member(entry, standing("党员", "焊工", "enterprise"))
    assert not fits_member(entry, standing("支部书记", "机加工车间主任", "enterprise"))
    assert not fits_member(entry, standing("党员", "装配班班长", "enterprise"))


def test_no_cadre_of_the_example_branches_says_rank_and_file_words() -> None:
    for name in ("branch-workshop.yaml", "branch-village.yaml", "branch-office.yaml"):
        spec, drafts = _branch(name)
        for person, draft in zip(spec.people, drafts, strict=True):
            if standing(person.role, person.post, spec.setting).rank != "member":
                found = [t for t in _texts(draft) if RANK_AND_FILE.search(t)]
                assert not found, (name, person.post, found)


# ----------------------------------------------------------------- I: the personal voice filter

def test_every_curated_self_entry_passes_the_personal_voice_filter() -> None:
    """One excluded word (党组织, 领导干部…) in any alternative would keep the whole entry from every self-review."""
    excluded, allowed = voice_rules(wording_data(), "personal")
    bank = _bank()
    killed = [p.id for p in bank if p.source == "curated" and p.voice in ("self", "any")
              and not fits_voice(p, excluded, allowed, bank)]
    assert not killed


# ----------------------------------------------------------------- K: a committee's own setting first

def _rural_collective() -> Spec:
    text = (EXAMPLES / "collective.yaml").read_text(encoding="utf-8")
    return spec_from_text("setting: rural\n" + re.sub(r"(?m)^setting:.*\n", "", text))


def test_a_committee_prefers_entries_written_for_its_setting() -> None:
    """Within each topic tier of a rural committee's pools, rural entries come before untagged ones."""
    spec = _rural_collective()
    planner = Planner(spec, _bank())
    who = planner.standing_of(None)
    for area in spec.areas:
        for kind in ("problem", "cause", "measure"):
            pool = planner.pool(kind, area, who)
            for tier in {off_topic(p, area.topics) for p in pool}:
                untagged_first = [not p.settings for p in pool if off_topic(p, area.topics) == tier]
                assert untagged_first == sorted(untagged_first), (kind, area.heading, tier)


def test_a_rural_committee_draft_takes_most_problems_from_rural_entries() -> None:
    spec = _rural_collective()
    draft = Composer(spec, _bank()).draft(0)
    problems = [_bank().get(c.phrase_id) for c in draft.explain if c.section == "问题"]
    rural = sum(1 for p in problems if p is not None and "rural" in p.settings)
    assert rural * 2 > len(problems), (rural, len(problems))


# ----------------------------------------------------------------- J: set phrases for members without a job

def test_openings_and_closings_of_members_without_a_job_name_no_post() -> None:
    """A retired member never closes "在本职岗位上作出新的成绩"; nor a migrant worker, nor a village's farmer."""
    words = wording_data()
    checked = 0
    for name in ("branch-village.yaml", "branch-workshop.yaml", "branch-office.yaml"):
        spec, drafts = _branch(name)
        for person, draft in zip(spec.people, drafts, strict=True):
            who = standing(person.role, person.post, spec.setting)
            if without_a_job(words, who) is None:
                continue
            checked += 1
            for key, text in draft.wording.items():
                if key in ("preamble", "problems_intro", "causes_intro", "measures_intro", "pledge"):
                    assert not re.search("岗位|本职|工作", text), (name, person.post, key, text)
    assert checked >= 6
    assert without_a_job(words, standing("党员", "退休职工", "enterprise")) is not None
    assert without_a_job(words, standing("支部书记", "村支书", "rural")) is None  # a village's cadre holds a post
    assert without_a_job(words, standing("党员", "数控车工", "enterprise")) is None


def test_set_phrases_name_the_member_once_or_twice_and_as_a_phrase() -> None:
    """"作为科员岗位上的一名党员" in every section reads as filled in; "支部书记和村党支部书记" and "副局长，分管人事和
    机关党建，本人…" do not read at all: posts are named without asides, and the identity only opens and closes."""
    assert post_name("副局长，分管人事和机关党建") == "副局长"
    assert post_name("外出务工（广东电子厂）") == "外出务工"
    assert post_name("高龄老党员(82岁)") == "高龄老党员"
    assert post_name("数控车工") == "数控车工"
    seen = 0
    for name in ("branch-village.yaml", "branch-workshop.yaml", "branch-office.yaml"):
        spec, drafts = _branch(name)
        for person, draft in zip(spec.people, drafts, strict=True):
            said = " ".join(draft.wording.get(k, "") for k in ("preamble", "causes_intro", "measures_intro", "pledge"))
            for key in ("causes_intro", "measures_intro"):
                assert not re.search("[作身]为", draft.wording.get(key, "")), (person.name, key)
            assert not re.search("[（(]|支部书记和[^，。]*书记|[，,]分管", said), (person.name, said)
            seen += "村党支部书记、村委会主任" in said
    assert seen  # the village secretary is named by her post alone
