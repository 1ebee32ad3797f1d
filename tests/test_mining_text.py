"""What the miner added to generator.text: sentence splitting, a Han-only key, strict punctuation check."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.text import ascii_punct_in_zh, han_only, split_sentences


def test_split_sentences_keeps_quotes_together() -> None:
    assert split_sentences("他说：“要讲真话，"
                           "不讲假话”。下一句！") == ["他说：“要讲真话，不讲假话”。", "下一句！"]
    # A stop just inside the closing quote ends the sentence.
    assert split_sentences("荀子讲到：“学不可以已。”要树立终身学习的思想。") == ["荀子讲到：“学不可以已。”",
                                                                      "要树立终身学习的思想。"]
    assert split_sentences("（注意。这里）不断句。") == ["（注意。这里）不断句。"]


def test_split_sentences_semicolons_and_ellipsis() -> None:
    assert split_sentences("一是甲；二是乙。", semicolons=True) == ["一是甲；", "二是乙。"]
    assert split_sentences("一是甲；二是乙。") == ["一是甲；二是乙。"]
    assert split_sentences("治“三害”……在他身上。") == ["治“三害”……在他身上。"]
    assert split_sentences("没有句号") == ["没有句号"]
    assert split_sentences("") == []


_zh = st.text(alphabet="学习不够党员。！？；，“”（）《》…", max_size=60)


@given(_zh)
def test_split_sentences_loses_nothing(text: str) -> None:
    assert "".join(split_sentences(text)) == text.strip()
    assert "".join(split_sentences(text, semicolons=True)) == text.strip()


def test_han_only() -> None:
    assert han_only("“两张皮”现象，47.2%！") == "两张皮现象"


def test_ascii_punct_in_zh() -> None:
    assert ascii_punct_in_zh("占47.2%;46岁") == [6]
    assert ascii_punct_in_zh("学习,工作") == [2]
    assert ascii_punct_in_zh("会议15:30开始，共1,000人") == []
    assert ascii_punct_in_zh("plain English, no Chinese;") == []
    assert ascii_punct_in_zh("见附件(一)") == [3, 5]
