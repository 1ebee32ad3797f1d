"""Chinese punctuation and cleaning rules that every draft relies on."""

from __future__ import annotations

import pytest

from generator.text import clean_text, display_width, half_width_punct, normalize, unbalanced_quotes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("本人认为,理论学习不够深入.", "本人认为，理论学习不够深入。"),
        ("占比47.2%,比去年高", "占比47.2%，比去年高"),
        ("1943年6月,毛泽东同志", "1943年6月，毛泽东同志"),
        ("会议于15:30开始;请准时", "会议于15:30开始；请准时"),
        ("(一)群众观念淡薄", "（一）群众观念淡薄"),
        ('围绕"学党史、悟思想"主题', "围绕“学党史、悟思想”主题"),
        ("问题?是的!", "问题？是的！"),
        ("文山会海...", "文山会海……"),
        ("做到„„三个", "做到……三个"),
        ("共计1,000元;其中", "共计1,000元；其中"),
        ("1.理论学习不够", "1.理论学习不够"),
        ("Use PPT, Excel: ok (x)", "Use PPT, Excel: ok (x)"),
    ],
)
def test_normalize_punctuation(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_unmatched_quotes_are_dropped_not_guessed() -> None:
    assert normalize("他说“你们究竟为谁说话") == "他说你们究竟为谁说话"
    assert normalize("“甲”和“乙") == "“甲”和乙"
    assert not unbalanced_quotes(normalize('一是"学习'))


def test_clean_text_removes_what_breaks_documents() -> None:
    raw = "学习\x00控制\x1b字符\u202e反向\u200b零宽\ufeff😀 本人  认为\r\n第二行"
    assert clean_text(raw) == "学习控制字符反向零宽本人认为\n第二行"


def test_spaces_between_latin_words_survive() -> None:
    assert clean_text("使用 Microsoft Word 编辑") == "使用Microsoft Word编辑"


def test_width_counts_ascii_as_half() -> None:
    assert display_width("2026年1月20日") == 6.5
    assert display_width("张三") == 2


def test_half_width_punct_finder() -> None:
    assert half_width_punct("学习,工作") == [2]
    assert half_width_punct("1,000") == []


def test_one_home_for_bigrams_and_shingles() -> None:
    from generator.text import bigrams, shingles

    assert bigrams("学习不够") == {"学习", "习不", "不够"}
    assert shingles("学习，不够。", 3) == {"学习不", "习不够"}  # punctuation is not part of a shingle
    assert shingles("学习", 3) == set()
    assert shingles("学习", 3, whole_if_short=True) == {"学习"}


def test_plan_and_ledger_import_without_a_cycle() -> None:
    """ledger takes the seeded random from plan, and draft takes the ledger: each loads on its own."""
    import subprocess
    import sys

    for module in ("generator.ledger", "generator.plan", "generator.draft", "generator.compose"):
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
