"""The STarT Back screening tool (9 items, reference sheet 3.6): a patient's answers give a total score, a
psychosocial subscale and a risk group, and the group its matched care (7.7; assets/ladder.yaml). Pure.
Teaching material, not clinical advice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from widgets.content import schema as s
from widgets.content.loader import Content

ITEMS = ("leg_pain", "shoulder_or_neck_pain", "walked_only_short_distances", "dressed_more_slowly",
         "not_safe_to_be_active", "worrying_thoughts", "terrible_never_better", "not_enjoyed_things")
PSYCHOSOCIAL = ITEMS[4:]  # items 5-8, with item 9 (bothersomeness)
BOTHERSOME_POSITIVE = ("very_much", "extremely")
QUESTIONS = (*ITEMS, "bothersome")  # the nine items in the tool's order
# Each item in the course's own short words (sheet 3.6 gives the items, "thinking about the last 2 weeks").
WORDING = {
    "leg_pain": "back pain has spread down the leg(s)",
    "shoulder_or_neck_pain": "pain in the shoulder or neck",
    "walked_only_short_distances": "walked only short distances because of back pain",
    "dressed_more_slowly": "dressed more slowly than usual because of back pain",
    "not_safe_to_be_active": "not really safe for someone like me to be active (fear)",
    "worrying_thoughts": "worrying thoughts a lot of the time (anxiety)",
    "terrible_never_better": "the pain is terrible and will never get better (catastrophising)",
    "not_enjoyed_things": "not enjoyed the things I used to enjoy (low mood)",
    "bothersome": "how bothersome the back pain has been overall",
}
BOTHER_WORDS = {"not_at_all": "Not at all", "slightly": "Slightly", "moderately": "Moderately",
                "very_much": "Very much", "extremely": "Extremely"}


@dataclass(frozen=True)
class StartBackResult:
    total: int  # 0-9
    psychosocial: int  # 0-5
    group: str  # low, medium or high
    care: str  # the matched care
    sources: tuple[str, ...]


def score(answers: s.StartBackAnswers, content: Content) -> StartBackResult:
    """Items 1-8 agree = 1, item 9 = 1 when very much or extremely bothersome; total 3 or less is low risk,
    a psychosocial subscale of 4 or more is high, the rest medium."""
    ninth = int(answers.bothersome in BOTHERSOME_POSITIVE)
    total = sum(getattr(answers, i) == "agree" for i in ITEMS) + ninth
    psychosocial = sum(getattr(answers, i) == "agree" for i in PSYCHOSOCIAL) + ninth
    group = "low" if total <= 3 else "high" if psychosocial >= 4 else "medium"
    care = next((c for c in content.ladder.stratified_care if c.group == group), None)
    if care is None:
        raise ValueError(f"ladder.yaml: stratified_care: no entry for the {group} risk group")
    return StartBackResult(total, psychosocial, group, care.care,
                           tuple(content.source_label(x) for x in care.sources))


@dataclass(frozen=True)
class Incomplete:
    """Some items are unanswered: no score, because the sheet gives no rule for scoring STarT Back with an item
    missing and the course does not invent one."""

    missing: tuple[tuple[int, str], ...]  # (item number, its wording)

    @property
    def message(self) -> str:
        items = "; ".join(f"item {n}, {text}" for n, text in self.missing)
        many = len(self.missing) > 1
        return (f"{len(self.missing)} of the 9 items {'are' if many else 'is'} not answered ({items}), so no score "
                "or risk group is given. The reference sheet gives no rule for scoring the tool with an item "
                "missing, and the course does not make one up: answer every item.")


def score_partial(answers: Mapping[str, str | None], content: Content) -> StartBackResult | Incomplete:
    """Score a learner's own answers, some of which may be unanswered (None or absent): the result when all nine
    are answered, otherwise Incomplete naming each unanswered item by number and wording. An unknown item or an
    answer the tool does not offer is a ValueError."""
    unknown = sorted(set(answers) - set(QUESTIONS))
    if unknown:
        raise ValueError(f"STarT Back has no item called {unknown[0]!r}")
    missing = tuple((n, WORDING[q]) for n, q in enumerate(QUESTIONS, 1) if answers.get(q) is None)
    if missing:
        return Incomplete(missing)
    for n, q in enumerate(QUESTIONS, 1):
        allowed = BOTHER_WORDS if q == "bothersome" else ("agree", "disagree")
        if answers[q] not in allowed:
            raise ValueError(f"STarT Back item {n}: {answers[q]!r} is not one of its answers")
    return score(s.StartBackAnswers(**{q: answers[q] for q in QUESTIONS}), content)
