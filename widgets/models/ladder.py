"""Decision engine: findings in, two lenses out, side by side. The documents' lens applies the explicit
rules D1-D20 of the reference sheet (section 2.2): next steps, what to avoid and why. The guidelines' lens
(widgets/models/guideline_lens.py, rules G1-G11) says what NICE NG59, ACP 2017 and Cochrane would do, and every
place the two differ is a conflict naming the treatment, each side's position and the source. Red flags are
decided first, for both lenses, with their urgency, what to do now and how fast (widgets/models/redflags.py).
Teaching material, not clinical advice.

On the command line: `lowback advise --finding ID [--finding ID ...] [--mbb-relief PCT] [--prior-surgeries N]
[--json]`, and `lowback findings` for the vocabulary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from widgets.content.loader import Content, load_content
from widgets.models.guideline_lens import GuidelineAdvice, guideline_advice
from widgets.models.redflags import FlagAction, Safety, assess, referral_lines

# S2 quoting Daniell & Osti 2018: over 50% of first operations succeed, then no more than 30%, 15%
# and 5% after the second, third and fourth. The reference sheet could not find the quote in the
# paper; the 1979 primary study (Waddell) reported 40% for second operations.
REPEAT_SURGERY_SUCCESS = (0.50, 0.30, 0.15, 0.05)
MBB_THRESHOLD = 50  # percent relief after a diagnostic medial branch block (S4; NHS policies)


@dataclass(frozen=True)
class Avoid:
    treatment: str
    reason: str


@dataclass(frozen=True)
class Conflict:
    """A treatment on which the documents and the guidelines take different positions."""

    treatment: str
    documents: str  # the documents' position, with its rule
    guidelines: str  # the guidelines' position, with its reason
    source: str  # the guideline or review behind the guidelines' position


@dataclass
class Advice:
    # the documents' lens (rules D1-D20)
    emergency: bool = False
    next_steps: list[str] = field(default_factory=list)
    avoid: list[Avoid] = field(default_factory=list)
    rationale: list[str] = field(default_factory=list)
    next_surgery_success: float | None = None
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)  # step -> (rule, why)
    # red flags, for both lenses
    urgency: str = "routine"  # emergency, urgent or routine
    flags: list[FlagAction] = field(default_factory=list)
    referral: list[str] = field(default_factory=list)
    # the guidelines' lens (rules G1-G11) and where the two differ
    guidelines: GuidelineAdvice = field(default_factory=GuidelineAdvice)
    conflicts: list[Conflict] = field(default_factory=list)

    def step(self, treatment: str, rule: str = "", why: str = "") -> None:
        if treatment not in self.next_steps and treatment not in {a.treatment for a in self.avoid}:
            self.next_steps.append(treatment)
            self.origins[treatment] = (rule, why)

    def refuse(self, treatment: str, reason: str) -> None:
        if treatment in self.next_steps:
            self.next_steps.remove(treatment)
            self.origins.pop(treatment, None)
        if treatment not in {a.treatment for a in self.avoid}:
            self.avoid.append(Avoid(treatment, reason))

    def why(self, rule: str, text: str, sources: str) -> None:
        self.rationale.append(f"{rule}: {text} [{sources}]")

    def conflict_for(self, treatment: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.treatment == treatment), None)

    def to_json(self) -> dict:
        out = {
            "emergency": self.emergency,
            "next_steps": list(self.next_steps),
            "avoid": [asdict(a) for a in self.avoid],
            "rationale": list(self.rationale),
            "urgency": self.urgency,
            "referral": list(self.referral),
            "flags": [fl.to_json() for fl in self.flags],
            "guidelines": self.guidelines.to_json(),
            "conflicts": [asdict(c) for c in self.conflicts],
        }
        if self.next_surgery_success is not None:
            out["next_surgery_success"] = self.next_surgery_success
        return out


def validate(content: Content, findings: list[str], mbb_relief: float | None, prior_surgeries: int | None) -> None:
    """Raise ValueError with a one-line message for input the engine cannot use."""
    for f in findings:
        if f not in content.findings:
            raise ValueError(f"unknown finding {f!r}; `lowback findings` lists them")
    if mbb_relief is not None and not 0 <= mbb_relief <= 100:
        raise ValueError(f"medial branch block relief must be between 0 and 100 percent, got {mbb_relief:g}")
    if prior_surgeries is not None and prior_surgeries < 0:
        raise ValueError(f"the number of prior surgeries cannot be negative, got {prior_surgeries}")


def advise(
    findings: list[str] | set[str],
    mbb_relief: float | None = None,
    prior_surgeries: int | None = None,
    content: Content | None = None,
) -> Advice:
    """Both lenses for these findings: what the documents would do next and why, what the guidelines would do,
    where they differ, and, before either, the red flags with what to do now and how fast."""
    content = content or load_content()
    f = set(findings)
    validate(content, sorted(f), mbb_relief, prior_surgeries)
    safety = assess(f, content)
    a = Advice(urgency=safety.urgency, flags=list(safety.flags), referral=referral_lines(safety))
    a.emergency = safety.urgency == "emergency"
    if safety.stops:
        _stop(a, safety, f, content)
        return a
    _documents(a, f, mbb_relief, prior_surgeries, content)
    g = guideline_advice(f, mbb_relief, prior_surgeries, content, a.next_steps)
    for fl in safety.flags:  # a single weak flag, or inflammatory back pain: the ladder goes on beside them
        g.why("Flag", f"{fl.label} ({', '.join(fl.findings)}): {fl.now} {fl.timing}", "; ".join(fl.sources))
    a.guidelines = g
    a.referral += g.referral
    a.conflicts = _conflicts(a, g)
    return a


def _stop(a: Advice, safety: Safety, f: set[str], content: Content) -> None:
    """A flag that stops the climb: both lenses send the patient on, with what to do and how fast."""
    g = GuidelineAdvice()
    ces = sorted(x for x in f if content.findings[x].flag == "cauda_equina")
    step = "emergency_referral" if safety.urgency == "emergency" else "urgent_investigation"
    a.step(step, "D1" if ces else "Safety", "a red flag")
    g.step(step, "Red flag", "a red flag", "; ".join(s for fl in safety.flags for s in fl.sources))
    if ces:
        # D1: the only red flag the documents name.
        a.why("D1", "possible cauda equina syndrome (" + ", ".join(content.findings[x].label for x in ces)
              + "): emergency assessment now, not the treatment ladder", "S2; REF 3.5")
    elif safety.urgency == "emergency":
        for fl in safety.of("emergency"):
            a.why("Safety", f"{fl.label.lower()} ({', '.join(fl.findings)}): the documents do not mention it; the "
                  "reference sheet makes it an emergency, off the ladder now",
                  "; ".join(["REF 7.4"] + [x for x in fl.sources if x != "REF"]))
    else:
        # Serious pathology (cancer, fracture, several flags): urgent assessment before any rung.
        kinds = [fl.label.lower() for fl in safety.of("urgent")]
        labels = sorted({x for fl in safety.of("urgent") for x in fl.findings})
        src = "REF 3.5; Downie 2013: one flag alone shifts the probability little, several together more"
        a.why("Serious pathology", f"{' or '.join(kinds)} ({', '.join(labels)}): prompt assessment and "
              "investigation before any treatment on the ladder", src)
    for fl in safety.flags:
        g.why("Red flag", f"{fl.label} ({', '.join(fl.findings)}): {fl.now} {fl.timing}", "; ".join(fl.sources))
    a.guidelines = g


def _conflicts(a: Advice, g: GuidelineAdvice) -> list[Conflict]:
    """Every treatment the documents offer and a guideline refuses, or the other way round."""
    out = []
    for t in a.next_steps:
        refused = g.refused(t)
        if refused:
            rule, why = a.origins.get(t, ("", ""))
            position = refused.reason if refused.reason.startswith("not yet") else f"do not offer: {refused.reason}"
            out.append(Conflict(t, f"next step by rule {rule}: {why}", position, refused.source))
    avoided = {x.treatment: x.reason for x in a.avoid}
    for t in g.next_steps:
        if t in avoided:
            rule, why, sources = g.origins[t]
            out.append(Conflict(t, f"avoid: {avoided[t]}", f"next step by rule {rule}: {why}", sources))
    return out


def _documents(a: Advice, f: set[str], mbb_relief: float | None, prior_surgeries: int | None,
               content: Content) -> None:
    """The documents' lens, rules D2-D20, for findings with no flag that stops the climb."""
    tried = "conservative_care_tried" in f
    radicular = "pain_below_knee" in f

    # D2 / D12: foundations first.
    if not tried:
        for t in ("movement_exercise", "physical_therapy"):
            a.step(t, "D2", "the foundations first")
        a.why("D2", "start with the foundations you control (movement, posture, weight) and an accurate "
              "diagnosis before trying every therapy", "S2; S1")
    else:
        a.why("D9", "conservative care has been tried: escalate in stages to targeted interventions, "
              "keeping the foundations going", "S0")

    # D3: surgery is not the step after PT and ibuprofen.
    a.refuse("spinal_fusion", "surgery is a last resort, not the step after physical therapy and "
             "painkillers fail (D3; S1). NICE NG59: no fusion for low back pain outside a trial")

    # D13 / D18: radicular pain.
    if radicular:
        a.refuse("trigger_point_injection", "pain below the knee is radicular; trigger point injections do "
                 "not treat a compressed root (D13; S4)")
        if "root_compression_on_imaging" in f:
            a.step("epidural_steroid_injection", "D18", "radicular pain with root compression confirmed on imaging")
            a.why("D18", "radicular pain with imaging-confirmed root compression: consider an epidural "
                  "steroid injection", "S4; Cochrane 2020: small, short-term benefit")
        a.why("D13", "pain below the knee points to a nerve root, not a muscle", "S4; Haugen 2011")

    # D14 / D10: facet pain.
    if "facet_pattern" in f:
        a.refuse("trigger_point_injection", "facet-mediated pain is not treated by trigger point injections; "
                 "medial branch blocks and ablation are the documents' route (D14; S4)")
        if mbb_relief is None:
            if tried:
                a.step("medial_branch_block", "D10", "the block decides on ablation")
            a.why("D10", "a diagnostic medial branch block decides whether radiofrequency ablation is "
                  "appropriate", "S3; S4")
        elif mbb_relief > MBB_THRESHOLD:
            a.step("radiofrequency_ablation", "D14", f"the block gave {mbb_relief:g}% relief, over {MBB_THRESHOLD}%")
            a.why("D14", f"the block gave {mbb_relief:g}% relief (over {MBB_THRESHOLD}%): radiofrequency "
                  "ablation is the next step", "S4; MINT trials found no clinically important benefit over "
                  "exercise")
        else:
            a.refuse("radiofrequency_ablation", f"the block gave only {mbb_relief:g}% relief (not over "
                     f"{MBB_THRESHOLD}%), so the facet is not confirmed as the source (D14; S4)")
            a.why("D17", "reconsider the diagnosis: the pain may be discogenic, SIJ or myofascial", "S4")

    # D11 / D12 / D15 / D16 / D17: trigger points.
    if "tpi_failed" in f:
        a.refuse("trigger_point_injection", "trigger point injections already gave little or no relief: "
                 "reconsider the diagnosis rather than repeat them (D17; S4)")
        a.why("D17", "after failed trigger point injections, look again for facet, disc or SIJ pain", "S4")
    elif "trigger_points" in f and not radicular and "facet_pattern" not in f:
        if tried:
            a.step("trigger_point_injection", "D11", "true trigger points, mainly muscular pain")
            a.step("physical_therapy", "D15", "never as monotherapy")
            a.why("D11", "true trigger points with mainly muscular pain: trigger point injections for short-term "
                  "relief", "S4; NICE NG59 advises against them for non-specific low back pain")
            a.why("D15", "never as monotherapy: with physical therapy, education and oral medicines, and keep "
                  "stretching and strengthening", "S4")
            sessions = "2-8" if "chronic" in f else "1-4"
            a.why("D16", f"plan {sessions} sessions ({'chronic' if 'chronic' in f else 'acute or subacute'}); "
                  "lowest local anaesthetic dose, bupivacaine no more than 400 mg in 24 hours",
                  "S4; Sirh 2022, n=17 case series; formulary label")
        else:
            a.refuse("trigger_point_injection", "try conservative measures and non-invasive options (stretching, "
                     "massage, manipulation, TENS) first (D12; S4)")
            a.why("D12", "conservative care comes before trigger point injections", "S4")

    # D7: cortisone for inflammation of a joint or nerve, short term.
    if tried and (radicular or "facet_pattern" in f or "si_joint_pattern" in f):
        a.why("D7", "cortisone may help in the short term when a joint or nerve is inflamed", "S1")

    # D6: the SI joint.
    if "si_joint_pattern" in f:
        a.step("physical_therapy", "D6", "glute strengthening first")
        a.why("D6", "for a diagnosed SI joint problem, strengthening the glutes and nearby muscles comes first",
              "S1")
        if "ligament_laxity" in f and tried:
            a.step("prolotherapy", "D6", "a ligament problem")
            a.why("D6", "if it is fundamentally a ligament problem, S1 offers regenerative injection",
                  "S1; Hoffman 2018: 23% reached a meaningful change, retrospective")

    # D8: a failed epidural.
    if "esi_failed" in f:
        a.refuse("epidural_steroid_injection", "an epidural has already failed (D8; S0)")
        a.why("D8", "after a failed epidural, reassess for fascia or tendon-attachment pain", "S0")
        if "fascia_crest_pattern" in f:
            a.step("prp", "D8", "platelets at the fascia after a failed epidural")
            a.why("D8", "S0 would aim platelet products at the fascial and attachment sites, with "
                  "ultrasound guidance", "S0; no study cited")

    # D5 / D4: regenerative candidates (chronic, conservative care failed).
    regenerative = []
    if tried and "chronic" in f:
        if "ligament_laxity" in f:
            regenerative.append("prolotherapy")
        if "multifidus_atrophy" in f:
            regenerative.append("prp")
        if "fascia_crest_pattern" in f:
            regenerative.append("prp")
    if regenerative:
        for t in regenerative:
            a.step(t, "D5", "chronic pain not helped by conservative care")
        a.why("D5", "chronic pain not helped by conservative care, wanting to avoid surgery: the documents' "
              "regenerative candidate", "S2; evidence: uncontrolled case series (REF 5.3)")
    if any(t in a.next_steps for t in ("prp", "prolotherapy")):
        a.step("physical_therapy", "D4", "regenerative injections never alone")
        a.why("D4", "regenerative injections are never stand-alone: always with movement and rehabilitation",
              "S1")

    # Osteoporotic fracture (S2) with the guideline caution.
    if "osteoporotic_fracture" in f:
        a.step("vertebroplasty_kyphoplasty", "S2", "cement for a painful osteoporotic fracture")
        a.why("S2", "S2 offers cement augmentation for painful osteoporotic compression fractures",
              "S2; Cochrane 2018: no clinically important benefit over sham")

    # D19 / D20 and the repeat-surgery figures.
    if prior_surgeries is not None:
        idx = min(prior_surgeries, len(REPEAT_SURGERY_SUCCESS) - 1)
        a.next_surgery_success = REPEAT_SURGERY_SUCCESS[idx]
        nth = ("first", "second", "third", "fourth or later")[idx]
        a.why("D19", f"a {nth} operation succeeds in about {a.next_surgery_success:.0%} by the documents' "
              "figures; get a second opinion before any operation",
              "S2 citing Daniell 2018; the 1979 primary study (Waddell) found 40% for second operations")
        if prior_surgeries >= 1:
            a.why("D20", "after failed surgery the documents hold that regenerative treatment is not too late",
                  "S2; S1; no data given")
            if tried:
                a.step("prp", "D20", "regenerative treatment after failed surgery")
                a.step("physical_therapy", "D20", "with rehabilitation")


@dataclass(frozen=True)
class Triage:
    level: str  # "emergency", "urgent" or "ladder"
    headline: str
    reasons: list[str]  # the documents' lens: rule D1, or that the documents say nothing
    flags: tuple[FlagAction, ...] = ()  # what each flag means: what to do now, how fast (both lenses)


def triage(findings: list[str] | set[str], content: Content | None = None) -> Triage:
    """Emergency, urgent or the ladder (perhaps with a referral or a review beside it), with what to do and why."""
    content = content or load_content()
    advice = advise(findings, content=content)
    flags = tuple(advice.flags)
    if advice.urgency == "emergency":
        names = "; ".join(fl.label.lower() for fl in flags if fl.urgency == "emergency")
        return Triage("emergency", f"{names.capitalize()}. Leave the ladder now; what to do and how fast are below.",
                      advice.rationale, flags)
    if advice.urgency == "urgent":
        names = "; ".join(fl.label.lower() for fl in flags if fl.urgency == "urgent")
        return Triage("urgent", f"{names.capitalize()}. Assess and investigate promptly, before any treatment on the "
                      "ladder; what to do and how fast are below.", advice.rationale, flags)
    if flags:
        names = "; ".join(fl.label.lower() for fl in flags)
        return Triage("ladder", f"{names.capitalize()}: not an emergency, but not the ladder alone. The ladder starts "
                      "at the bottom while this is followed up (below).",
                      ["No flag that stops the climb: D1 does not apply [S2; REF 3.5]"], flags)
    return Triage("ladder", "No red flag among these findings. Start at the bottom of the ladder, and ask about red "
                  "flags again at every visit.",
                  ["No red flag: D1 does not apply [S2; REF 3.5]"])
