"""One draft, from its plan to a file: compose, render, write (and, on request, its part of the report)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from generator.errors import AlreadyExists, DraftFailed, DraftgenError
from generator.spec import Spec
from generator.targets import Done, Target


class Builder:
    """Composes, renders and writes single drafts; picklable so worker processes can hold one.

    With ``explain`` each written draft also brings back its part of the ``--explain`` report (the entries
    chosen, and, with ``compare``, the text the similarity figures are computed on), so the report needs
    neither a second composition nor a second rendering of the batch.
    """

    def __init__(self, spec: Spec, *, template_dir: Path | None = None, bank_dir: Path | None = None,
                 xlsx: bool = False, explain: bool = False, compare: bool = False) -> None:
        from generator.bank import load_bank
        from generator.compose import Composer

        self.spec = spec
        self.template_dir = template_dir
        self.xlsx = xlsx
        self.explain, self.compare = explain, compare
        self.composer = Composer(spec, load_bank(extra=(bank_dir,) if bank_dir else ()))
        self._tried: tuple[int, Any, Any] | None = None

    def built(self, index: int) -> tuple[Any, Any]:
        """The Draft of ``index`` and its document tree."""
        from generator.render import render_document

        if self._tried is not None and self._tried[0] == index:
            _, draft, doc = self._tried
            self._tried = None
            return draft, doc
        draft = self.composer.draft(index)
        meta = document_meta(draft)
        return draft, render_document(self.spec.doctype.template, {"d": draft}, meta=meta,
                                      extra_dir=self.template_dir)

    def document(self, index: int) -> Any:
        """The document tree of draft ``index``."""
        return self.built(index)[1]

    def who(self, target: Target) -> str:
        """Whose draft ``target`` is, for messages: "第 3 份初稿（李四）"."""
        owner = self.spec.people[target.index].name if self.spec.doctype.per_person else target.name
        return f"第 {target.index + 1} 份初稿（{owner}）"

    def try_first(self, target: Target) -> None:
        """Render ``target`` now, before anything is written; kept for when it is written (serial runs).

        A user's template that does not compile, or fails on the data every draft has, fails here.
        """
        try:
            self._tried = (target.index, *self.built(target.index))
        except DraftgenError as exc:
            raise DraftFailed(exc.render().removeprefix("错误："), self.who(target), written=0) from None

    def warm(self) -> None:
        """Load the template and compress the static zip members now (before workers fork)."""
        from jinja2 import TemplateError

        from generator.ooxml.package import base_zip
        from generator.render import environment

        with contextlib.suppress(TemplateError):  # rendering reports it properly
            environment(self.template_dir).get_template(self.spec.doctype.template)
        base_zip()

    def write(self, target: Target, *, force: bool, skip_existing: bool = False) -> Done:
        """The draft, then its tables as .xlsx when asked for and there are any.

        With ``skip_existing`` a draft that appeared since planning (another batch writing into the
        same folder) is skipped, never replaced: the final link refuses an existing name atomically.
        """
        try:
            return self._write(target, force=force, skip_existing=skip_existing)
        except DraftgenError as exc:
            raise DraftFailed(exc.render().removeprefix("错误："), self.who(target)) from None

    def _write(self, target: Target, *, force: bool, skip_existing: bool) -> Done:
        from generator.ooxml import write_docx

        if skip_existing and os.path.lexists(target.path):
            return Done(target)
        draft, doc = self.built(target.index)
        try:
            write_docx(doc, target.path, force=force)
        except AlreadyExists:
            if skip_existing:
                return Done(target)
            raise
        explained = None
        if self.explain:
            from generator.explain import explain_draft

            explained = explain_draft(draft, doc, self.composer.bank, compare=self.compare)
        if self.xlsx:
            from generator.xlsx import write_xlsx

            sheet = target.path.with_suffix(".xlsx")
            try:
                if write_xlsx(doc, sheet, force=force):
                    return Done(target, (target.path, sheet), explained)
            except AlreadyExists:
                if not skip_existing:
                    raise
        return Done(target, (target.path,), explained)


def document_meta(draft: Any) -> dict[str, str]:
    """Properties stored in the .docx so that ``import`` can recover the request and ``check`` the chains."""
    from generator import __version__
    from generator.chains import META_KEY, chains_of, record

    spec = draft.spec
    meta = {
        "doctype": spec.doctype.id, "meeting": spec.meeting, "unit": spec.unit, "date": spec.date.isoformat(),
        "name": draft.person.name if draft.person else "", "role": draft.person.role if draft.person else "",
        "post": draft.person.post if draft.person else "", "preset": spec.preset or "",
        "dimensions": "、".join(spec.dimensions or ()), "seed": str(spec.seed),
        "areas": "、".join(a.heading for a in spec.areas), "generator": f"draftgen {__version__}",
    }
    if any(True for _ in draft.problems):
        meta[META_KEY] = record(chains_of(draft))
    return meta
