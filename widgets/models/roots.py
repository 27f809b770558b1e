"""Root localiser: the bedside findings ticked in, the most likely nerve root and disc out, with a quiz judge.

The rule is the course's, taught from the root table (assets/roots.yaml, reference sheet 4.6 and 9.3):

- each finding points to one root, or to two where the tables differ or a test covers both; each root scores the
  sum of the weights (assets/roots.yaml `weight`) of the ticked findings that point to it;
- a root is named only when a neurological deficit (weakness, sensory loss or a reflex) supports it and it scores
  more than every other root; two roots on the same top score are a tie, and the examination does not choose;
- tension signs alone show an irritated root, not its level; nothing ticked localises nothing;
- a deficit that points away from the root named makes the picture mixed, which is said, with the red flags
  that matter when more than one root may be caught;
- the disc named is the one whose paracentral herniation usually compresses that root (L3/4 -> L4, L4/5 -> L5,
  L5/S1 -> S1); a far-lateral disc one level lower is the exception.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from widgets.content.loader import Content
from widgets.content.schema import CANT_TELL, ROOT_FINDING_KINDS, NerveRoot, RootFinding, RootVignette

DEFICITS = ("weakness", "sensory", "reflex")  # the kinds of finding that can name a level
KIND_LABELS = {"weakness": "Weakness", "sensory": "Sensory loss", "reflex": "Reflexes", "tension": "Tension signs"}
KIND_FIELDS = {"weakness": "myotome", "sensory": "dermatome", "reflex": "reflex"}  # the root table's column
COLUMN_LABELS = {"myotome": "myotome", "dermatome": "dermatome", "reflex": "reflex"}


@dataclass(frozen=True)
class Evidence:
    """One ticked finding, read against the root table."""

    id: str
    label: str
    kind: str
    roots: tuple[str, ...]  # root names it points to ("L5", "S1")
    fits: bool | None  # it points to the root named; None when no root is named
    row: str  # what the root table says that this finding matches ("L5 myotome: ..."), or the finding's note
    note: str
    sources: tuple[str, ...]  # labels


@dataclass(frozen=True)
class Caveat:
    id: str
    text: str
    sources: tuple[str, ...]  # labels


@dataclass(frozen=True)
class Localisation:
    """The model's answer for one set of findings."""

    root: str | None  # root id, or None when the examination does not name one
    root_name: str  # "L5", or ""
    disc: str  # "L4/5", or ""
    disc_text: str  # the root table's sentence on the disc (with the far-lateral exception)
    candidates: tuple[str, ...]  # root names on the top score (two in a tie); empty when nothing points anywhere
    scores: tuple[tuple[str, int], ...]  # (root name, score) for every root, in table order
    mixed: bool  # a deficit points to a root other than the one named (or two roots tie)
    summary: str  # one sentence
    evidence: tuple[Evidence, ...]
    caveats: tuple[Caveat, ...]
    lit: tuple[str, ...] = ()  # root ids a map lights: the root named, or the roots that tie

    @property
    def localised(self) -> bool:
        return self.root is not None


@dataclass(frozen=True)
class QuizVerdict:
    kind: str  # "ok", "warn" or "bad" (render/html.py STATUS)
    word: str  # "Correct", "Partly right", "Not quite"
    text: str
    root_right: bool
    disc_right: bool
    answer: Localisation


class RootLocaliser:
    """The findings of assets/roots.yaml, and the rule above."""

    def __init__(self, content: Content):
        exam = content.root_exam
        if exam is None or not exam.findings:
            raise ValueError("the content has no bedside findings for the root localiser (roots.yaml: findings)")
        self.content = content
        self.roots: dict[str, NerveRoot] = dict(content.roots)
        self.findings: dict[str, RootFinding] = {f.id: f for f in exam.findings}
        self.caveats = list(exam.caveats)
        self.vignettes: dict[str, RootVignette] = {v.id: v for v in exam.vignettes}

    # --- what the view offers ---------------------------------------------------------------------

    def groups(self) -> list[tuple[str, list[RootFinding]]]:
        """The findings grouped by kind, in the order of ROOT_FINDING_KINDS: [(kind label, findings)]."""
        return [(KIND_LABELS[k], [f for f in self.findings.values() if f.kind == k])
                for k in ROOT_FINDING_KINDS if any(f.kind == k for f in self.findings.values())]

    def root_options(self) -> list[tuple[str, str]]:
        return [(r.root, rid) for rid, r in self.roots.items() if r.disc] + [("Can't tell", CANT_TELL)]

    def disc_options(self) -> list[tuple[str, str]]:
        return [(r.disc, r.disc) for r in self.roots.values() if r.disc] + [("Can't tell", CANT_TELL)]

    # --- the rule ---------------------------------------------------------------------------------

    def _ticked(self, finding_ids: Iterable[str]) -> list[RootFinding]:
        ids = list(dict.fromkeys(finding_ids))
        unknown = [f for f in ids if f not in self.findings]
        if unknown:
            raise ValueError(f"unknown finding {unknown[0]!r}; the findings are {', '.join(self.findings)}")
        return [self.findings[f] for f in self.findings if f in ids]  # in the table's order

    def _labels(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.content.source_label(s) for s in ids)

    def localise(self, finding_ids: Iterable[str]) -> Localisation:
        """The most likely root and disc for the ticked findings, with the reasons and caveats."""
        ticked = self._ticked(finding_ids)
        scores = {rid: sum(f.weight for f in ticked if rid in f.roots) for rid in self.roots}
        deficit = {rid: any(rid in f.roots for f in ticked if f.kind in DEFICITS) for rid in self.roots}
        best = max(scores.values(), default=0)
        top = [rid for rid, sc in scores.items() if sc == best and sc > 0]
        named = [rid for rid in top if deficit[rid]]
        root = named[0] if len(top) == 1 and named else None
        tie = len(top) > 1 and any(deficit[r] for r in top)
        mixed = root is not None and any(f.kind in DEFICITS and root not in f.roots for f in ticked)
        names = tuple(self.roots[r].root for r in top)
        evidence = tuple(self._evidence(f, root) for f in ticked)

        if not ticked:
            summary = "Nothing found: the examination does not localise a root."
        elif root is not None:
            r = self.roots[root]
            summary = f"The findings point to {r.root}, usually compressed by a paracentral {r.disc} disc."
            if mixed:
                others = sorted({self.roots[x].root for f in ticked if f.kind in DEFICITS and root not in f.roots
                                 for x in f.roots})
                summary += f" Some findings point to {' and '.join(others)} instead: the picture is mixed."
        elif tie:
            summary = (f"The findings fit {' and '.join(names)} equally: the examination cannot choose between "
                       "them.")
        else:
            summary = (f"Only tension signs: a root is irritated ({' or '.join(names)}), but they do not say which "
                       "one.")

        events = {"always"} | {f.kind for f in ticked} | {f.id for f in ticked}
        events |= {"nothing"} if not ticked else set()
        events |= {"localised"} if root else set()
        events |= {"tie"} if tie else set()
        events |= {"mixed"} if mixed or tie else set()
        caveats = tuple(Caveat(c.id, c.text, self._labels(c.sources)) for c in self.caveats if c.when in events)
        r = self.roots[root] if root else None
        return Localisation(
            root=root,
            root_name=r.root if r else "",
            disc=r.disc if r else "",
            disc_text=r.typical_disc if r else "",
            candidates=names,
            scores=tuple((self.roots[rid].root, sc) for rid, sc in scores.items()),
            mixed=mixed or tie,
            summary=summary,
            evidence=evidence,
            caveats=caveats,
            lit=(root,) if root else tuple(top) if tie else (),
        )

    def _evidence(self, f: RootFinding, root: str | None) -> Evidence:
        names = tuple(self.roots[r].root for r in f.roots)
        column = KIND_FIELDS.get(f.kind)
        shown = root if root in f.roots else f.roots[0]
        if column:
            r = self.roots[shown]
            row = f"{r.root} {COLUMN_LABELS[column]}: {getattr(r, column)}"
        else:
            row = f.note
        return Evidence(f.id, f.label, f.kind, names, None if root is None else root in f.roots, row,
                        f.note if column else "", self._labels(f.sources))

    # --- the quiz ---------------------------------------------------------------------------------

    def judge(self, finding_ids: Iterable[str], root_choice: str, disc_choice: str) -> QuizVerdict:
        """The learner's root (a root id or CANT_TELL) and disc ("L4/5" or CANT_TELL), judged against localise()."""
        roots = {v for _, v in self.root_options()}
        discs = {v for _, v in self.disc_options()}
        if root_choice not in roots:
            raise ValueError(f"choose a root ({', '.join(label for label, _ in self.root_options())})")
        if disc_choice not in discs:
            raise ValueError(f"choose a disc ({', '.join(label for label, _ in self.disc_options())})")
        answer = self.localise(finding_ids)
        want_root = answer.root or CANT_TELL
        want_disc = answer.disc or CANT_TELL
        root_right = root_choice == want_root
        disc_right = disc_choice == want_disc
        said_root = self.roots[root_choice].root if root_choice in self.roots else "can't tell"
        said_disc = "can't tell" if disc_choice == CANT_TELL else disc_choice
        if answer.root:
            expected = f"the root is {answer.root_name} and the disc {answer.disc}"
        else:
            expected = "the examination does not name a root, so neither a root nor a disc can be named"
        far = answer.root is not None and disc_choice == self.roots[answer.root].far_lateral_disc
        if root_right and disc_right:
            kind, word = "ok", "Correct"
            text = f"You chose {said_root} and {said_disc}: {expected}. {answer.summary}"
        elif root_right and far:
            kind, word = "warn", "Partly right"
            text = (f"{answer.root_name} is right, but an {disc_choice} disc catches it only when it herniates far "
                    f"laterally (into the foramen), the exception; a paracentral {answer.disc} disc is the usual "
                    f"cause. {answer.summary}")
        elif root_right:
            kind, word = "warn", "Partly right"
            text = (f"The root ({said_root}) is right, but not the disc ({said_disc}): {expected}. "
                    f"{answer.summary}")
        elif disc_right and answer.root:
            kind, word = "warn", "Partly right"
            text = f"The disc ({said_disc}) is right, but not the root ({said_root}): {expected}. {answer.summary}"
        else:
            kind, word = "bad", "Not quite"
            text = f"You chose {said_root} and {said_disc}, but {expected}. {answer.summary}"
        return QuizVerdict(kind, word, text, root_right, disc_right, answer)

    def vignette_problems(self) -> list[str]:
        """Each practice patient whose expected answer is not the model's, in words (empty when all agree)."""
        out = []
        for v in self.vignettes.values():
            answer = self.localise(v.findings)
            got = (answer.root or CANT_TELL, answer.disc or CANT_TELL)
            if got != (v.root, v.disc):
                out.append(f"vignette {v.id!r}: expects {v.root}, {v.disc}; the model says {got[0]}, {got[1]}")
        return out
