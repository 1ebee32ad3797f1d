"""The order of the questions: document, member, each review area, causes, last year's rectification.

The questions are a list of steps (:meth:`Wizard.steps`: "q:meeting", "problems:<area>",
"facts:<area>:<n>", …) walked in order; the back key (Esc) steps to the previous one with
its answer kept.  Every step shows its pre-filled answer and stores the new one in
``Answers`` at once, so Ctrl-C or kill at any prompt leaves everything answered so far,
and the text being typed, to be saved; the step's name is saved too, and a resumed
session starts there.  Questions with good defaults (date, problems per area, case study,
wording variant, file name) are asked only on the review screen.
:meth:`Wizard.fill_missing` asks only what has no answer after a change there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from generator.questions import Context, Question, question
from generator.wizard.answers import NO_NAME, Answers, AreaAnswers, Pick
from generator.wizard.ask import ask, lines, parse_error
from generator.wizard.prompts import Back, Option, Prompter

if TYPE_CHECKING:
    from generator.bank import Phrase
    from generator.spec import Spec
    from generator.taxonomy import Area, DocType
    from generator.wizard.suggest import BankView

ADD = "\0add"  # the list entry that opens a prompt for one's own text
OWN_AREAS = "\0dimensions"  # the preset list entry for choosing dimensions instead
KIND_NAMES = {"problem": "问题", "cause": "原因分析", "measure": "整改措施"}
DOCUMENT_KEYS = ("template", "meeting", "unit")
MEMBER_KEYS = ("name", "role", "post")
SECTION_KEYS = ("sections.last_year",)
FACTS_PROMPT = "这条问题的具体事例"
SILENT = ("causes",)  # steps of the main flow that ask nothing (matched to the answers, changed on review)


def title_of(text: str) -> str:
    """What a member sees of a problem: its title as the draft prints it (the member's own punctuation)."""
    from generator.compose import split_marked

    title, mark, _rest = split_marked(text)
    return title + mark if mark else title


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
               self.value("role"), self.value("post"), self.a.values.get("setting"), tuple(self.a.options.items()))
        if self._view is None or key != self._view_key:
            from generator.bank import load_bank
            from generator.wizard.suggest import BankView

            self._view, self._view_key = BankView(self.base_spec(), load_bank()), key
        return self._view

    # ----------------------------------------------------------------- the main run

    def steps(self) -> list[str]:
        """Every question of the main flow, in order, given the answers so far."""
        out = [f"q:{key}" for key in DOCUMENT_KEYS] + ["areas"]
        if self.doctype.per_person:
            out += [f"q:{key}" for key in MEMBER_KEYS]
            k = int(self.value("problems_per_area"))
            for area in self.areas():
                entry = self.a.areas.get(area.heading)
                n = len(entry.problems) if entry and entry.problems is not None else k
                out += [f"problems:{area.heading}", *(f"facts:{area.heading}:{j}" for j in range(n)),
                        f"measures:{area.heading}"]
            out.append("causes")  # not asked in the main flow: matched to the problems, changed on the review page
        out += [f"q:{key}" for key in SECTION_KEYS]
        return out

    def run(self, start: str = "") -> None:
        """Ask every question from ``start`` on (the first when not given), in order, each pre-filled;
        the back key steps back, as far as the first question."""
        steps = self.steps()
        i = steps.index(start) if start in steps else 0
        while i < len(steps):
            step = steps[i]
            try:
                self.do(step)
            except Back:
                steps = self.steps()
                i = max(0, (steps.index(step) if step in steps else i) - 1)
                while i > 0 and steps[i] in SILENT:  # a step that asks nothing is no step back
                    i -= 1
                continue
            steps = self.steps()
            i = steps.index(step) + 1 if step in steps else i + 1
        self.a.step = ""
        # Asked only on the review screen; the wording variant is written to the answers file.
        self.a.values.setdefault("seed", self.value("seed"))

    def do(self, step: str) -> None:
        """Ask one step; Ctrl-C or kill inside it keeps what was being typed (then stops the session)."""
        self.a.step = step
        kind, _, rest = step.partition(":")
        if kind == "q":
            self.ask(rest)
        elif kind == "areas":
            self.ask_areas()
            if not self.doctype.per_person:
                self.p.say("  班子（支部）材料的问题、原因和措施由 draftgen 按所选方面推荐，生成后可在 Word 中修改。",
                           "class:note")
        elif kind == "causes":
            self.match_causes()
        else:
            heading, _, j = rest.partition(":")
            area = next(a for a in self.areas() if a.heading == heading)
            index = self.areas().index(area)
            if kind == "problems":
                self.ask_problems(index, area)
            elif kind == "facts":
                self.ask_facts(area, int(j))
            else:
                self.choose_measures(area, self.a.area(area.heading))

    def fill_missing(self) -> None:
        """Ask only what has no answer (after a change on the review screen)."""
        if not self.doctype.per_person:
            return
        if not self.a.values.get("name"):
            self.do("q:name")
        k = self.value("problems_per_area")
        for area in self.areas():
            entry = self.a.area(area.heading)
            if entry.problems is None or len(entry.problems) != k:
                self.ask_area(area)
        if self.a.causes is None or self.a.causes_for != self.a.problem_texts():
            self.a.step = "causes"
            self.ask_causes()
        self.a.step = ""

    def ask(self, key: str) -> None:
        q = question(key)
        if not q.applies(self.a.values):
            return
        try:
            self.a.values[key] = ask(self.p, q, self.value(key), self.ctx, self.a.values)
        except (KeyboardInterrupt, Back):
            self._keep_typed(q)
            raise

    def _keep_typed(self, q: Question) -> None:
        """Text typed into ``q``'s box when it was left: the answer when it parses, else a note in the file."""
        typed = self.p.typed()
        if typed is None or not typed.strip() or q.type not in ("text", "longtext"):
            return
        value = typed if q.type == "text" else "\n\n".join(lines(typed))
        if parse_error(q, value, self.ctx) is None:
            self.a.values[q.key] = q.parse(value, self.ctx)
        else:
            self.a.unsaved[self.a.step] = typed

    def ask_areas(self) -> None:
        """A preset, or the member's own choice of dimensions (the ``preset`` and ``dimensions`` questions)."""
        from generator.taxonomy import presets

        q = question("preset")
        found = presets(self.ctx.preset_dirs)

        def options(q: Question) -> list[Option]:
            listed = [Option(pid, f"{pid}：{'、'.join(a.heading for a in p.areas)}") for pid, p in found.items()]
            return [*listed, Option(OWN_AREAS, "不用预设，自己选方面……")]

        current = OWN_AREAS if self.a.values.get("dimensions") else self.value("preset")
        self.p.say("  “存在的问题”分成哪几个方面：选一个会议的预设，或自己选", "class:help")
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

    def ask_area(self, area: Area) -> None:
        """The steps of one area (from the review screen): its problems, their facts, its measures."""
        self.do(f"problems:{area.heading}")
        for j in range(len(self.a.area(area.heading).problems or ())):
            self.do(f"facts:{area.heading}:{j}")
        self.do(f"measures:{area.heading}")

    def ask_problems(self, index: int, area: Area) -> None:
        view = self.view()
        entry = self.a.area(area.heading)
        k = int(self.value("problems_per_area"))
        self.p.say(f"\n（{cn(index + 1)}）{area.heading}方面", "class:note")
        start = view.default_problems(area, view.match("problem", entry.problems or []), k)
        entry.problems = self.choose("problem", f"{area.heading}：选 {k} 条问题", start, entry.own_problems,
                                     view.candidates("problem", area), _exactly(k), area, limit=k)

    def ask_facts(self, area: Area, j: int) -> None:
        """The facts of the ``j``-th chosen problem of ``area``, kept with that problem."""
        entry = self.a.area(area.heading)
        problems = entry.problems or []
        if j >= len(problems):
            return
        problem = problems[j].text
        q = question("facts")
        self.p.say(f"  第 {j + 1} 条问题：{title_of(problem)}", "class:note")
        if j == 0 and entry.facts:
            self.p.say(f"  本方面另有事例（会放在最相近的问题下）：{'；'.join(entry.facts)}", "class:note")
        self.p.say(f"  {q.help}", "class:help")
        try:
            raw = self.p.multiline(f"{FACTS_PROMPT}（可不填）", "\n".join(entry.problem_facts.get(problem, ())),
                                   check=lambda s: parse_error(q, {area.heading: lines(s)}, self.ctx))
        except (KeyboardInterrupt, Back):
            typed = self.p.typed()
            if typed is not None and lines(typed):
                entry.problem_facts[problem] = tuple(lines(typed))
            raise
        facts: tuple[str, ...] = q.parse({area.heading: lines(raw)}, self.ctx).get(area.heading, ())
        if facts:
            entry.problem_facts[problem] = facts
        else:
            entry.problem_facts.pop(problem, None)

    def choose_measures(self, area: Area, entry: AreaAnswers) -> None:
        view = self.view()
        problems = entry.problems or []
        texts = tuple(p.text for p in problems)
        elsewhere = {m.text for h, a in self.a.areas.items() if h != area.heading for m in a.measures or ()}
        if entry.measures is not None and entry.measures_for == texts:
            start = view.match("measure", entry.measures)
        else:
            start = [m for m in view.default_measures(area, problems, avoid=elsewhere)]
        extra = [a.dimension for a in (view.anchor(p, area) for p in problems if p.own) if a]
        pool = [p for p in view.candidates("measure", area, extra) if view.text_of(p) not in elsewhere]
        entry.measures = self.choose("measure", f"{area.heading}：整改措施（已按所选问题预选）", start,
                                     entry.own_measures, pool,
                                     _at_least(len(problems), "每条问题至少要有一条措施回应"), area)
        entry.measures_for = texts

    def match_causes(self) -> None:
        """The causes, chosen to answer the problems without a question (one screen fewer for the facts):
        the member's own causes and choices stay while the problems stay; the review page changes them."""
        texts = self.a.problem_texts()
        if self.a.causes is not None and self.a.causes_for == texts:
            return
        view = self.view()
        self.a.causes = view.default_causes(self.areas(), {h: e.problems or [] for h, e in self.a.areas.items()})
        self.a.causes_for = texts
        self.p.say("  原因分析已按所选问题配好，可在最后的核对页查看和修改。", "class:note")

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
               check: Callable[[list[Any]], str | None], area: Area | None, limit: int | None = None) -> list[Pick]:
        """A checkbox of the member's own texts and the bank's candidates, ``start`` checked.  The first
        entry opens a prompt to type one's own, after which the list is shown again with it checked.

        Entries are listed once each (by title and by text) and never cut: the list wraps them.
        """
        view = self.view()
        for pick in start:
            if pick.own and pick.text not in own:
                own.append(pick.text)
        first = [view.bank.get(p.phrase_id) for p in start if p.phrase_id]
        ordered: list[Phrase] = []
        seen: set[str] = set(own)
        for phrase in [p for p in first if p is not None] + list(pool):
            keys = {phrase.title or phrase.text, phrase.text, view.text_of(phrase)}
            if phrase in ordered or keys & seen or _cut(phrase):
                continue
            seen |= keys
            ordered.append(phrase)
        selected = {_value(p) for p in start}
        while True:
            options = [Option(ADD, f"＋ 自己写一条{KIND_NAMES[kind]}……", action=True)]
            options += [Option(f"own:{t}", "【自己写】" + title_of(t), f"own:{t}" in selected, t) for t in own]
            for p in ordered:
                title, text = _words(view.text_of(p), bool(p.title))
                options.append(Option(f"bank:{p.id}", title, f"bank:{p.id}" in selected, text))
            chosen = self.p.checkbox(message, options, lambda vs: None if ADD in vs else check(list(vs)),
                                     limit=limit)
            selected = {v for v in chosen if v != ADD}
            picks = [self._pick(o.value) for o in options if o.value in selected]
            if ADD not in chosen:
                return picks
            try:
                typed = self.type_own(kind, area)
            except Back:
                continue
            if typed and typed not in own:
                own.append(typed)
            if typed:  # checked at once; at the limit it takes the place of the last bank entry checked
                if limit and len(selected) >= limit:
                    bank = [o.value for o in options if o.value in selected and o.value.startswith("bank:")]
                    selected.discard((bank or sorted(selected))[-1])
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
            return {heading: raw} if q.type in ("areatexts", "areaproblems") else raw

        self.p.say(f"  {q.help}", "class:help")
        try:
            raw = self.p.text(f"{q.prompt}（直接回车则不写）", "",
                              check=lambda s: parse_error(q, wrap(s), self.ctx) if s.strip() else None)
        except KeyboardInterrupt:
            typed = self.p.typed()
            if typed and typed.strip():
                self.a.unsaved[self.a.step] = typed
            raise
        if not raw.strip():
            return None
        parsed = q.parse(wrap(raw), self.ctx)
        first = parsed[heading][0] if q.type in ("areatexts", "areaproblems") else parsed[0]
        text = str(getattr(first, "text", first))
        if kind == "problem" and area is not None:
            self.explain_own(text, area)
        return text

    def explain_own(self, text: str, area: Area) -> None:
        """Say in plain words how an own problem will be printed and what its measures follow."""
        view = self.view()
        verdict = view.classify(text)
        self.p.say(f"  这条问题将照您写的原样印出，小标题是“{title_of(text).rstrip('，；')}”。", "class:note")
        if verdict.kind in ("cause", "measure"):
            self.p.say(f"  提示：这句话读起来更像{KIND_NAMES[verdict.kind]}；问题一般写出“……不够”“……不足”等表现。",
                       "class:warn")
        if verdict.dimension and verdict.dimension not in area.dimensions:
            self.p.say(f"  它更接近“{verdict.dimension}”方面，推荐的措施也会包括这方面的。", "class:note")
        anchor = view.anchor(Pick(text), area)
        if anchor is not None:
            self.p.say(f"  推荐的原因和措施参照相近的问题“{anchor.title or anchor.text}”。", "class:note")


def _words(own: str, titled: bool) -> tuple[str, str]:
    """A list entry's title and full text from its own text (as the draft will word it)."""
    title, _sep, text = own.partition("。") if titled else (own, "", own)
    return title, text


def _cut(phrase: Phrase) -> bool:
    """An entry whose title or text was cut short when it was collected ("……体…"): not worth offering."""
    return any(t.rstrip().endswith(("…", "...")) for t in (phrase.title, phrase.text))


def _value(pick: Pick) -> str:
    return f"bank:{pick.phrase_id}" if pick.phrase_id else f"own:{pick.text}"


def _exactly(k: int) -> Callable[[list[Any]], str | None]:
    def check(values: list[Any]) -> str | None:
        if len(values) == k:
            return None
        return f"请选 {k} 条，现在选了 {len(values)} 条（每个方面写几条，可在最后的核对页修改）"

    return check


def _at_least(n: int, why: str) -> Callable[[list[Any]], str | None]:
    def check(values: list[Any]) -> str | None:
        return None if len(values) >= n else f"请至少选 {n} 条：{why}"

    return check
