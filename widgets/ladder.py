"""Decision engine: findings in, the documents' advice out (emergency, next steps, what to avoid and
why), with the rule and source behind every line. Implements the explicit rules D1-D20 listed in
section 2.2 of the course's clinical reference sheet. Teaching material, not clinical advice.

Usage: python -m widgets.ladder advise --finding ID [--finding ID ...] [--mbb-relief PCT]
                                       [--prior-surgeries N] [--json]
       python -m widgets.ladder findings
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field

from .content import Content, ContentError, load_content

# S2 quoting Daniell & Osti 2018: over 50% of first operations succeed, then no more than 30%, 15%
# and 5% after the second, third and fourth. The reference sheet could not find the quote in the
# paper; the 1979 primary study (Waddell) reported 40% for second operations.
REPEAT_SURGERY_SUCCESS = (0.50, 0.30, 0.15, 0.05)
MBB_THRESHOLD = 50  # percent relief after a diagnostic medial branch block (S4; NHS policies)


@dataclass(frozen=True)
class Avoid:
    treatment: str
    reason: str


@dataclass
class Advice:
    emergency: bool = False
    next_steps: list[str] = field(default_factory=list)
    avoid: list[Avoid] = field(default_factory=list)
    rationale: list[str] = field(default_factory=list)
    next_surgery_success: float | None = None

    def step(self, treatment: str) -> None:
        if treatment not in self.next_steps and treatment not in {a.treatment for a in self.avoid}:
            self.next_steps.append(treatment)

    def refuse(self, treatment: str, reason: str) -> None:
        if treatment in self.next_steps:
            self.next_steps.remove(treatment)
        if treatment not in {a.treatment for a in self.avoid}:
            self.avoid.append(Avoid(treatment, reason))

    def why(self, rule: str, text: str, sources: str) -> None:
        self.rationale.append(f"{rule}: {text} [{sources}]")

    def to_json(self) -> dict:
        out = asdict(self)
        if self.next_surgery_success is None:
            out.pop("next_surgery_success")
        return out


def validate(content: Content, findings: list[str], mbb_relief: float | None, prior_surgeries: int | None) -> None:
    """Raise ValueError with a one-line message for input the engine cannot use."""
    for f in findings:
        if f not in content.findings:
            raise ValueError(f"unknown finding {f!r}; `python -m widgets.ladder findings` lists them")
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
    """What the documents would do next for these findings, and why."""
    content = content or load_content()
    f = set(findings)
    validate(content, sorted(f), mbb_relief, prior_surgeries)
    a = Advice()

    # D1: red flags stop the climb.
    flags = sorted(x for x in f if content.findings[x].red_flag)
    if flags:
        a.emergency = True
        a.step("emergency_referral")
        a.why("D1", "possible cauda equina syndrome (" + ", ".join(content.findings[x].label for x in flags)
              + "): emergency assessment now, not the treatment ladder", "S2; REF 3.5")
        return a

    # Serious pathology (cancer, infection, fracture): urgent assessment before any rung.
    serious = sorted(x for x in f if content.findings[x].serious)
    if serious:
        kinds = sorted({content.findings[x].serious for x in serious})
        a.step("urgent_investigation")
        src = "REF 3.5"
        if {"malignancy", "fracture"} & set(kinds):  # Downie's review covers these two, not infection
            src += "; Downie 2013: one flag alone shifts the probability little, several together more"
        a.why("Serious pathology", f"possible {' or '.join(kinds)} ("
              + ", ".join(content.findings[x].label for x in serious)
              + "): prompt assessment and investigation before any treatment on the ladder", src)
        return a

    tried = "conservative_care_tried" in f
    radicular = "pain_below_knee" in f

    # D2 / D12: foundations first.
    if not tried:
        for t in ("movement_exercise", "physical_therapy"):
            a.step(t)
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
            a.step("epidural_steroid_injection")
            a.why("D18", "radicular pain with imaging-confirmed root compression: consider an epidural "
                  "steroid injection", "S4; Cochrane 2020: small, short-term benefit")
        a.why("D13", "pain below the knee points to a nerve root, not a muscle", "S4; Haugen 2011")

    # D14 / D10: facet pain.
    if "facet_pattern" in f:
        a.refuse("trigger_point_injection", "facet-mediated pain is not treated by trigger point injections; "
                 "medial branch blocks and ablation are the documents' route (D14; S4)")
        if mbb_relief is None:
            if tried:
                a.step("medial_branch_block")
            a.why("D10", "a diagnostic medial branch block decides whether radiofrequency ablation is "
                  "appropriate", "S3; S4")
        elif mbb_relief > MBB_THRESHOLD:
            a.step("radiofrequency_ablation")
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
            a.step("trigger_point_injection")
            a.step("physical_therapy")
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
        a.step("physical_therapy")
        a.why("D6", "for a diagnosed SI joint problem, strengthening the glutes and nearby muscles comes first",
              "S1")
        if "ligament_laxity" in f and tried:
            a.step("prolotherapy")
            a.why("D6", "if it is fundamentally a ligament problem, S1 offers regenerative injection",
                  "S1; Hoffman 2018: 23% reached a meaningful change, retrospective")

    # D8: a failed epidural.
    if "esi_failed" in f:
        a.refuse("epidural_steroid_injection", "an epidural has already failed (D8; S0)")
        a.why("D8", "after a failed epidural, reassess for fascia or tendon-attachment pain", "S0")
        if "fascia_crest_pattern" in f:
            a.step("prp")
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
            a.step(t)
        a.why("D5", "chronic pain not helped by conservative care, wanting to avoid surgery: the documents' "
              "regenerative candidate", "S2; evidence: uncontrolled case series (REF 5.3)")
    if any(t in a.next_steps for t in ("prp", "prolotherapy")):
        a.step("physical_therapy")
        a.why("D4", "regenerative injections are never stand-alone: always with movement and rehabilitation",
              "S1")

    # Osteoporotic fracture (S2) with the guideline caution.
    if "osteoporotic_fracture" in f:
        a.step("vertebroplasty_kyphoplasty")
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
                a.step("prp")
                a.step("physical_therapy")
    return a


@dataclass(frozen=True)
class Triage:
    level: str  # "emergency", "urgent" or "ladder"
    headline: str
    reasons: list[str]


def triage(findings: list[str] | set[str], content: Content | None = None) -> Triage:
    """Emergency (possible cauda equina syndrome), urgent (serious pathology) or start the ladder, with why."""
    content = content or load_content()
    advice = advise(findings, content=content)
    if advice.emergency:
        return Triage("emergency", "Emergency: possible cauda equina syndrome. Same-day emergency assessment "
                      "now; the treatment ladder stops here.", advice.rationale)
    if "urgent_investigation" in advice.next_steps:
        return Triage("urgent", "Urgent: a flag for serious pathology. Assess and investigate promptly before "
                      "any treatment on the ladder.", advice.rationale)
    return Triage("ladder", "No red flag among these findings: not an emergency. Start at the bottom of the "
                  "ladder, and ask about red flags again at every visit.",
                  ["No red flag: D1 does not apply [S2; REF 3.5]"])


def _cli_findings(content: Content) -> int:
    for fnd in content.findings.values():
        flag = " (red flag)" if fnd.red_flag else (f" (serious pathology: {fnd.serious})" if fnd.serious else "")
        print(f"{fnd.id}: {fnd.label}{flag}. {fnd.description}")
    print("--mbb-relief PCT: relief after a diagnostic medial branch block, 0-100")
    print("--prior-surgeries N: number of previous back operations, 0 or more")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m widgets.ladder", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    adv = sub.add_parser("advise", help="what the documents would do next for these findings")
    adv.add_argument("--finding", action="append", default=[], metavar="ID")
    adv.add_argument("--mbb-relief", type=float, metavar="PCT")
    adv.add_argument("--prior-surgeries", type=int, metavar="N")
    adv.add_argument("--json", action="store_true")
    sub.add_parser("findings", help="list the findings vocabulary")
    args = ap.parse_args(argv)
    try:
        content = load_content()
    except ContentError as exc:
        print(f"the course content does not load: {exc.problems[0]}", file=sys.stderr)
        return 1
    if args.command == "findings":
        return _cli_findings(content)
    try:
        advice = advise(args.finding, args.mbb_relief, args.prior_surgeries, content)
    except ValueError as exc:
        print(f"python -m widgets.ladder advise: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(advice.to_json(), indent=2))
        return 0
    print("EMERGENCY: " if advice.emergency else "", end="")
    print("next steps: " + (", ".join(advice.next_steps) or "none"))
    for av in advice.avoid:
        print(f"avoid {av.treatment}: {av.reason}")
    for line in advice.rationale:
        print(f"- {line}")
    if advice.next_surgery_success is not None:
        print(f"next surgery success (documents' figure): {advice.next_surgery_success:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
