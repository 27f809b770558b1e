"""The guidelines' lens: what NICE NG59 (with its 2020 update), ACP 2017 and the Cochrane reviews would do
for the same findings, rules G1-G13, each line naming its source (reference sheet sections 3 and 7). The
documents' lens is widgets/models/ladder.py; this one never offers a treatment a guideline says not to offer, and
its do-not-offer list carries the reason and the source. Red flags are decided before either lens
(widgets/models/redflags.py). Pure: no widgets. Teaching material, not clinical advice.

The rules, in the order they apply:
  G1  stay active and exercise first; stratify the risk (STarT Back)
  G2  an oral NSAID if a drug is needed (lowest dose, shortest time), for back pain without sciatica
  G3  conservative care not enough: a combined physical and psychological programme
  G4  facet pain: a diagnostic block only after non-surgical care has failed; ablation only after a
      positive block (at least 50% relief); no facet joint injections
  G5  sciatica: an epidural only for acute and severe sciatica, never for neurogenic claudication from
      central stenosis; no gabapentinoids, other antiepileptics, oral steroids or benzodiazepines; no
      opioids for chronic sciatica; a surgical opinion on decompression when care has failed and
      imaging matches
  G6  no trigger point injections, prolotherapy or PRP for low back pain
  G7  no opioids for chronic low back pain; the guidelines disagree on antidepressants
  G8  no fusion outside a trial, no disc replacement
  G9  osteoporotic fracture: no vertebroplasty or kyphoplasty as routine care
  G10 after failed surgery with neuropathic leg pain: spinal cord stimulation only on NICE TA159's criteria
  G11 any other treatment the documents offer that a guideline does not: refused with the guideline's words
"""

from __future__ import annotations

from dataclasses import dataclass, field

from widgets.content.loader import Content

MBB_POSITIVE = 50  # percent: "at least 50%" relief (NHS commissioning policies; reference sheet 3.2)


@dataclass(frozen=True)
class DoNotOffer:
    treatment: str
    source: str  # source labels, "; "-separated
    reason: str

    def to_json(self) -> dict:
        return {"treatment": self.treatment, "source": self.source, "reason": self.reason}


@dataclass
class GuidelineAdvice:
    next_steps: list[str] = field(default_factory=list)
    do_not_offer: list[DoNotOffer] = field(default_factory=list)
    rationale: list[str] = field(default_factory=list)
    referral: list[str] = field(default_factory=list)
    origins: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # step -> (rule, why, sources)

    def step(self, treatment: str, rule: str, why: str, sources: str) -> None:
        if treatment not in self.next_steps and not self.refused(treatment):
            self.next_steps.append(treatment)
            self.origins[treatment] = (rule, why, sources)

    def refuse(self, treatment: str, source: str, reason: str) -> None:
        if treatment in self.next_steps:
            self.next_steps.remove(treatment)
            self.origins.pop(treatment, None)
        if not self.refused(treatment):
            self.do_not_offer.append(DoNotOffer(treatment, source, reason))

    def refused(self, treatment: str) -> DoNotOffer | None:
        return next((d for d in self.do_not_offer if d.treatment == treatment), None)

    def why(self, rule: str, text: str, sources: str) -> None:
        self.rationale.append(f"{rule}: {text} [{sources}]")

    def to_json(self) -> dict:
        return {"next_steps": list(self.next_steps), "do_not_offer": [d.to_json() for d in self.do_not_offer],
                "rationale": list(self.rationale)}


def card_refusal(content: Content, treatment: str) -> DoNotOffer | None:
    """A guideline's refusal written on the treatment's own card (NICE does not offer it, or a review found no
    clinically important benefit), for a treatment the rules above did not need to mention."""
    card = content.treatments.get(treatment)
    against = [x for x in card.guidelines if x.stance in ("does_not_offer", "no_clear_benefit")] if card else []
    if not against:
        return None
    return DoNotOffer(treatment, "; ".join(content.source_label(x.reference) for x in against),
                      " ".join(x.text for x in against))


def refusal(content: Content, g: GuidelineAdvice, treatment: str) -> DoNotOffer | None:
    """Why the guidelines would not give this treatment to this patient: their lens's own refusal, else the card's."""
    if treatment in g.next_steps:
        return None
    return g.refused(treatment) or card_refusal(content, treatment)


def guideline_advice(
    findings: set[str],
    mbb_relief: float | None,
    prior_surgeries: int | None,
    content: Content,
    documents_steps: list[str],
) -> GuidelineAdvice:
    """What the guidelines would do for findings with no red flag that stops the climb. DOCUMENTS_STEPS (the
    documents' next steps) feeds G11, so that nothing the documents offer escapes a guideline's refusal."""

    def src(*ids: str) -> str:
        return "; ".join(content.source_label(i) if i in content.references or i in content.documents else i
                         for i in ids)

    f = findings
    g = GuidelineAdvice()
    tried = "conservative_care_tried" in f
    chronic = "chronic" in f
    radicular = "pain_below_knee" in f
    fracture = "osteoporotic_fracture" in f

    # G1: first line for everyone.
    if fracture:
        g.why("G1", "NICE NG59 covers low back pain and sciatica, not fractures, and the reference sheet holds no "
              "guideline on treating the fracture itself: review it and its cause with a senior colleague",
              src("nice_ng59", "REF"))
        g.referral.append("Fracture care: NICE NG59 excludes fractures; the reference sheet holds no guideline "
                          "for treating them, so review the fracture and its cause with a senior colleague.")
    else:  # NG59's first line is for low back pain and sciatica, which a fracture is not
        g.step("movement_exercise", "G1", "stay active and exercise first", src("nice_ng59", "acp2017", "foster2018"))
        g.why("G1", "advice to stay active and keep up normal activities, and exercise (a group programme: "
              "stretching, strengthening, aerobic, yoga or tai chi) come first for everyone",
              src("nice_ng59", "acp2017", "foster2018"))
    if not tried and not fracture:
        g.why("G1", "stratify the risk at first contact (STarT Back) and match the care: low risk, one session of "
              "advice with the Back Book; medium, add physiotherapy; high, add psychologically informed physiotherapy",
              src("nice_ng59", "hill2011", "REF"))

    # G2: a drug if one is needed.
    if not radicular and not fracture and not tried:
        g.step("nsaids", "G2", "an oral NSAID if a drug is needed", src("nice_ng59", "acp2017"))
        g.why("G2", "if a drug is needed, an oral NSAID at the lowest effective dose for the shortest time, "
              "considering gastric protection; not paracetamol alone (PACE: no faster recovery than placebo)",
              src("nice_ng59", "acp2017", "williams2014"))

    # G3: conservative care has not been enough.
    if tried:
        g.step("cbt", "G3", "a combined physical and psychological programme", src("nice_ng59", "acp2017"))
        g.step("movement_exercise", "G3", "a combined physical and psychological programme", src("nice_ng59"))
        g.why("G3", "care so far has not been enough: a combined physical and psychological programme (exercise "
              "with a cognitive behavioural approach, preferably in a group), not a psychological treatment alone",
              src("nice_ng59", "acp2017"))

    # G4: facet pain.
    if "facet_pattern" in f:
        g.refuse("facet_injection", src("nice_ng59", "aomrc_ebi", "watters2014"),
                 "NICE does not offer facet joint injections for low back pain, and the AANS/CNS guideline does not "
                 "suggest steroid into the joint")
        if not tried:
            why = ("not yet: NICE considers radiofrequency denervation only after non-surgical treatment has "
                   "failed, for moderate or severe localised pain, with a positive diagnostic block first; ASRA "
                   "advises about 3 months of conservative care before any facet procedure")
            g.refuse("radiofrequency_ablation", src("nice_ng59", "aomrc_ebi", "cohen2020"), why)
            g.refuse("medial_branch_block", src("nice_ng59", "cohen2020"), "not yet: the block is the gate to "
                     "ablation, which comes only after non-surgical treatment has failed")
        elif mbb_relief is None:
            g.step("medial_branch_block", "G4", "a diagnostic block before any ablation", src("nice_ng59", "cohen2020"))
            g.why("G4", "non-surgical care has failed: a diagnostic medial branch block decides whether "
                  "radiofrequency denervation is worth considering; a single uncontrolled block is a false positive "
                  "in 38%", src("nice_ng59", "cohen2020", "schwarzer1994"))
        elif mbb_relief >= MBB_POSITIVE:
            g.step("radiofrequency_ablation", "G4", f"the block gave {mbb_relief:g}% relief, at least {MBB_POSITIVE}%",
                   src("nice_ng59", "aomrc_ebi", "juch2017"))
            g.why("G4", f"the block gave {mbb_relief:g}% relief (at least {MBB_POSITIVE}%, the usual NHS threshold): "
                  "NICE says consider referral for radiofrequency denervation; expect little, since the MINT trial "
                  "found no clinically important benefit over exercise at 3 months",
                  src("nice_ng59", "aomrc_ebi", "juch2017"))
        else:
            g.refuse("radiofrequency_ablation", src("nice_ng59", "aomrc_ebi"),
                     f"the block gave {mbb_relief:g}% relief, under {MBB_POSITIVE}%: it was not positive, so "
                     "denervation is not indicated")

    # G5: sciatica.
    if radicular:
        esi_src = src("nice_ng59", "oliveira2020", "fda2014_esi", "even2012")
        if "severe_leg_pain" in f and not chronic:
            g.step("epidural_steroid_injection", "G5", "acute and severe sciatica", esi_src)
            g.why("G5", "acute and severe sciatica: consider an epidural of local anaesthetic and steroid. Cochrane "
                  "found a small, short-term benefit for leg pain; the FDA warns of rare but serious neurological "
                  "harm, and blood glucose rises for about 2 days in people with diabetes", esi_src)
        else:
            g.refuse("epidural_steroid_injection", esi_src,
                     "NICE considers an epidural only for acute and severe sciatica, not for chronic sciatica or "
                     "back pain" if chronic else
                     "NICE considers an epidural only for acute and severe sciatica, and this leg pain is not "
                     "recorded as severe")
        drugs = src("nice_ng59_2020", "mathieson2017", "enke2018")
        g.refuse("gabapentinoids", drugs, "NICE (2020) does not offer gabapentinoids or other antiepileptics for "
                 "sciatica: PRECISE found no benefit over placebo at 8 or 52 weeks and more adverse events "
                 "(64% against 43%)")
        g.refuse("oral_corticosteroids", src("nice_ng59_2020"), "NICE (2020) does not offer oral corticosteroids "
                 "for sciatica: they did not help pain or function")
        g.refuse("benzodiazepines", src("nice_ng59_2020"), "NICE (2020) does not offer benzodiazepines for "
                 "sciatica: they did worse than placebo")
        if chronic:
            g.refuse("stronger_analgesics", src("nice_ng59_2020"), "NICE (2020) does not offer opioids for chronic "
                     "sciatica; for someone already taking them, explain the risks and discuss stopping")
        g.why("G5", "for sciatica, NSAIDs have too little evidence to recommend; if used, the lowest dose for the "
              "shortest time", src("nice_ng59_2020"))
        if tried and "root_compression_on_imaging" in f:
            g.referral.append("Spinal surgical opinion on decompression: NICE considers it when non-surgical care "
                              "has failed and imaging matches the symptoms (the reference sheet could not retrieve "
                              "NICE's wording: unverified). Discectomy eases leg pain more than non-surgical care in "
                              "the short to medium term, with no clinically meaningful difference beyond a year "
                              "(Liu 2023, low certainty).")
            g.why("G5", "sciatica with matching imaging after failed non-surgical care: a surgical opinion on "
                  "decompression (wording unverified)", src("nice_ng59", "liu2023", "REF"))

    if "neurogenic_claudication" in f:
        g.refuse("epidural_steroid_injection", src("nice_ng59", "aomrc_ebi"),
                 "NICE does not offer epidurals for neurogenic claudication from central canal stenosis")
        g.why("G5", "neurogenic claudication: no epidural (NICE); exercise and the combined programme as for "
              "other persistent pain", src("nice_ng59", "aomrc_ebi"))

    # G6: injections into the back for low back pain.
    if "trigger_points" in f or "trigger_point_injection" in documents_steps:
        g.refuse("trigger_point_injection", src("nice_ng59", "aomrc_ebi"),
                 "NICE does not offer trigger point injections, with any agent (botulinum toxin included), for low "
                 "back pain")
    if {"si_joint_pattern", "ligament_laxity"} & f or "prolotherapy" in documents_steps:
        g.refuse("prolotherapy", src("nice_ng59", "aomrc_ebi", "dagenais2007"),
                 "NICE does not offer prolotherapy; in the Cochrane review, prolotherapy alone did no better than a "
                 "control injection")
    if {"multifidus_atrophy", "fascia_crest_pattern"} & f or "prp" in documents_steps:
        g.refuse("prp", src("nice_ng59", "aomrc_ebi", "intradiscal_prp_rct"),
                 "NICE does not offer spinal injections for low back pain, and the largest randomised PRP trial in "
                 "the reference sheet (intradiscal, 98 patients) found no difference from saline at 12 months")

    # G7: drugs for chronic low back pain.
    if chronic:
        g.refuse("stronger_analgesics", src("nice_ng59", "krebs2018"),
                 "NICE does not offer opioids for chronic low back pain; in the SPACE trial opioids did no better "
                 "than non-opioid drugs at 12 months and caused more adverse effects")
        g.why("G7", "antidepressants divide the guidelines: NICE does not offer SSRIs, SNRIs or tricyclics for low "
              "back pain, while ACP lists duloxetine as a second-line drug for chronic pain",
              src("nice_ng59", "acp2017"))

    # G8: surgery for low back pain.
    if not fracture:
        g.refuse("spinal_fusion", src("nice_ng59", "mirza2007"),
                 "NICE does not offer spinal fusion for low back pain except within a randomised trial; in trials it "
                 "did no better than structured rehabilitation with a cognitive behavioural approach")
        g.refuse("total_disc_replacement", src("nice_ng59", "cui2018"),
                 "NICE does not offer disc replacement for low back pain; a review did not show it better than "
                 "fusion, and 12.1% were reoperated")

    # G9: cement for an osteoporotic fracture.
    if fracture or {"vertebroplasty_kyphoplasty", "kyphoplasty"} & set(documents_steps):
        g.refuse("vertebroplasty_kyphoplasty", src("buchbinder2018"),
                 "not as routine care: against a sham procedure vertebroplasty gave no clinically important pain "
                 "relief (high to moderate certainty), and serious adverse events were reported")
        if "kyphoplasty" in content.treatments:
            g.refuse("kyphoplasty", src("wardlaw2009", "buchbinder2018"),
                     "not as routine care: its trials were open, with no sham, and open trials overstated the "
                     "benefit of vertebroplasty; no sham-controlled kyphoplasty trial is known (unverified)")

    # G10: after failed surgery.
    if prior_surgeries and radicular and chronic:
        g.referral.append("Neuropathic leg pain after surgery, over 6 months despite conventional care: NICE TA159 "
                          "allows spinal cord stimulation after a successful trial, decided by a multidisciplinary "
                          "team; for back pain itself, Cochrane found little or no lasting benefit (Traeger 2023).")
        g.why("G10", "leg pain after failed surgery: spinal cord stimulation only on NICE TA159's criteria",
              src("nice_ta159", "traeger2023"))

    # G11: nothing the documents offer escapes a guideline that says no.
    for t in documents_steps:
        if t in g.next_steps or g.refused(t):
            continue
        found = card_refusal(content, t)
        if found:
            g.refuse(t, found.source, found.reason)
    return g
