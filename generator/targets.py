"""Where a batch's drafts go: every target path, computed and checked before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import OutputError
from generator.fsio import check_writable_folder, special_kind
from generator.spec import Spec

if TYPE_CHECKING:
    from generator.explain import Explained


@dataclass
class Target:
    index: int
    name: str
    path: Path


@dataclass(frozen=True)
class Done:
    """What became of one target: the files written (the draft, then its tables), or none when it was skipped.

    ``explained`` is the draft's part of the ``--explain`` report, made where the draft was (a worker).
    """

    target: Target
    paths: tuple[Path, ...] = ()
    explained: Explained | None = None

    @property
    def skipped(self) -> bool:
        return not self.paths


@dataclass
class Result:
    """What a run produced: the drafts written (in spec order), those skipped as present, .xlsx tables,
    and the ``--explain`` report (None when not asked for, or kept because it existed)."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    sheets: list[Path] = field(default_factory=list)
    report: Path | None = None


def _fields(spec: Spec, person_name: str) -> dict[str, str]:
    from generator.draft import document_title

    return {"name": person_name, "unit": spec.unit, "title": document_title(spec), "meeting": spec.meeting,
            "date": spec.date.isoformat()}


def _shown(names: list[str]) -> str:
    return "、".join(names[:3]) + (f" 等 {len(names)} 个文件" if len(names) > 3 else "")


def plan(spec: Spec, out_dir: Path, *, force: bool = False, skip_existing: bool = False,
         xlsx: bool = False, extra: tuple[str, ...] = ()) -> list[Target]:
    """Compute every target path and refuse, before writing anything, what cannot be written.

    With ``xlsx`` each draft may also get a workbook of the same name, which must not exist either;
    ``extra`` names further files of the run (the ``--explain`` report), held to the same rule, except
    that with ``skip_existing`` an existing one is kept rather than refused.  ``--force`` replaces
    regular files only: a device, a FIFO or a folder under a target's name is refused even then.
    """
    from generator.filenames import file_name

    people = [p.name for p in spec.people] if spec.doctype.per_person else [spec.unit or "党支部"]
    targets: list[Target] = []
    seen: dict[str, str] = {}
    for i, name in enumerate(people):
        fname = file_name(spec.output, _fields(spec, name))
        key = fname.casefold()
        if key in seen:
            raise OutputError(f"“{seen[key]}”和“{name}”的文件名相同（{fname}），请在 output 中加入 {{name}} 等区分")
        seen[key] = name
        targets.append(Target(i, fname, out_dir / fname))
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"输出位置 {out_dir} 不是文件夹")
    paths = [t.path for t in targets]
    if xlsx:
        paths += [t.path.with_suffix(".xlsx") for t in targets]
    paths += [out_dir / name for name in extra]
    special = [(p, kind) for p in paths if (kind := special_kind(p)) is not None]
    if special:
        path, kind = special[0]
        raise OutputError(f"{path} 是{kind}，不是普通文件；draftgen 不会覆盖它（即使加 --force），"
                          "请移走它或换一个输出文件夹")
    if not force and not skip_existing:
        existing = [p.name for p in paths if p.exists()]
        if existing:
            raise OutputError(f"{out_dir} 中已有 {_shown(existing)}；"
                              "如要覆盖请加 --force，只补齐缺少的请加 --skip-existing")
    check_writable_folder(out_dir)
    return targets
