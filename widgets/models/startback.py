"""The STarT Back screening tool (9 items, reference sheet 3.6): a patient's answers give a total score, a
psychosocial subscale and a risk group, and the group its matched care (7.7; assets/ladder.yaml). Pure.
Teaching material, not clinical advice."""

from __future__ import annotations

from dataclasses import dataclass

from widgets.content import schema as s
from widgets.content.loader import Content

ITEMS = ("leg_pain", "shoulder_or_neck_pain", "walked_only_short_distances", "dressed_more_slowly",
         "not_safe_to_be_active", "worrying_thoughts", "terrible_never_better", "not_enjoyed_things")
PSYCHOSOCIAL = ITEMS[4:]  # items 5-8, with item 9 (bothersomeness)
BOTHERSOME_POSITIVE = ("very_much", "extremely")


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
