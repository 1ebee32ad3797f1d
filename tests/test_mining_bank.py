"""The mined bank: stable ids, curation that survives re-mining, and the shipped bank's cleanliness."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from mining_support import BANK, SEEDS, corrections

from generator.bank import KINDS, load_bank
from generator.mining import MineResult, mine_paths, write_bank
from generator.mining.build import entry_id, is_term_list
from generator.mining.clean import unrepaired
from generator.mining.gate import REVIEW_FLAGS, TEXT_FLAGS
from generator.taxonomy import dimension_ids
from generator.text import ascii_punct_in_zh, half_width_punct, unbalanced_quotes
from generator.yamlio import load_yaml

MIN_PROBLEMS, MIN_CAUSES, MIN_MEASURES = 6, 3, 4


@pytest.fixture(scope="module")
def mined() -> MineResult:
    return mine_paths([SEEDS])


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTGEN_CACHE_DIR", str(tmp_path / "cache"))


# --------------------------------------------------------------------------- ids and links


def test_ids_are_stable_across_re_mining(mined: MineResult) -> None:
    again = mine_paths([SEEDS])
    assert [p.id for p in again.phrases] == [p.id for p in mined.phrases]
    assert len({p.id for p in mined.phrases}) == len(mined.phrases)


def test_ids_do_not_depend_on_place_or_line(tmp_path: Path, mined: MineResult) -> None:
    source = next(SEEDS.glob("000_*.txt"))
    moved = tmp_path / "elsewhere" / "renamed.txt"
    moved.parent.mkdir()
    moved.write_text("\n\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    ids = {p.id for p in mine_paths([moved]).phrases}
    original = {p.id for p in mined.phrases if p.source.startswith("000_")}
    assert ids == original


def test_entry_id_follows_kind_and_text() -> None:
    assert entry_id("problem", "标题", "正文。") == entry_id("problem", "标题", "正文！")  # punctuation aside
    assert entry_id("problem", "标题", "正文。") != entry_id("cause", "标题", "正文。")
    assert re.fullmatch(r"p-[0-9a-f]{10}", entry_id("problem", "", "正文"))


def test_groups_and_answers_link_entries_of_one_article(mined: MineResult) -> None:
    by_id = {p.id: p for p in mined.phrases}
    linked = [p for p in mined.phrases if p.answers]
    assert len(linked) >= 2  # the 存在问题一…整改措施 pairs of 000 篇6
    for p in linked:
        target = by_id[p.answers[0]]
        assert target.kind == "problem" and target.group == p.group
    groups = Counter(p.group for p in mined.phrases if p.source.startswith("000_"))
    assert len(groups) >= 4


def test_every_source_is_file_and_line(mined: MineResult) -> None:
    for p in mined.phrases:
        name, line = p.source.rsplit(":", 1)
        assert (SEEDS / name).is_file() and int(line) >= 1


def test_dated_references_are_flagged(mined: MineResult) -> None:
    stale = re.compile("十三五|十八大|十九大|建党100周年|90多年|"
                       "如皋|铜梁|焦裕禄|党史学习教育|科学发展观|执政60年")
    for p in mined.phrases:
        if stale.search(p.title + p.text):
            assert "dated" in p.flags, p.text
    assert any("specific" in p.flags for p in mined.phrases)  # 据调查13个党支部……占总数的47.2%


# --------------------------------------------------------------------------- curation


def test_curation_survives_re_mining(tmp_path: Path) -> None:
    out = tmp_path / "bank"
    result = mine_paths([SEEDS], data_dir=out)
    write_bank(result, out)
    first, second = result.phrases[0], result.phrases[1]
    (out / "curated").mkdir()
    (out / "curated" / "ours.yaml").write_text(
        f"fix:\n  - id: {first.id}\n    title: 人工改过的标题\nremove:\n  - {second.id}\n"
        "add:\n  - id: ours-1\n    kind: measure\n    dimension: 工作作风\n    text: 每月检查一次工作台账。\n"
        "    source: curated\n", encoding="utf-8")
    write_bank(mine_paths([SEEDS], data_dir=out), out)  # re-mine over the same folder
    bank = load_bank(out, use_cache=False)
    assert bank.get(first.id) is not None and bank.get(first.id).title == "人工改过的标题"  # type: ignore[union-attr]
    assert bank.get(second.id) is None
    assert bank.get("ours-1") is not None
    assert (out / "curated" / "ours.yaml").read_text(encoding="utf-8").startswith("fix:")


def test_shipped_mined_files_match_a_fresh_mining(tmp_path: Path, mined: MineResult) -> None:
    """The committed phrasebank/mined/*.yaml is what the current miner produces from the seeds."""
    out = tmp_path / "bank"
    written = write_bank(mined, out)
    shipped = sorted((BANK / "mined").glob("*.yaml"))
    assert [p.name for p in shipped] == sorted(p.name for p in written)
    for path in written:
        shipped_text = (BANK / "mined" / path.name).read_text(encoding="utf-8")
        assert path.read_text(encoding="utf-8") == shipped_text, path.name


# --------------------------------------------------------------------------- the shipped bank


_FURNITURE = re.compile(r"浏览次数|上一篇|下一篇|推荐访问|相关推荐|本站热搜|VIP|https?://|作者[:：]|摘要[:：]|属性[:：]")
_TELL_TALES = re.compile("效劳|根底|各工程标|科学开展观|经济开展|广阔人民|广阔党员|稳固党的")


SETTINGS = {"office", "service", "rural", "school", "enterprise", "health", "retired", "away"}


def test_shipped_bank_is_clean() -> None:
    bank = load_bank(BANK, use_cache=False)
    assert len(bank) >= 150
    dims = set(dimension_ids())
    ids = {p.id for p in bank}
    for p in bank:
        where = f"{p.id} ({p.source})"
        assert p.source, where
        assert p.kind in KINDS and p.dimension in dims, where
        assert set(p.flags) <= set(REVIEW_FLAGS), where
        assert p.voice in ("", "self", "any", "branch", "organisation"), where
        assert p.rank in ("", "member", "cadre", "leader"), where
        assert set(p.settings) <= SETTINGS, where
        assert p.duty in ("", "secretary", "committee"), where
        assert all(a in ids for a in p.answers), where
        if set(p.flags) & TEXT_FLAGS:
            continue  # kept for a person to review; never reaches a draft as it is
        assert len(p.title) <= 30, where
        assert re.search("[。！？”）]$", p.text), where  # a whole sentence, not a fragment
        assert len(re.findall("[\u4e00-\u9fff]", p.text)) >= 8, where
        assert not re.search("[。！？；，]$", p.title), where
        for field in (p.title, p.text):
            assert not half_width_punct(field) and not ascii_punct_in_zh(field), f"{where} 半角标点：{field}"
            assert not re.search("[*＊„〓\ufffd]", field), where
            assert not unbalanced_quotes(field) and field.count("‘") == field.count("’"), where
            assert '"' not in field and "'" not in field, where
            assert not _FURNITURE.search(field), where
            assert not _TELL_TALES.search(field), where
            if p.source.startswith("002_"):
                assert not unrepaired(field, corrections()), where
            assert not is_term_list(field), where


def test_mined_ids_are_unique_across_files() -> None:
    ids: list[str] = []
    for path in sorted((BANK / "mined").glob("*.yaml")):
        ids += [e["id"] for e in load_yaml(path).data["entries"]]
    assert len(ids) == len(set(ids))


def test_every_dimension_has_enough_unflagged_entries() -> None:
    bank = load_bank(BANK, use_cache=False)
    for dim in dimension_ids():
        counts = Counter(p.kind for p in bank.select("problem", dim) + bank.select("cause", dim)
                         + bank.select("measure", dim))
        assert counts["problem"] >= MIN_PROBLEMS, (dim, counts)
        assert counts["cause"] >= MIN_CAUSES, (dim, counts)
        assert counts["measure"] >= MIN_MEASURES, (dim, counts)


def test_curated_entries_leave_the_voice_to_the_composer() -> None:
    for path in sorted((BANK / "curated").glob("*.yaml")):
        for entry in load_yaml(path).data.get("add") or []:
            text = re.sub("“[^”]*”|自我|时不我待", "", entry["text"])  # quoted words may say 我
            assert "我" not in text and "本人" not in text, entry["id"]
            assert entry["source"] == "curated"


def test_mined_folder_holds_one_file_per_seed() -> None:
    mined_stems = sorted(p.stem for p in (BANK / "mined").glob("*.yaml"))
    assert mined_stems == sorted(p.stem for p in SEEDS.glob("*.txt"))
    shutil.disk_usage(BANK)  # the folder is readable
