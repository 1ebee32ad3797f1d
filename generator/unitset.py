"""A linked set of a meeting's documents, driven by one plan.

``template: [collective, problem-list, rectification]`` asks for the documents a
branch's meeting produces together.  Reviewers read them one against another: the
committee's 对照检查材料, the 问题清单 and the 整改方案 with its 整改台账 must name the
same problems in the same order and wording, and repeat the same causes and
measures.  So the set is planned once, for its *driver* (the collective material
when it is in the set, else the unit's analysis report, else the collective's rules
anyway), and every other unit document is that same composed draft seen through
its own template and set phrases.  ``personal`` in the set adds one draft per
member, planned as a batch of its own (members confess their own problems).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.bank import Bank, load_bank
from generator.branch import last_year_text
from generator.builder import document_meta
from generator.compose import Composer
from generator.draft import Draft
from generator.errors import DraftFailed, DraftgenError, OutputError, UsageError, os_reason
from generator.fsio import sweep_stale_parts
from generator.ooxml import write_docx
from generator.render import render_document
from generator.spec import Spec
from generator.targets import Result, Target, plan
from generator.taxonomy import DocType, find_doctype

if TYPE_CHECKING:
    from generator.doctree import Document

# Which unit type plans a set, in order of preference; the others take its plan.
DRIVERS = ("collective", "unit-report")
# Types that take the driver's plan (the unit report speaks for an organisation: planned on its own
# unless it drives).
FOLLOWERS = ("collective", "problem-list", "rectification")
DEFAULT_OUTPUTS = ("{title}.docx", "{name}-{title}.docx")


def member_spec(spec: Spec, doctype: DocType) -> Spec:
    """The spec of one type of the set, as if it had been asked for alone."""
    output = spec.output
    if output in DEFAULT_OUTPUTS:  # the default follows each type: members' drafts carry their names
        output = DEFAULT_OUTPUTS[1] if doctype.per_person else DEFAULT_OUTPUTS[0]
    last_year = spec.last_year
    if not doctype.per_person and not last_year:
        last_year = last_year_text(spec.branch)
    return replace(spec, doctype=doctype, doctypes=(), output=output, last_year=last_year)


def driver_of(spec: Spec) -> DocType:
    """The type whose plan the set's unit documents share."""
    ids = [d.id for d in spec.types]
    for name in DRIVERS:
        if name in ids:
            found = find_doctype(name)
            assert found is not None
            return found
    found = find_doctype(DRIVERS[0])
    assert found is not None
    return found


@dataclass
class SetComposer:
    """The unit documents of a set: one composed draft, shown by each type's template and set phrases."""

    spec: Spec
    bank: Bank

    def __post_init__(self) -> None:
        self.driver = driver_of(self.spec)
        self._composers: dict[str, Composer] = {}
        self._drafts: dict[str, Draft] = {}

    def composer(self, doctype: DocType) -> Composer:
        found = self._composers.get(doctype.id)
        if found is None:
            found = self._composers[doctype.id] = Composer(member_spec(self.spec, doctype), self.bank)
        return found

    def draft(self, doctype: DocType) -> Draft:
        """The draft of one unit type of the set (the same problems, causes and measures as its driver)."""
        found = self._drafts.get(doctype.id)
        if found is not None:
            return found
        if doctype.id == self.driver.id or doctype.id not in FOLLOWERS:
            found = self.composer(doctype).draft(0)
        else:
            base = self.draft(self.driver)
            own = self.composer(doctype)
            count = sum(len(part.problems) for part in base.areas)
            found = replace(base, spec=own.spec, wording=own.set_phrases(count))
        self._drafts[doctype.id] = found
        return found

    def unit_types(self) -> list[DocType]:
        return [d for d in self.spec.types if not d.per_person]


def render_unit(spec: Spec, doctype: DocType, drafts: SetComposer, template_dir: Path | None) -> Document:
    draft = drafts.draft(doctype)
    return render_document(doctype.template, {"d": draft}, meta=document_meta(draft), extra_dir=template_dir)


def generate_units(spec: Spec, out_dir: Path, *, force: bool = False, skip_existing: bool = False,
                   template_dir: Path | None = None, bank_dir: Path | None = None, xlsx: bool = False,
                   explain: bool = False, on_written: Callable[[Path], None] | None = None) -> Result:
    """Write the unit documents of a set: nothing is written until every name of the set (members'
    drafts included) is checked and every unit document has rendered.

    Members' drafts (``personal``) are not written here: :func:`generator.generate.generate` sends each
    per-person type of the set through the usual batch afterwards (:func:`member_spec`), which also
    writes the ``--explain`` report (about members' drafts: the unit documents share one plan).  So
    this room never calls back into the batch that calls it."""
    if explain and not any(d.per_person for d in spec.types):
        raise UsageError("--explain 说明各名党员初稿的选材；全套材料中没有个人对照检查材料（personal）时不能使用")

    if xlsx:
        from generator.xlsx import require, write_xlsx

        require()
    targets: dict[str, list[Target]] = {}
    seen: dict[str, str] = {}
    for doctype in spec.types:
        found = plan(member_spec(spec, doctype), out_dir, force=force, skip_existing=skip_existing, xlsx=xlsx)
        for target in found:
            key = target.name.casefold()
            if key in seen:
                raise OutputError(f"{seen[key]}和{doctype.title}的文件名相同（{target.name}），"
                                  "请在 output 中保留 {title}")
            seen[key] = doctype.title
        targets[doctype.id] = found
    sweep_stale_parts(out_dir, [t.name for found in targets.values() for t in found])
    drafts = SetComposer(spec, load_bank(extra=(bank_dir,) if bank_dir else ()))
    rendered: list[tuple[Target, Document]] = []
    for doctype in drafts.unit_types():
        target = targets[doctype.id][0]
        if skip_existing and target.path.exists():
            continue
        try:
            rendered.append((target, render_unit(spec, doctype, drafts, template_dir)))
        except DraftgenError as exc:
            raise DraftFailed(exc.render().removeprefix("错误："), f"{doctype.title}", written=0) from None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {out_dir}：{os_reason(exc)}") from None
    result = Result()
    for doctype in drafts.unit_types():
        target = targets[doctype.id][0]
        if skip_existing and target.path.exists():
            result.skipped.append(target.path)
    for target, doc in rendered:
        write_docx(doc, target.path, force=force)
        result.written.append(target.path)
        if on_written:
            on_written(target.path)
        if xlsx and write_xlsx(doc, target.path.with_suffix(".xlsx"), force=force):
            result.sheets.append(target.path.with_suffix(".xlsx"))
            if on_written:
                on_written(target.path.with_suffix(".xlsx"))
    return result
