"""The Oswestry Disability Index (reference sheet 3.6): worked examples, missing sections, the course's refusal
rule, the bands at their edges, and change against the minimal important change (Ostelo 2008; sheet 3.6, 8.3)."""

from __future__ import annotations

import pytest

from widgets.content.schema import OdiAnswers
from widgets.models import odi

KEYS = [k for k, _ in odi.SECTIONS]


def answers(*levels: int | None) -> dict[str, int | None]:
    return dict(zip(KEYS, levels, strict=True))


def test_the_sections_match_the_case_file_fields_and_levels_run_0_to_5():
    assert list(OdiAnswers.model_fields) == KEYS
    assert len(KEYS) == 10 and len(odi.LEVELS) == 6


@pytest.mark.parametrize(
    ("given", "index", "total", "used"),
    [
        # all 10 answered: the index is the sum times 2 (sheet 3.6)
        (answers(3, 2, 3, 1, 2, 1, 1, 1, 1, 1), 32.0, 16, 10),
        (answers(*[0] * 10), 0.0, 0, 10),
        (answers(*[5] * 10), 100.0, 50, 10),
        # sex life left out: 9 sections, sum 18 of 45 -> 40% (sheet 3.6 formula)
        (answers(2, 2, 2, 2, 2, 2, 2, None, 2, 2), 40.0, 18, 9),
        # 9 sections, 26 of 45 = 57.777... -> one decimal
        (answers(5, 2, 4, 2, 3, 3, 3, None, 2, 2), 57.8, 26, 9),
        # three sections missing: 14 of 35 = 40%
        (answers(2, None, 2, 2, None, 2, 2, None, 2, 2), 40.0, 14, 7),
        # 7 sections, 10 of 35 = 28.571... -> 28.6
        (answers(None, 1, 2, 1, 2, None, 2, None, 1, 1), 28.6, 10, 7),
        # exactly half answered is still scored (the course's rule): 7 of 25 = 28%
        (answers(1, 2, 1, 2, 1, None, None, None, None, None), 28.0, 7, 5),
    ],
)
def test_worked_examples(given, index, total, used):
    r = odi.score(given)
    assert isinstance(r, odi.OdiResult)
    assert (r.index, r.total, len(r.answered), r.possible) == (index, total, used, 5 * used)
    assert set(r.missing) == {k for k, v in given.items() if v is None}


def test_an_absent_section_counts_as_unanswered():
    assert odi.score({"pain_intensity": 2, "lifting": 2, "walking": 2, "sitting": 2, "sleeping": 2}).index == 40.0


def test_too_many_missing_sections_are_refused_and_the_message_says_the_rule_is_the_courses():
    r = odi.score(answers(1, 2, 1, 2, None, None, None, None, None, None))
    assert isinstance(r, odi.OdiRefused)
    assert len(r.answered) == 4 and len(r.missing) == 6
    assert "Only 4 of the 10 sections" in r.message and "sitting" in r.message and "sex life" in r.message
    assert "course's own choice" in r.message and "reference sheet gives no rule" in r.message
    assert isinstance(odi.score({}), odi.OdiRefused)


@pytest.mark.parametrize(("bad", "message"), [
    ({"pain_intensity": 6}, "a level is 0 to 5, got 6"),
    ({"walking": -1}, "a level is 0 to 5"),
    ({"walking": 2.5}, "a level is 0 to 5"),
    ({"walking": True}, "a level is 0 to 5"),
    ({"jogging": 2}, "no ODI section called 'jogging'"),
])
def test_bad_answers_are_refused_with_a_message(bad, message):
    with pytest.raises(ValueError, match=message):
        odi.score(bad)


@pytest.mark.parametrize(
    ("index", "label"),
    [  # sheet 3.6: 0-20, 21-40, 41-60, 61-80, 81-100; each band holds its upper edge
        (0, "minimal disability"), (20, "minimal disability"), (21, "moderate disability"),
        (22.2, "moderate disability"),
        (40, "moderate disability"), (41, "severe disability"), (60, "severe disability"), (61, "crippled"),
        (80, "crippled"), (81, "bed-bound or exaggerating"), (100, "bed-bound or exaggerating"),
    ],
)
def test_bands_at_their_edges(index, label):
    assert odi.band(index).label == label


def test_no_index_falls_between_bands_for_ten_sections_or_fewer():
    """The sheet's bands are whole numbers; no index from 5 to 10 sections lands strictly between 20 and 21 (or
    40 and 41, ...), so the band edges never have to be guessed."""
    for n in range(odi.MIN_ANSWERED, 11):
        for total in range(5 * n + 1):
            i = round(total / (5 * n) * 100, 1)
            assert not any(edge < i < edge + 1 for edge in (20, 40, 60, 80)), (n, total, i)


def test_the_old_labels_are_quoted_and_explained():
    crippled, top = odi.band(70), odi.band(90)
    assert crippled.name == "\u201ccrippled\u201d" and "own old label" in crippled.note
    assert top.name.startswith("\u201c") and "original authors'" in top.note and "honest" in top.note
    assert odi.band(30).name == "moderate disability" and odi.band(30).note == ""
    with pytest.raises(ValueError, match="0 to 100"):
        odi.band(101)


@pytest.mark.parametrize(
    ("earlier", "now", "points", "mic", "thirty"),
    [  # MIC 10 points; or 30% of the earlier index (Ostelo 2008; sheet 3.6, 8.3)
        (46, 36, 10, True, False),  # 10 points is 21.7%: reaches the MIC only
        (46, 36.1, 9.9, False, False),  # just below both
        (30, 21, 9, False, True),  # 9 points is exactly 30%: the share only
        (30, 21.1, 8.9, False, False),
        (20, 14, 6, False, True),  # a low baseline: 30% is 6 points, well below the MIC
        (62.2, 40, 22.2, True, True),
        (32, 32, 0, False, False),
        (32, 44, -12, False, False),  # worse: 12 points is not an improvement
    ],
)
def test_change_against_the_mic_and_the_30_percent_threshold(earlier, now, points, mic, thirty):
    c = odi.change(earlier, now)
    assert (c.points, c.reaches_mic, c.reaches_share) == (points, mic, thirty)


def test_change_directions_and_an_earlier_index_of_zero():
    assert odi.change(40, 30).direction == "better" and odi.change(30, 40).direction == "worse"
    assert odi.change(30, 30).direction == "unchanged"
    zero = odi.change(0, 10)
    assert zero.share is None and not zero.reaches_share and not zero.reaches_mic
    with pytest.raises(ValueError, match="earlier ODI index is 0 to 100, got 120"):
        odi.change(120, 30)
    with pytest.raises(ValueError, match="0 to 100"):
        odi.change(float("nan"), 30)
