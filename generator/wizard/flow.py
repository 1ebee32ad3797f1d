"""The order of the questions: document, member, each review area, causes, optional sections.

Every step shows its pre-filled answer and stores the new one in ``Answers`` at
once, so Ctrl-C at any prompt leaves everything answered so far to be saved.
:meth:`Wizard.fill_missing` asks only what has no answer: a change on the
review screen clears what depends on it and then fills the gaps, which is how
a member goes back without a back key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from generator.questions import Context, Question, question
from generator.wizard.answers import NO_NAME, Answers, AreaAnswers, Pick
from generator.wizard.ask import ask, lines, parse_error
from generator.wizard.prompts import Option, Prompter

if TYPE_CHECKING:
    from generator.bank import Phrase
    from generator.spec import Spec
    from generator.taxonomy import Area, DocType
    from generator.wizard.suggest import BankView

ADD = "\0add"  # the list entry that opens a prompt for one's own text
OWN_AREAS = "\0dimensions"  # the preset list entry for choosing dimensions instead
KIND_NAMES = {"problem": "问题", "cause": "原因分析", "measure": "整改措施"}
DOCUMENT_KEYS = ("template", "meeting", "unit", "date")
MEMBER_KEYS = ("name", "role", "post")
SECTION_KEYS = ("sections.last_year", "sections.case_study")


def short(text: str, size: int = 24) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def cn(n: int) -> str:
    from generator.render import cn_number

    return cn_number(n)


class Wizard:
    """Asks the questions of one draft for one member, keeping every answer in ``answers``."""

    def __init__(self, answers: Answers, prompter: Prompter, ctx: Context) -> None:
        self.a = answers
        self.p = prompter
        self.ctx = ctx
        self._view: BankView | None = None
        self._view_key: tuple[Any, ...] = ()

    # ----------------------------------------------------------------- state

    def value(self, key: str) -> Any:
        """The answer to ``key``, or its default given the other answers."""
        value = self.a.values.get(key)
        return question(key).default_value(self.ctx, self.a.values) if value is None else value

    @property
    def doctype(self) -> DocType:
        from generator.taxonomy import doctypes, find_doctype

        return find_doctype(str(self.value("template"))) or doctypes()[0]

    def areas(self) -> tuple[Area, ...]:
        from generator.taxonomy import areas_from_dimensions, presets

        if self.a.values.get("dimensions"):
            return areas_from_dimensions(self.a.values["dimensions"])
        found = presets(self.ctx.preset_dirs)
        preset = self.value("preset")
        return found[preset].areas if preset in found else ()

    def base_spec(self) -> Spec:
        """The answers so far without the member's texts: what batch would draft for this member."""
        from generator.spec import build_spec
        from generator.yamlio import dump_yaml, parse_yaml

        data = Answers(values=dict(self.a.values), options=self.a.options).to_data()
        data.setdefault("name", NO_NAME)
        return build_spec(parse_yaml(dump_yaml(data), "向导的回答"), self.ctx)

    def view(self) -> BankView:
        """Candidates and defaults; the bank is loaded only now, at the first area, not before the first prompt."""
        key = (self.value("template"), self.areas(), self.value("problems_per_area"), self.value("seed"),
               tuple(self.a.options.items()))
        if self._view is None or key != self._view_key:
            from generator.bank import load_bank
            from generator.wizard.suggest import BankView

            self._view, self._view_key = BankView(self.base_spec(), load_bank()), key
        return self._view

    # ----------------------------------------------------------------- the main run

    def run(self, skip: Sequence[str] = ()) -> None:
        """Ask every question once, in order, each pre-filled (``skip``: asked already)."""
        for key in DOCUMENT_KEYS:
            if key not in skip:
                self.ask(key)
        self.ask_areas()
        self.ask("problems_per_area")
        if self.doctype.per_person:
            for key in MEMBER_KEYS:
                self.ask(key)
            for i, area in enumerate(self.areas()):
                self.ask_area(i, area)
            self.ask_causes()
        else:
            self.p.say("  班子（支部）材料的问题、原因和措施由 draftgen 按所选方面从词库选取，生成后可在 Word 中修改。",
                       "class:note")
        for key in SECTION_KEYS:
            self.ask(key)
        # Asked only on the review screen.  The seed is written to the answers file; the file name
        # pattern only when changed, since its default follows the document type.
        self.a.values.setdefault("seed", self.value("seed"))

    def fill_missing(self) -> None:
        """Ask only what has no answer (after a change on the review screen)."""
        if not self.doctype.per_person:
            return
        if not self.a.values.get("name"):
            self.ask("name")
        k = self.value("problems_per_area")
        for i, area in enumerate(self.areas()):
            entry = self.a.area(area.heading)
            if entry.problems is None or len(entry.problems) != k:
                self.ask_area(i, area)
        if self.a.causes is None or self.a.causes_for != self.a.problem_texts():
            self.ask_causes()

    def ask(self, key: str) -> None:
        q = question(key)
        if q.applies(self.a.values):
            self.a.values[key] = ask(self.p, q, self.value(key), self.ctx, self.a.values)

    def ask_areas(self) -> None:
        """A preset, or the member's own choice of dimensions (the ``preset`` and ``dimensions`` questions)."""
        from generator.taxonomy import presets

        q = question("preset")
        found = presets(self.ctx.preset_dirs)

        def options(q: Question) -> list[Option]:
            listed = [Option(pid, f"{pid}：{'、'.join(a.heading for a in p.areas)}") for pid, p in found.items()]
            return [*listed, Option(OWN_AREAS, "不用预设，自选维度……")]

        current = OWN_AREAS if self.a.values.get("dimensions") else self.value("preset")
        if q.help:
            self.p.say(f"  {q.help}", "class:help")
        choice = self.p.select(q.prompt, options(q), default=current)
        if choice == OWN_AREAS:
            self.a.values["preset"] = None
            dims = question("dimensions")
            self.a.values["dimensions"] = ask(self.p, dims, self.a.values.get("dimensions"), self.ctx, self.a.values)
        else:
            self.a.values["preset"] = q.parse(choice, self.ctx)
            self.a.values.pop("dimensions", None)
        headings = {a.heading for a in self.areas()}
        for heading in [h for h in self.a.areas if h not in headings]:
            del self.a.areas[heading]

    # ----------------------------------------------------------------- one area

    def ask_area(self, index: int, area: Area) -> None:
        view = self.view()
        entry = self.a.area(area.heading)
        k = int(self.value("problems_per_area"))
        self.p.say(f"\n（{cn(index + 1)}）{area.heading}方面", "class:note")
        start = view.default_problems(area, view.match("problem", entry.problems or []), k)
        entry.problems = self.choose("problem", f"{area.heading}：选 {k} 条问题", start, entry.own_problems,
                                     view.candidates("problem", area), _exactly(k), area)
        entry.facts = self.ask_facts(area, entry)
        self.choose_measures(area, entry)

    def ask_facts(self, area: Area, entry: AreaAnswers) -> tuple[str, ...]:
        q = question("facts")
        self.p.say(f"  {q.help}", "class:help")
        raw = self.p.multiline(f"{q.prompt}（每行一条，可不填）", "\n".join(entry.facts or ()),
                               check=lambda s: parse_error(q, {area.heading: lines(s)}, self.ctx))
        facts: tuple[str, ...] = q.parse({area.heading: lines(raw)}, self.ctx).get(area.heading, ())
        return facts

    def choose_measures(self, area: Area, entry: AreaAnswers) -> None:
        view = self.view()
        problems = entry.problems or []
        texts = tuple(p.text for p in problems)
        if entry.measures is not None and entry.measures_for == texts:
            start = view.match("measure", entry.measures)
        else:
            start = view.default_measures(area, problems)
        extra = [a.dimension for a in (view.anchor(p, area) for p in problems if p.own) if a]
        entry.measures = self.choose("measure", f"{area.heading}：整改措施（已按所选问题预选）", start,
                                     entry.own_measures, view.candidates("measure", area, extra),
                                     _at_least(len(problems), "每条问题至少要有一条措施回应"), area)
        entry.measures_for = texts

    def ask_causes(self) -> None:
        view = self.view()
        areas = self.areas()
        texts = self.a.problem_texts()
        if self.a.causes is not None and self.a.causes_for == texts:
            start = view.match("cause", self.a.causes)
        else:
            start = view.default_causes(areas, {h: e.problems or [] for h, e in self.a.areas.items()})
        pool: list[Phrase] = []
        for area in areas:
            pool += [c for c in view.candidates("cause", area) if c not in pool]
        self.p.say("\n问题产生的原因", "class:note")
        self.a.causes = self.choose("cause", "原因分析（已按所选问题预选）", start, self.a.own_causes, pool,
                                    _at_least(1, "至少选一条原因"), None)
        self.a.causes_for = texts

    # ----------------------------------------------------------------- choosing entries

    def choose(self, kind: str, message: str, start: Sequence[Pick], own: list[str], pool: Sequence[Phrase],
               check: Callable[[list[Any]], str | None], area: Area | None) -> list[Pick]:
        """A checkbox of the member's own texts and the bank's candidates, ``start`` checked; the last entry
        opens a prompt to type one's own, after which the list is shown again."""
        view = self.view()
        for pick in start:
            if pick.own and pick.text not in own:
                own.append(pick.text)
        first = [view.bank.get(p.phrase_id) for p in start if p.phrase_id]
        ordered = [p for p in first if p is not None] + [p for p in pool if p not in first]
        selected = {_value(p) for p in start}
        while True:
            options = [Option(f"own:{t}", "【自己写】" + short(t), f"own:{t}" in selected, t) for t in own]
            options += [Option(f"bank:{p.id}", p.title or short(p.text), f"bank:{p.id}" in selected, p.text)
                        for p in ordered]
            options.append(Option(ADD, f"＋ 自己写一条{KIND_NAMES[kind]}……", action=True))
            chosen = self.p.checkbox(message, options, lambda vs: None if ADD in vs else check(list(vs)))
            selected = {v for v in chosen if v != ADD}
            picks = [self._pick(o.value) for o in options if o.value in selected]
            if ADD not in chosen:
                return picks
            typed = self.type_own(kind, area)
            if typed and typed not in own:
                own.append(typed)
            if typed:
                selected.add(f"own:{typed}")

    def _pick(self, value: str) -> Pick:
        source, _, rest = value.partition(":")
        phrase = self.view().bank.get(rest) if source == "bank" else None
        return Pick(self.view().text_of(phrase), phrase.id) if phrase else Pick(rest)

    def type_own(self, kind: str, area: Area | None) -> str | None:
        """One own text, parsed by the same question as the spec's ``problems``/``causes``/``measures``."""
        q = question({"problem": "problems", "cause": "causes", "measure": "measures"}[kind])
        heading = area.heading if area else ""

        def wrap(raw: str) -> Any:
            return {heading: raw} if q.type == "areatexts" else raw

        self.p.say(f"  {q.help}", "class:help")
        raw = self.p.text(f"{q.prompt}（直接回车则不写）", "",
                          check=lambda s: parse_error(q, wrap(s), self.ctx) if s.strip() else None)
        if not raw.strip():
            return None
        parsed = q.parse(wrap(raw), self.ctx)
        text = str(parsed[heading][0] if q.type == "areatexts" else parsed[0])
        if kind == "problem" and area is not None:
            self.explain_own(text, area)
        return text

    def explain_own(self, text: str, area: Area) -> None:
        """Say what the classifier makes of an own problem, and which bank problem its suggestions follow."""
        view = self.view()
        verdict = view.classify(text)
        if verdict.kind in ("cause", "measure"):
            self.p.say(f"  提示：这句话读起来更像{KIND_NAMES[verdict.kind]}；问题一般写出“……不够”“……不足”等表现。",
                       "class:warn")
        if not verdict.dimension:
            self.p.say("  没能判断这条问题属于哪个维度，原因和措施按本方面预选。", "class:note")
        else:
            where = "与本方面一致" if verdict.dimension in area.dimensions else \
                f"本方面对应“{'、'.join(area.dimensions)}”，措施也会从“{verdict.dimension}”中推荐"
            self.p.say(f"  这条问题看起来属于“{verdict.dimension}”维度，{where}。", "class:note")
        anchor = view.anchor(Pick(text), area)
        if anchor is not None:
            self.p.say(f"  原因和措施将参照词库中最接近的问题“{anchor.title or short(anchor.text)}”预选。",
                       "class:note")


def _value(pick: Pick) -> str:
    return f"bank:{pick.phrase_id}" if pick.phrase_id else f"own:{pick.text}"


def _exactly(k: int) -> Callable[[list[Any]], str | None]:
    def check(values: list[Any]) -> str | None:
        if len(values) == k:
            return None
        return f"请选 {k} 条，现在选了 {len(values)} 条（每个方面的条数可在最后的核对页修改）"

    return check


def _at_least(n: int, why: str) -> Callable[[list[Any]], str | None]:
    def check(values: list[Any]) -> str | None:
        return None if len(values) >= n else f"请至少选 {n} 条：{why}"

    return check
