"""Who may say an entry: voice per document type, rank, setting and duty per member."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from generator.bank import Bank, Judgement, Phrase, judge
from generator.roles import RANKS, Standing, setting_needed, unsaid_by
from generator.text import plain_alternatives


@cache
def wording_data() -> dict[str, Any]:
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    data: dict[str, Any] = load_yaml(templates_dir() / "wording.yaml", cached=True).data
    return data


def voice_rules(words: Mapping[str, Any], doctype: str) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """The wording file's voice rules for one document type: words that exclude an entry, voices allowed."""
    patterns = words["voice_exclude"].get(doctype, [])
    excluded = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    return excluded, tuple(words.get("voice_allow", {}).get(doctype) or ())


def fits_voice(phrase: Phrase, excluded: re.Pattern[str] | None, allowed: Sequence[str],
               bank: Bank | None = None) -> bool:
    """Entries written about others ("一些党员干部…") do not fit a personal draft, and vice versa.

    Every entry is also read for the organisation's register (templates/rules/register.yaml), whatever
    its tag says: 有的党员…、要…、当前…形势下 never reach a self-review or a committee's material; a type
    that allows the organisation's voice (a unit's analysis report) takes untagged entries only when
    they read so.  ``bank`` (the entry's own) gives that reading from its compiled cache.
    """
    if allowed and phrase.voice not in allowed:
        return False
    organisation = (bank.judgement(phrase) if bank is not None else judge(phrase))[0]
    if "organisation" in allowed:  # a unit's report speaks about others: an untagged entry must read so
        if (not phrase.voice and not organisation) or not phrase.title:
            return False  # and its items run in under a title (a cut-off sentence is no title)
    elif organisation:
        return False
    # the type's word list guards entries nobody has read for voice; a tagged entry's voice is its writer's
    # judgement ("向上级党组织述职" is a secretary's own promise, not the organisation speaking)
    if phrase.voice and phrase.voice != "any":
        return True
    return excluded is None or not excluded.search(phrase.title + phrase.text)


def off_topic(phrase: Phrase, topics: Sequence[str]) -> int:
    """How far an entry is from an area's topics: 0 its title names one (or the area has none), 1 only
    its text does, 2 neither.  Titles say what a problem is about; a text mentions much in passing."""
    if not topics:
        return 0
    if any(t in plain_alternatives(" ".join((phrase.title, *phrase.titles))) for t in topics):
        return 0
    return 1 if any(t in plain_alternatives(phrase.text) for t in topics) else 2


def fits_member(phrase: Phrase, who: Standing, judged: Judgement | None = None) -> bool:
    """May a member of this standing say ``phrase``: rank, setting, duty and post (voice is checked per document).

    Tagged entries say their rank and settings; for untagged ones ``judged`` (default :func:`judge`)
    tells what their wording assumes.  ``rank_max`` keeps rank-and-file words from cadres; wording only
    one setting can say (村里、乡亲, see templates/rules/roles.yaml ``needs``) needs it among the member's
    settings whatever the tags; any of the member's settings (their own, or the branch's they keep) fits.
    An entry written for posts (``posts:``) goes only to a member whose role or post names one of them:
    whether its text names the post or not ("在人事科接洽…" does, "公开发布学生成绩排名" does not) it
    describes that post's work, and nobody else's.
    """
    if phrase.duty and phrase.duty not in who.duties:
        return False
    if phrase.posts and not post_words_match(phrase, who.words):
        return False
    if phrase.rank_max and RANKS.index(who.rank) > RANKS.index(phrase.rank_max):
        return False
    if phrase.voice:
        rank, settings = phrase.rank or "member", phrase.settings
    else:
        _, rank, settings = judged or judge(phrase)
    if not who.outranks(rank):
        return False
    mine = who.settings
    if any(need not in mine for need in _needed(phrase.title + phrase.text)):
        return False
    if who.setting in _unsaid(phrase.title + phrase.text):
        return False
    return not settings or any(s in settings for s in mine)


@cache
def _unsaid(text: str) -> tuple[str, ...]:
    # the raw text finds a word inside one option ({倒班|出差}); the first options joined find one spanning groups
    return tuple(dict.fromkeys((*unsaid_by(text), *unsaid_by(plain_alternatives(text)))))


@cache
def _needed(text: str) -> tuple[str, ...]:
    return setting_needed(plain_alternatives(text))


@cache
def _job_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{w})" for w in words)) if words else None


def without_a_job(words: Mapping[str, Any], who: Standing) -> re.Pattern[str] | None:
    """Words of set phrases this member cannot say for want of a job in the branch (None: any phrase fits).

    "在本职岗位上作出新的成绩" closes a retired member's draft wrongly, as it does a migrant worker's or a
    village's farmer's: templates/wording.yaml ``no_job`` names who has none and the words that assume one.
    """
    rules = words.get("no_job") or {}
    if who.setting in (rules.get("settings") or ()) or (
            who.rank == "member" and who.setting in (rules.get("members_of") or ())):
        return _job_pattern(tuple(rules.get("words") or ()))
    return None


def post_words_match(phrase: Phrase, post: str) -> bool:
    """Does ``post`` (a member's role and post words, :attr:`Standing.words`) name one of the entry's posts."""
    return bool(post) and any(word and word in post for word in phrase.posts)

