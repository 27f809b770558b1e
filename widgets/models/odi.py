"""The Oswestry Disability Index (ODI, reference sheet 3.6): ten sections scored 0 to 5 give a disability index in
percent, its interpretation band, and whether a change between two indices reaches the minimal important change
(Ostelo 2008; sheet 3.6 and 8.3). Pure. Teaching material, not clinical advice.

The section names and the six level anchors are the course's own short words, not the questionnaire's statements.
Two rules here are the course's choices, because the sheet gives none: an index needs at least MIN_ANSWERED of the
ten sections answered, and it is rounded to one decimal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from widgets.content.numbers import number

# (field in the case files, short name on screen), in the questionnaire's order (sheet 3.6)
SECTIONS = (
    ("pain_intensity", "Pain intensity"),
    ("personal_care", "Personal care (washing, dressing)"),
    ("lifting", "Lifting"),
    ("walking", "Walking"),
    ("sitting", "Sitting"),
    ("standing", "Standing"),
    ("sleeping", "Sleeping"),
    ("sex_life", "Sex life (may be left out when not applicable)"),
    ("social_life", "Social life"),
    ("travelling", "Travelling"),
)
SECTION_NAMES = dict(SECTIONS)
# The course's own anchors for the six levels of every section (not the questionnaire's wording).
LEVELS = (
    "no difficulty",
    "slight difficulty",
    "moderate difficulty",
    "marked difficulty, needs help or avoids some of it",
    "severe difficulty, manages very little of it",
    "cannot do it at all, or as bad as it gets",
)
ANCHOR_NOTE = ("Section names and level descriptions are the course's own short words, not the questionnaire's "
               "statements, which are copyrighted: use the licensed form with patients.")

MIN_ANSWERED = 5  # the course's choice, not the sheet's: no index from fewer than half the ten sections
MIN_RULE = (f"The course computes no index from fewer than {MIN_ANSWERED} of the 10 sections (half of them). "
            "This threshold is the course's own choice: the reference sheet gives no rule for missing sections.")
MIC_POINTS = 10.0  # minimal important change on the 0-100 index (Ostelo 2008; sheet 3.6, 8.3)
MIC_SHARE = 0.30  # or an improvement of 30% from baseline (Ostelo 2008; sheet 3.6, 8.3)
SOURCE = "REF 3.6"  # the sections, the formula and the bands
MIC_SOURCE = "Ostelo 2008; REF 3.6, 8.3"


@dataclass(frozen=True)
class Band:
    """One of the questionnaire's interpretation bands (sheet 3.6). `label` is the band's name as the sheet gives
    it; `quoted` marks an old label shown in quotation marks with `note` beside it."""

    low: int
    high: int
    label: str
    suggests: str  # what the band was taken to call for, as the sheet summarises it ("" where it gives nothing)
    quoted: bool = False
    note: str = ""

    @property
    def name(self) -> str:
        return f"\u201c{self.label}\u201d" if self.quoted else self.label


BANDS = (
    Band(0, 20, "minimal disability", "advice on lifting, sitting and exercise"),
    Band(21, 40, "moderate disability", "usually conservative care"),
    Band(41, 60, "severe disability", "a detailed investigation"),
    Band(61, 80, "crippled", "a positive intervention", quoted=True,
         note="This is the questionnaire's own old label for the band, kept in quotation marks as its historical "
              "name; the course would say very severe disability."),
    Band(81, 100, "bed-bound or exaggerating", "", quoted=True,
         note="This label is the original authors', not the course's. The course never uses a score to judge "
              "whether someone is honest: a very high index asks for a careful clinical look, not a verdict."),
)


def band(index: float) -> Band:
    """The band for an index of 0-100. The sheet's bands are whole numbers (0-20, 21-40, ...); each band here runs
    up to and including its upper edge, so 20 is minimal and anything above 20 up to 40 is moderate."""
    if not 0 <= index <= 100:
        raise ValueError(f"an ODI index is 0 to 100, got {number(index)}")
    return next(b for b in BANDS if index <= b.high)


@dataclass(frozen=True)
class OdiResult:
    index: float  # percent, rounded to one decimal
    total: int  # sum of the answered sections
    answered: tuple[str, ...]  # section fields used
    missing: tuple[str, ...]  # section fields left out
    band: Band

    @property
    def possible(self) -> int:
        return 5 * len(self.answered)


@dataclass(frozen=True)
class OdiRefused:
    """Too few sections answered for an index (the course's rule, MIN_ANSWERED)."""

    answered: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def message(self) -> str:
        names = ", ".join(SECTION_NAMES[m].split(" (")[0].lower() for m in self.missing)
        return (f"Only {len(self.answered)} of the 10 sections are answered, so no index is given. Not answered: "
                f"{names}. {MIN_RULE}")


def read_answers(answers: Mapping[str, int | None]) -> dict[str, int | None]:
    """Every section's answer (None when unanswered); an unknown section or a level outside 0-5 is an error."""
    unknown = sorted(set(answers) - set(SECTION_NAMES))
    if unknown:
        raise ValueError(f"no ODI section called {unknown[0]!r}")
    read: dict[str, int | None] = {}
    for key, name in SECTIONS:
        value = answers.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5):
            raise ValueError(f"ODI section {name.split(' (')[0].lower()}: a level is 0 to 5, got {value!r}")
        read[key] = value
    return read


def score(answers: Mapping[str, int | None]) -> OdiResult | OdiRefused:
    """Index (%) = sum of the answered sections / (5 x sections answered) x 100 (sheet 3.6), to one decimal;
    refused when fewer than MIN_ANSWERED sections are answered."""
    read = read_answers(answers)
    answered = tuple(k for k, v in read.items() if v is not None)
    missing = tuple(k for k, v in read.items() if v is None)
    if len(answered) < MIN_ANSWERED:
        return OdiRefused(answered, missing)
    total = sum(v for v in read.values() if v is not None)
    index = round(total / (5 * len(answered)) * 100, 1)
    return OdiResult(index, total, answered, missing, band(index))


@dataclass(frozen=True)
class OdiChange:
    earlier: float
    now: float
    points: float  # improvement in index points (earlier - now; higher is more disabled, so positive is better)
    share: float | None  # improvement as a share of the earlier index; None when the earlier index was 0
    reaches_mic: bool  # an improvement of at least MIC_POINTS
    reaches_share: bool  # an improvement of at least MIC_SHARE of the earlier index

    @property
    def direction(self) -> str:
        return "better" if self.points > 0 else "worse" if self.points < 0 else "unchanged"


def change(earlier: float, now: float) -> OdiChange:
    """The change from an earlier index to the present one, judged against the minimal important change: 10 points,
    or a 30% improvement from the earlier index (Ostelo 2008; sheet 3.6 and 8.3). Both thresholds are for
    improvement; a worse score reaches neither."""
    for what, value in (("earlier", earlier), ("present", now)):
        if not 0 <= value <= 100:
            raise ValueError(f"the {what} ODI index is 0 to 100, got {number(value)}")
    points = round(earlier - now, 1)
    share = None if earlier == 0 else points / earlier
    return OdiChange(earlier, now, points, share, points >= MIC_POINTS,
                     share is not None and round(share, 4) >= MIC_SHARE)
