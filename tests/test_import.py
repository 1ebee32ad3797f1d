"""``draftgen import``: an edited draft → a spec → ``draftgen batch`` keeps every sentence the author wrote."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from edits import (
    copy,
    fill_placeholders,
    first_sentence,
    generate,
    libreoffice_round_trip,
    replace_text,
)

from generator.doctree import Heading, Paragraph, Signature
from generator.ooxml.reader import read_docx

Cli = Callable[..., Any]


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("import"))


def regenerate(cli: Cli, draft: Path, folder: Path, *, change: dict[str, Any] | None = None) -> Path:
    """import → (optionally edit the spec) → batch; the path of the new draft."""
    spec = folder / "spec.yaml"
    result = cli("import", draft, "-o", spec)
    assert result.code == 0, result
    assert result.out.strip() == str(spec)
    if change:
        data = yaml.safe_load(spec.read_text(encoding="utf-8"))
        data.update(change)
        spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("batch", spec, "--out", folder / "new", "--quiet")
    assert result.code == 0, result
    (path,) = (folder / "new").glob("*.docx")
    return path


def body_texts(path: Path) -> list[str]:
    doc = read_docx(path).document
    return [b.text for b in doc.blocks if isinstance(b, Paragraph | Heading)]


def edit_like_an_author(path: Path) -> list[str]:
    """Fill the facts and rewrite a problem, a cause, a measure, the preamble and the pledge."""
    sentences = fill_placeholders(path, "去年只读完了两本原著，读书笔记只写了一篇")
    edits = [
        (first_sentence(path, start="1."), "我在学习上下的功夫不够，遇到难懂的地方常常跳过去，没有刨根问底。"),
        (first_sentence(path), "按照支部的安排，我认真准备了这次对照检查，先后和八名同志谈了心。"),
    ]
    document = docx.Document(str(path))
    cause = next(p for p in document.paragraphs if p.style.name == "Heading 2" and "方面" not in p.text
                 and not p.text.startswith("（一）在"))
    cause_heading = cause.text
    for old, new in edits:
        replace_text(path, old, new)
        sentences.append(new)
    new_heading = "（一）自我要求有所放松"
    replace_text(path, cause_heading, new_heading)
    sentences.append("自我要求有所放松")
    document = docx.Document(str(path))
    pledge = [p for p in document.paragraphs if p.style.name == "Normal" and p.text][-1]
    pledge.runs[0].text = "以上对照检查，请同志们批评帮助，我一定认真改正。"
    document.save(str(path))
    sentences.append("以上对照检查，请同志们批评帮助，我一定认真改正。")
    return sentences


def test_import_then_batch_keeps_every_edited_sentence(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    draft = copy(drafts["张明"], tmp_path / "张明.docx")
    sentences = edit_like_an_author(draft)
    new = regenerate(cli, draft, tmp_path)
    text = "\n".join(body_texts(new))
    for sentence in sentences:
        assert sentence in text, sentence
    # Not just the sentences: the regenerated draft is the edited draft, block for block.
    assert read_docx(new).document.blocks == read_docx(draft).document.blocks
    assert "【待补充" not in text


def test_regenerate_for_next_years_meeting(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    draft = copy(drafts["王丽"], tmp_path / "王丽.docx")
    sentences = edit_like_an_author(draft)
    new = regenerate(cli, draft, tmp_path, change={"meeting": "2026年度专题组织生活会", "date": "2027-01-18"})
    doc = read_docx(new).document
    assert doc.title.text == "2026年度专题组织生活会个人对照检查材料"
    assert doc.blocks[-1] == Signature("王丽", "2027年1月18日")
    text = "\n".join(body_texts(new))
    for sentence in sentences:
        assert sentence in text, sentence


def test_spec_carries_the_request(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    assert cli("import", drafts["张明"], "-o", spec).code == 0
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    assert data["template"] == "personal" and data["meeting"] == "2025年度专题组织生活会"
    assert data["unit"] == "机关第一党支部" and data["date"] == "2026-01-20"
    assert data["preset"] == "组织生活会四个方面" and data["placeholders"] is False
    (person,) = data["people"]
    assert person["name"] == "张明" and person["role"] == "支部书记" and person["post"] == "办公室主任"
    assert set(person["problems"]) == set(person["measures"]) == {
        "学习贯彻党的创新理论", "党性修养", "联系服务群众", "发挥先锋模范作用"}
    assert any("停车难" in p for p in person["problems"]["联系服务群众"])
    assert {"preamble", "problems_intro", "causes_intro", "measures_intro", "pledge", "measure_headings"} \
        <= set(person["wording"])


def test_refuses_to_overwrite_without_force(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("mine", encoding="utf-8")
    result = cli("import", drafts["张明"], "-o", spec)
    assert result.code == 2 and "--force" in result.err
    assert spec.read_text(encoding="utf-8") == "mine"
    assert cli("import", drafts["张明"], "-o", spec, "--force").code == 0
    assert "张明" in spec.read_text(encoding="utf-8")


def test_edited_area_heading_is_reported(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    draft = copy(drafts["李强"], tmp_path / "李强.docx")
    replace_text(draft, "（二）党性修养方面", "（二）党性锻炼方面")
    result = cli("import", draft, "-o", tmp_path / "spec.yaml")
    assert result.code == 0
    assert "党性锻炼" in result.err and "党性修养" in result.err


def test_import_after_libreoffice(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    draft = copy(drafts["李强"], tmp_path / "in" / "李强.docx")
    sentences = edit_like_an_author(draft)
    (saved,) = libreoffice_round_trip([draft], tmp_path / "lo")
    new = regenerate(cli, saved, tmp_path)
    assert read_docx(new).document.blocks == read_docx(draft).document.blocks
    text = "\n".join(body_texts(new))
    assert all(s in text for s in sentences)


def test_import_a_draft_draftgen_never_wrote(cli: Cli, tmp_path: Path) -> None:
    document = docx.Document()
    lines = ("2025年度专题组织生活会个人对照检查材料", "机关第二党支部　赵六",
             "根据支部安排，我对照检查如下。", "一、存在的问题", "（一）学习贯彻党的创新理论方面",
             "1.学习不够系统。我平时学习零敲碎打，没有制订计划。",
             "2.对理论学习重视不够，存在以干代学的现象，学得不深不透。", "（二）党性修养方面",
             "1.批评与自我批评不够。开会时我提意见总是点到为止。", "二、问题产生的原因",
             "（一）理论学习的自觉性不够", "我把学习当成软任务，挤不出时间。", "三、整改措施",
             "（一）抓好学习", "1.订好学习计划。每周固定两个晚上读原著。", "（二）严肃组织生活",
             "1.认真开展批评。每次组织生活会至少给同志提一条具体意见。", "以上是我的对照检查，请批评指正。",
             "赵六", "2026年1月20日")
    for line in lines:
        document.add_paragraph(line)
    draft = tmp_path / "赵六.docx"
    document.save(str(draft))
    new = regenerate(cli, draft, tmp_path)
    text = "\n".join(body_texts(new))
    assert "2.对理论学习重视不够，存在以干代学的现象，学得不深不透。" in text
    for sentence in ("我平时学习零敲碎打，没有制订计划。", "开会时我提意见总是点到为止。",
                     "我把学习当成软任务，挤不出时间。", "每周固定两个晚上读原著。",
                     "每次组织生活会至少给同志提一条具体意见。", "以上是我的对照检查，请批评指正。",
                     "根据支部安排，我对照检查如下。", "理论学习的自觉性不够"):
        assert sentence in text, sentence
    doc = read_docx(new).document
    assert doc.title.text == "2025年度专题组织生活会个人对照检查材料"
    assert doc.blocks[-1] == Signature("赵六", "2026年1月20日")


def test_help_is_chinese(cli: Cli) -> None:
    result = cli("import", "--help")
    assert result.code == 0 and "示例：" in result.out and "--force" in result.out


def test_verbatim_own_text_cuts_titles_only_at_a_full_stop() -> None:
    from generator.compose import split_own

    text = "对理论学习重视不够，存在以干代学的现象，学得不深不透。"
    assert split_own(text) == ("对理论学习重视不够", "存在以干代学的现象，学得不深不透。")  # unchanged default
    assert split_own(text, verbatim=True) == (text.rstrip("。"), "")
    assert split_own("学习不够系统。我平时学得少。", verbatim=True) == ("学习不够系统", "我平时学得少。")


def test_verbatim_is_opt_in(cli: Cli, write_spec: Callable[..., Path], tmp_path: Path) -> None:
    spec = """
    meeting: 2025年度专题组织生活会
    unit: 机关第一党支部
    date: 2026-01-20
    dimensions: [理论学习]
    problems_per_area: 1
    name: 张明
    problems:
      理论学习: [对理论学习重视不够，存在以干代学的现象，学得不深不透。]
    """
    plain = write_spec(spec, "plain.yaml")
    kept = write_spec(spec.rstrip() + "\n    wording: {verbatim: true}\n", "kept.yaml")
    for path in (plain, kept):
        assert cli("batch", path, "--out", tmp_path / path.stem, "--quiet").code == 0
    (a,), (b,) = (list((tmp_path / n).glob("*.docx")) for n in ("plain", "kept"))
    for made in (a, b):  # the member's comma is kept either way (issue 17) …
        assert "1.对理论学习重视不够，存在以干代学的现象，学得不深不透。" in "\n".join(body_texts(made))

    def leads(path: Path) -> list[str]:
        return [b.spans[0].text for b in read_docx(path).document.blocks
                if isinstance(b, Paragraph) and b.spans and b.spans[0].style == "lead"]

    # … but only verbatim text is cut at the full stop alone: otherwise the first clause is the run-in title,
    # its comma printed after it (a bold title ending in a comma would read as cut)
    assert "1.对理论学习重视不够" in leads(a)
    assert "1.对理论学习重视不够，存在以干代学的现象，学得不深不透。" in leads(b)


def test_a_problem_that_starts_with_a_number_keeps_it(cli: Cli, write_spec: Callable[..., Path],
                                                     tmp_path: Path) -> None:
    """Item 1 of "1.3次集中学习缺席。" says "3次集中学习缺席。": once it came back as "1.1.3次…"."""
    spec = write_spec("name: 张三\ndate: 2026-01-20\npreset: 组织生活会四个方面\n"
                      "problems:\n  党性修养: [3次集中学习缺席。事后没有补学, 2.5倍的任务没有按期完成]\n")
    assert cli("batch", spec, "--out", tmp_path / "first", "-q").code == 0
    (tmp_path / "again").mkdir()
    (first,) = (tmp_path / "first").glob("*.docx")
    new = regenerate(cli, first, tmp_path / "again")
    assert body_texts(new) == body_texts(first)
    assert {"2.2.5倍的任务没有按期完成。", "1.3次集中学习缺席。事后没有补学【待补充：本人在此方面的具体事例】"} \
        <= set(body_texts(new))
