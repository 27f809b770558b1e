"""Debrief: compare a learner's path through a case with the documents' ladder and the guidelines,
name the hidden generator, and score the path (relief, function, risk, cost, time) with reasons.
Pure: no ipywidgets."""

from __future__ import annotations

from dataclasses import dataclass

from widgets.content import schema as s
from widgets.content.schema import RUNGS
from widgets.models.guideline_lens import refusal
from widgets.models.ladder import Advice, Conflict, advise
from widgets.models.redflags import FlagAction
from widgets.models.simulator import IMAGING, WAIT, Course, Model, fits, natural_course, run
from widgets.models.startback import StartBackResult, score

VERDICTS = ("good", "fair", "poor", "not scored")
# treatments that need a scan first: an epidural once radicular symptoms are confirmed on imaging (D18),
# and any operation
NEEDS_IMAGING_RUNGS = ("minimally_invasive", "surgery")


@dataclass(frozen=True)
class Score:
    name: str  # relief, function, risk, cost, time
    value: str  # what was measured, in words
    verdict: str  # one of VERDICTS
    reason: str  # why, with its source


@dataclass(frozen=True)
class PathStep:
    treatment: str  # id, or "imaging" / "wait"
    name: str
    rung: str
    fits: bool
    engine: str  # the documents' lens: "advised", "avoid: <reason>" or "not in the advice"
    guideline_engine: str  # the guidelines' lens: "advised", "do not offer: <reason> [source]" or "not in the advice"
    guidelines: str  # NICE / ACP / Cochrane stances in one line, or "no statement found"


@dataclass(frozen=True)
class Debrief:
    case_id: str
    outcome: str
    generators: list[str]  # condition names
    explanation: str
    advice: list[str]  # the documents' next steps, by name
    avoid: list[str]  # "name: reason"
    rationale: list[str]  # the documents' rule lines
    guideline_advice: list[str]  # the guidelines' next steps, by name
    do_not_offer: list[str]  # "name: reason [source]"
    guideline_rationale: list[str]  # the guidelines' rule lines (flags are in `flags`)
    conflicts: list[Conflict]  # treatment given by name
    flags: list[FlagAction]  # red flags with what to do now and how fast
    referral: list[str]
    side_by_side: list[tuple[str, str, str]]  # (your step, the guidelines' step, how they compare), step by step
    start_back: StartBackResult | None  # the patient's STarT Back group and its matched care
    attending: s.Attending | None  # what an attending would add: words, safety-netting, what to document
    path: list[PathStep]
    notes: list[str]  # remarks on the path: red flags, imaging, skipped rungs
    imaging: list[s.ImagingReport]  # what a scan of this patient shows, ordered or not
    scores: list[Score]
    imaged: bool = False  # whether the learner ordered imaging


def _stances(treatment: s.Treatment) -> str:
    if not treatment.guidelines:
        return "no statement found"
    return "; ".join(f"{g.body.upper() if g.body != 'cochrane' else 'Cochrane'}: {g.stance.replace('_', ' ')}"
                     for g in treatment.guidelines)


def _path(model: Model, case: s.Case, course: Course, advice: Advice) -> list[PathStep]:
    avoid = {a.treatment: a.reason for a in advice.avoid}
    g = advice.guidelines
    out = []
    for tid in course.treatments:
        if tid in (IMAGING, WAIT):
            name = "Imaging" if tid == IMAGING else "Advice and review later"
            out.append(PathStep(tid, name, "work-up" if tid == IMAGING else "lifestyle", False,
                                "not a treatment", "not a treatment", "see the notes on imaging" if tid == IMAGING
                                else "guidelines put self-management advice first [REF 3.4; Foster 2018]"))
            continue
        t = model.content.treatments[tid]
        engine = ("advised" if tid in advice.next_steps else f"avoid: {avoid[tid]}" if tid in avoid
                  else "not in the advice")
        refused = refusal(model.content, g, tid)
        guide = ("advised" if tid in g.next_steps else f"do not offer: {refused.reason} [{refused.source}]"
                 if refused else "not in the advice")
        out.append(PathStep(tid, t.name, t.rung, fits(model, case, tid), engine, guide, _stances(t)))
    return out


def _notes(model: Model, case: s.Case, course: Course, advice: Advice) -> list[str]:
    notes: list[str] = []
    chosen = course.treatments
    content = model.content
    if case.red_flags:
        flags = ", ".join(content.findings[f].label for f in case.red_flags)
        if course.outcome == "referred":
            notes.append(f"Red flags ({flags}): you referred at once, as rule D1 and the reference sheet's red-flag "
                         "guidance require [S2; REF 3.5].")
        else:
            notes.append(f"Red flags ({flags}) were present and the patient was not referred first: a missed red "
                         "flag. The documents stop the ladder for these [S2; REF 3.5; rule D1].")
    elif any(content.treatments[t].rung == "emergency" for t in chosen if t in content.treatments):
        notes.append("No red flag was present, yet the patient was referred as an emergency: over-triage costs "
                     "time and money, and the reference sheet notes that most single red flags shift the "
                     "probability little [REF 3.5; Downie 2013].")
    if not course.examined:
        notes.append("You treated without examining: the examination is what separates the generators that "
                     "look alike in the history (lessons 02 and 05).")
    needs_scan = bool(case.red_flags) or any(
        t in content.treatments and (content.treatments[t].rung in NEEDS_IMAGING_RUNGS
                                     or t == "epidural_steroid_injection") for t in chosen)
    if course.imaged and not needs_scan:
        notes.append("You ordered imaging without a red flag or a planned procedure that needed it. NICE's "
                     "quality standard discourages imaging outside specialist care unless serious pathology is "
                     "suspected [REF; NICE QS155], and scans find age changes in people without pain "
                     "[Brinjikji 2015].")
    if not course.imaged and any(t == "epidural_steroid_injection" or
                                 (t in content.treatments and content.treatments[t].rung in NEEDS_IMAGING_RUNGS)
                                 for t in chosen):
        notes.append("You gave an epidural or an operation without imaging: S4 gives an epidural once radicular "
                     "symptoms are confirmed on imaging (rule D18), and the reference sheet records NICE considering "
                     "decompression when imaging fits the symptoms (wording unverified) [S4; REF; NICE NG59].")
    first = next((content.treatments[t] for t in chosen if t in content.treatments), None)
    tried = "conservative_care_tried" in case.findings
    if first is not None and not case.red_flags and not tried:
        if RUNGS.index(first.rung) > RUNGS.index("medication"):
            notes.append(f"You started on the {first.rung.replace('_', ' ')} rung before any conservative care: "
                         "every document puts exercise and conservative care first (rules D2 and D12) "
                         "[S1; S2; S4].")
    for tid in dict.fromkeys(chosen):
        refused = refusal(content, advice.guidelines, tid)
        if refused and tid in content.treatments:
            notes.append(f"{content.treatments[tid].name}: the guidelines would not offer it for this patient: "
                         f"{refused.reason} [{refused.source}].")
    for tid in chosen:
        t = content.treatments.get(tid)
        if t is not None and t.rung in ("minimally_invasive", "surgery") and not fits(model, case, tid):
            notes.append(f"{t.name} was aimed at a structure that is not this patient's pain generator. An "
                         "operation cannot fix a pain it does not address; rule D3 keeps surgery as the last "
                         "resort [S1; S2].")
    untreated = untreated_pain(model, case, course)
    mcid = model.value("mcid_pain_share")
    if course.outcome == "finished" and untreated <= case.baseline.pain * (1 - mcid):
        nc = natural_course(model, case)
        notes.append(f"With no treatment at all, the same simulated patient would have been at {untreated:.1f} of 10 "
                     f"by the end ({nc.label.lower()}). Much of any improvement here is the natural course, "
                     "which is why uncontrolled series flatter treatments [REF 5; Hartvigsen 2018].")
    if course.surgeries:
        done = case.prior_surgeries + course.surgeries
        notes.append(f"This patient has now had {done} operation(s). S2 gives success falling from about 50% for a "
                     "first operation to 30%, 15% and 5% for the second to fourth, figures the reference sheet "
                     "could not find in the cited review; Waddell 1979 reported 40% for second operations "
                     "[S2; Daniell 2018; REF].")
    return notes


def side_by_side(model: Model, course: Course, advice: Advice) -> list[tuple[str, str, str]]:
    """The learner's path against the guidelines' path, step by step: (your step, the guidelines' step, how your
    step stands with the guidelines)."""
    content = model.content
    name = lambda t: ("Imaging" if t == IMAGING else "Advice and review later" if t == WAIT  # noqa: E731
                      else content.treatments[t].name if t in content.treatments else t)
    g = advice.guidelines
    mine = course.treatments
    theirs = g.next_steps
    rows = []
    for i in range(max(len(mine), len(theirs))):
        yours = mine[i] if i < len(mine) else ""
        if not yours:
            verdict = "a step the guidelines take that you did not"
        elif yours in theirs:
            verdict = "on the guidelines' path"
        elif advice.urgency in ("emergency", "urgent"):
            verdict = f"a red flag: the guidelines send the patient on ({advice.urgency}) before anything else"
        elif refusal(content, g, yours):
            verdict = "the guidelines would not offer it"
        elif yours == WAIT:
            verdict = "advice and review: the guidelines' first step is advice to stay active"
        elif yours == IMAGING:
            verdict = "not on the guidelines' path: imaging is for suspected serious pathology (NICE QS155)"
        else:
            verdict = "not on the guidelines' path, though they do not refuse it"
        rows.append((name(yours) if yours else "-", name(theirs[i]) if i < len(theirs) else "-", verdict))
    return rows


def _attending(content, att: s.Attending | None) -> s.Attending | None:
    """The case's attending block with its citations written as labels, as the learner should read them."""
    if att is None:
        return None
    return att.model_copy(update={"words": content.humanise(att.words), "safety_net": content.humanise(att.safety_net),
                                  "document": content.humanise(att.document),
                                  "sources": [content.source_label(x) for x in att.sources]})


def untreated_pain(model: Model, case: s.Case, course: Course) -> float:
    """Pain the same simulated patient (same seed, so the same natural course) would have had at the end
    with no treatment: the counterfactual a real patient never shows."""
    alone = run(model, case, [], n=1, seed=course.seed, horizon=course.weeks_elapsed)
    return round(float(alone.pain[0, -1]), 1)


def _verdict(value: float, good: float, fair: float, higher_is_better: bool = True) -> str:
    if not higher_is_better:
        value, good, fair = -value, -good, -fair
    return "good" if value >= good else "fair" if value >= fair else "poor"


def _scores(model: Model, case: s.Case, course: Course, advice: Advice) -> list[Score]:
    mcid = model.value("mcid_pain_share")
    mcid_fn = model.value("mcid_function_points")
    base_p, base_f = case.baseline.pain, case.baseline.function
    end_p, end_f = course.pain[-1], course.function[-1]
    scores: list[Score] = []
    stopped = course.outcome in ("referred", "missed_red_flag")
    if stopped:
        why = ("Handed over to the emergency or urgent team, which was right: pain is theirs to treat."
               if course.outcome == "referred" else
               "Not scored: the red flag was missed, and that outweighs any relief.")
        scores += [Score("relief", f"{base_p:g} to {end_p:g} of 10", "not scored", why),
                   Score("function", f"ODI {base_f:g} to {end_f:g}", "not scored", why)]
    else:
        fall = (base_p - end_p) / base_p if base_p else 0.0
        scores.append(Score(
            "relief", f"pain {base_p:g} to {end_p:g} of 10 ({fall:.0%} less)",
            _verdict(fall, mcid, mcid / 2),
            f"A fall of {mcid:.0%} or more is the smallest change patients call worthwhile (Ostelo 2008; "
            "Farrar 2001); agreed for groups, so treat it as a guide for one patient."))
        gain = base_f - end_f
        scores.append(Score(
            "function", f"ODI {base_f:g} to {end_f:g} ({gain:+.0f} points better)",
            _verdict(gain, mcid_fn, mcid_fn / 2),
            f"{mcid_fn:g} ODI points is the minimal important change (Ostelo 2008). In this model function "
            "follows pain, an assumption listed with the simulator's parameters."))
    invasive = max((model.effect(t).invasive for t in course.treatments if t in model.content.treatments),
                   default=0)
    if course.outcome == "missed_red_flag":
        risk = Score("risk", "a red flag missed", "poor",
                     "The most dangerous outcome in the case: cauda equina syndrome, cancer, infection or a "
                     "fracture left without urgent assessment [REF 3.5].")
    else:
        parts = [f"{len(course.procedures)} procedure(s)", f"{len(course.complications)} complication(s)"]
        if course.fbss:
            parts.append("failed back surgery syndrome")
        verdict = "good" if invasive == 0 and not course.complications else \
            "fair" if invasive <= 1 and len(course.complications) <= 1 and not course.fbss else "poor"
        reason = ("No procedure: nothing to go wrong beyond tablets' side effects." if invasive == 0 else
                  "Needle procedures only: small risks (S4 lists infection, bleeding and, in the chest, "
                  "pneumothorax)." if invasive == 1 else
                  "An operation or implant: the highest risks, and each repeat succeeds less (S2 via "
                  "Daniell 2018, with the reference sheet's caveat).")
        if course.complications:
            reason += " Complications: " + "; ".join(course.complications) + "."
        risk = Score("risk", ", ".join(parts), verdict, reason)
    scores.append(risk)
    yard, whose = _advice_cost(model, advice)
    ratio = course.cost / yard if yard else 1.0
    scores.append(Score(
        "cost", f"{course.cost:g} cost units ({ratio:.1f} times the {whose} advised steps)",
        _verdict(ratio, *model.values("cost_yardstick_ratio"), higher_is_better=False),
        f"Relative units (one clinic visit = 1); the documents give no prices. The {whose} advice for this "
        f"patient would cost about {yard:g} units."))
    threshold = base_p * (1 - mcid) + 1e-9
    improved_at = next((w for w, p in zip(course.weeks, course.pain, strict=True) if p <= threshold), None)
    if stopped:
        verdict = "good" if course.outcome == "referred" and course.weeks_elapsed <= 1 else "poor"
        tvalue = f"referred in week {course.weeks_elapsed:g}" if course.outcome == "referred" else \
            f"red flag missed until week {course.weeks_elapsed:g}"
        stopping = [fl for fl in advice.flags if fl.urgency in ("emergency", "urgent")]
        treason = ("; ".join(f"{fl.label}: {fl.timing}" for fl in stopping)
                   + f" [{'; '.join(sorted({x for fl in stopping for x in fl.sources}))}].")
    else:
        good, fair = model.values("time_yardstick_weeks")
        verdict = "poor" if improved_at is None else _verdict(improved_at, good, fair, higher_is_better=False)
        tvalue = (f"improved by week {improved_at:g}" if improved_at is not None else "not improved") + \
            f"; {course.weeks_elapsed:g} weeks followed, {course.patient_days:g} days of the patient's time"
        treason = f"Good within {good:g} weeks, fair within {fair:g}: the course's yardstick, not a published one. " \
                  "Most acute episodes settle on their own within weeks (PACE: median about 17 days)."
    scores.append(Score("time", tvalue, verdict, treason))
    return scores


def _advice_cost(model: Model, advice: Advice) -> tuple[float, str]:
    """The yardstick for the cost score: the guidelines' advised steps (the safe path), or the documents' where the
    guidelines name none, or one visit."""
    visit = model.values("visit")[0]
    for steps, whose in ((advice.guidelines.next_steps, "guidelines'"), (advice.next_steps, "documents'")):
        cost = sum(model.effect(t).cost + visit for t in steps if t in model.effect_of)
        if cost:
            return cost, whose
    return visit, "guidelines'"


def debrief(model: Model, course: Course) -> Debrief:
    case = course.case
    content = model.content
    advice = advise(case.findings, case.mbb_relief, case.prior_surgeries, content=content)
    g = advice.guidelines
    name = lambda t: content.treatments[t].name if t in content.treatments else t  # noqa: E731
    return Debrief(
        case.id, course.outcome,
        [content.conditions[gen].name for gen in case.truth.generators],
        content.humanise(case.truth.explanation),
        [name(t) for t in advice.next_steps],
        [f"{name(a.treatment)}: {a.reason}" for a in advice.avoid],
        list(advice.rationale),
        [name(t) for t in g.next_steps],
        [f"{name(d.treatment)}: {d.reason} [{d.source}]" for d in g.do_not_offer],
        [line for line in g.rationale if not line.startswith(("Flag:", "Red flag:"))],
        [Conflict(name(c.treatment), c.documents, c.guidelines, c.source) for c in advice.conflicts],
        list(advice.flags),
        list(advice.referral),
        side_by_side(model, course, advice),
        score(case.start_back, content) if case.start_back is not None else None,
        _attending(content, case.attending),
        _path(model, case, course, advice),
        _notes(model, case, course, advice),
        [im.model_copy(update={"report": content.humanise(im.report), "teaching": content.humanise(im.teaching)})
         for im in case.imaging],
        _scores(model, case, course, advice),
        course.imaged,
    )


def run_record(course: Course, report: Debrief) -> dict:
    """What the learner's progress keeps of a finished case: how it ended and each score's verdict."""
    return {"outcome": course.outcome, "scores": {sc.name: sc.verdict for sc in report.scores}}
