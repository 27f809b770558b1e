"""Schemas for every kind of course content kept in assets/ (one pydantic model per kind)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

DESIGNS = (
    "systematic_review",
    "meta_analysis",
    "rct",
    "prospective_cohort",
    "retrospective_cohort",
    "case_control",
    "case_series",
    "cross_sectional",
    "survey",
    "narrative_review",
    "editorial",
    "guideline",
    "consensus",
    "decision_model",
    "textbook",
    "expert_opinion",
    "news_report",
    "unknown",
)
Design = Literal[DESIGNS]  # type: ignore[valid-type]

GRADES = ("high", "moderate", "low", "very_low", "not_graded")
Grade = Literal[GRADES]  # type: ignore[valid-type]

LAYERS = ("bone", "joint", "ligament", "fascia", "muscle", "nerve")
Layer = Literal[LAYERS]  # type: ignore[valid-type]

RUNGS = (
    "lifestyle",
    "conservative",
    "medication",
    "interventional",
    "regenerative",
    "minimally_invasive",
    "surgery",
    "emergency",
)
Rung = Literal[RUNGS]  # type: ignore[valid-type]


def _check_id(value: str) -> str:
    if not value or not all(c.islower() or c.isdigit() or c == "_" for c in value) or value[0].isdigit():
        raise ValueError(f"must be lower_snake_case letters, digits and underscores, got {value!r}")
    return value


Id = Annotated[str, AfterValidator(_check_id)]


class Strict(BaseModel):
    """Base: unknown fields are errors, so a typo in a field name is caught."""

    # defer_build: a model's validator is built when it first validates, not on import. A kernel that
    # finds its content already validated (content.kept) then never pays for building about 50 of them.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Sourced(Strict):
    """Anything that makes a clinical claim names where it comes from: document ids (S0-S4, REF)
    and/or reference ids from references.yaml."""

    sources: list[str] = Field(min_length=1)


# --- documents and references -------------------------------------------------------------


class Document(Strict):
    id: str = Field(pattern=r"^(S[0-9]|REF)$")
    file: str
    title: str
    kind: str
    caution: str = ""


class DocumentsFile(Strict):
    documents: list[Document] = Field(min_length=1)


class Reference(Strict):
    id: Id
    citation: str
    short: str = ""  # label shown beside claims ("Brinjikji 2015b"); derived from the citation if empty
    design: Design
    size: str = ""  # "n=17", "33 studies, 3110 people"; empty when unknown
    cited_by: list[str] = []  # document ids that cite it; empty = brought in by the reference sheet
    note: str = ""


class ReferencesFile(Strict):
    references: list[Reference] = Field(min_length=1)


# --- anatomy ------------------------------------------------------------------------------


class Imaging(Strict):
    mri: str
    xray: str
    ultrasound: str


class Structure(Sourced):
    id: Id
    name: str
    layer: Layer
    region: str  # a short grouping for menus ("Vertebrae and landmarks", "Disc", ...)
    function: str
    pain: str  # why it can become a pain generator
    imaging: Imaging


class StructuresFile(Strict):
    structures: list[Structure] = Field(min_length=1)


class NerveRoot(Sourced):
    id: Id
    root: str  # "L4"
    structure: Id  # the anatomy structure it belongs to
    dermatome: str
    myotome: str
    reflex: str
    typical_disc: str  # the disc level whose paracentral herniation usually compresses it
    caveat: str = ""
    disc: str = ""  # that disc as the localiser's quiz names it ("L4/5"); empty = not offered as an answer
    far_lateral_disc: str = ""  # the disc whose far-lateral (foraminal) herniation catches it as it exits


# The localiser (lesson 02): bedside findings, the caveats shown with its answer, and practice patients.
ROOT_FINDING_KINDS = ("weakness", "sensory", "reflex", "tension")
CANT_TELL = "cant_tell"  # a vignette's expected root or disc when the findings do not name one


class RootFinding(Sourced):
    id: Id
    label: str  # "Weak big-toe extension"
    kind: Literal[ROOT_FINDING_KINDS]  # type: ignore[valid-type]
    roots: list[Id] = Field(min_length=1)  # the root ids (roots above) it points to
    weight: int = Field(ge=1, le=3)  # the course's teaching weight (not a likelihood ratio)
    note: str = ""  # roots outside the table, where tables differ


class ExamCaveat(Sourced):
    id: Id
    when: str  # "always", "nothing", "localised", "tie", "mixed", a finding kind or a finding id
    text: str


class RootVignette(Sourced):
    id: Id
    title: str
    story: str
    findings: list[Id]  # finding ids; empty = an examination that finds nothing
    root: str  # the expected root id, or cant_tell
    disc: str  # the expected disc ("L4/5"), or cant_tell


class RootsFile(Strict):
    roots: list[NerveRoot] = Field(min_length=1)
    findings: list[RootFinding] = []
    caveats: list[ExamCaveat] = []
    vignettes: list[RootVignette] = []


# --- conditions, treatments, glossary ----------------------------------------------------------


CONDITION_KINDS = (
    "structural",  # a lumbar structure generates the pain: `structures` names it
    "non_specific",  # no single structure can be identified, as in most back pain (Hartvigsen 2018)
    "outside_spine",  # back pain from elsewhere, such as an aortic aneurysm
)


class Condition(Sourced):
    id: Id
    name: str
    summary: str
    kind: Literal[CONDITION_KINDS] = "structural"  # type: ignore[valid-type]
    structures: list[Id] = []

    @model_validator(mode="after")
    def _structures(self) -> Condition:
        if self.kind == "structural" and not self.structures:
            raise ValueError("a structural condition names at least one structure")
        return self


class ConditionsFile(Strict):
    conditions: list[Condition] = Field(min_length=1)


GUIDELINE_BODIES = ("nice", "acp", "cochrane")
STANCES = (
    "recommends",  # a guideline recommends it (any strength)
    "consider",  # a guideline says consider it, for a defined group
    "only_with_exercise",  # only as part of a package with exercise or psychological care
    "does_not_offer",  # a guideline says do not offer or not recommended
    "small_benefit",  # a review found a small benefit
    "no_clear_benefit",  # a review found no clinically important benefit, or conflicting results
    "evidence_limited",  # a review found too little good evidence to say
)
AGREEMENT = ("agree", "partly", "differ", "guidelines_conflict", "no_guidance", "documents_silent")
# Which way the best evidence points, shown beside its certainty on every evidence badge, so that "high"
# never reads as "works" when it means high certainty of no benefit.
DIRECTIONS = (
    "benefit",  # a worthwhile benefit
    "small_benefit",  # a benefit, but small or short-lived
    "no_benefit",  # no clinically important benefit over sham, placebo or control
    "conflicting",  # trials disagree
    "uncontrolled_only",  # only uncontrolled or open studies: the direction is not known
    "not_applicable",  # not a treatment whose effect is tested (an emergency referral, a definition)
)
# Rungs whose treatments put a needle or a knife in the patient: every card lists its harms.
HARM_RUNGS = ("interventional", "regenerative", "minimally_invasive", "surgery")


class GuidelineStance(Strict):
    """What one guideline or Cochrane review says about a treatment, as the reference sheet records it."""

    body: Literal[GUIDELINE_BODIES]  # type: ignore[valid-type]
    stance: Literal[STANCES]  # type: ignore[valid-type]
    text: str
    reference: Id  # the guideline or review (references.yaml)


class Harm(Sourced):
    """One way a treatment can hurt the patient, and how often, as the reference sheet records it."""

    text: str  # what can go wrong
    frequency: str = ""  # how often, with the sheet's figure; empty = the sheet gives no figure (the card says so)


class Treatment(Sourced):
    id: Id
    name: str
    rung: Rung
    summary: str
    targets: list[Id] = []  # structure ids
    conditions: list[Id] = []  # condition ids
    mechanism: str = ""  # what the documents say it does
    indications: str = ""  # for whom, in the documents
    limits: str = ""  # what it cannot do, risks, what the documents leave out
    sessions: str = ""  # typical number of sessions or duration; "Not stated in the documents." if absent
    step_up: str = ""  # when the documents move on, and to what
    grade: Grade = "not_graded"  # the certainty of the best evidence (reference sheet section 3.7)
    direction: Literal[DIRECTIONS] = "not_applicable"  # type: ignore[valid-type]  # which way it points
    direction_text: str = ""  # the badge's words, e.g. "no benefit over sham"; empty = the direction's label
    evidence: str = ""  # the best evidence in one line: design, size, result
    figures: list[Id] = []  # figure ids shown with the treatment
    guidelines: list[GuidelineStance] = []  # absent body = no statement found
    agreement: Literal[AGREEMENT] = "no_guidance"  # type: ignore[valid-type]  # documents' view against guidelines
    agreement_note: str = ""
    harms: list[Harm] = []  # required on HARM_RUNGS (checked by widgets.content.loader)


class TreatmentsFile(Strict):
    treatments: list[Treatment] = Field(min_length=1)


class Term(Strict):
    id: Id
    term: str
    definition: str
    sources: list[str] = []


class GlossaryFile(Strict):
    terms: list[Term] = Field(min_length=1)


# --- figures: every number on screen --------------------------------------------------------


class Figure(Strict):
    id: Id
    label: str  # what the number measures
    value: str  # the figure as shown, e.g. "37% at 20 to 96% at 80"
    document: str  # the source document the claim or figure enters the course from (S0-S4, REF)
    reference: Id  # the study behind it
    grade: Grade
    caveat: str = ""  # where the reference sheet found it misquoted or out of context


class FiguresFile(Strict):
    figures: list[Figure] = Field(min_length=1)


# --- lessons and self-checks ---------------------------------------------------------------


class Objective(Strict):
    """One bullet of a lesson's "What you will learn" cell, word for word, with an id its questions name."""

    id: Id
    text: str


class Lesson(Strict):
    id: str = Field(pattern=r"^[0-9]{2}$")
    title: str
    file: str
    summary: str  # one line for the course map
    minutes: int = Field(gt=0, le=240)  # widgets.content.lesson_time.lesson_minutes of the notebook
    prerequisites: list[str] = []
    references: list[Id] = []  # the studies the lesson's reference section lists
    objectives: list[Objective] = []  # the notebook's bullets; every one assessed by a question (tests)


class LessonsFile(Strict):
    lessons: list[Lesson] = Field(min_length=1)


class Choice(Strict):
    text: str
    correct: bool = False
    feedback: str  # why this answer is right or wrong


QUESTION_KINDS = (
    "bedside",  # a decision on a patient: what to examine, order or not, tell them, or do now
    "reading",  # critical reading of a study or a document, or recall
)


class Question(Sourced):
    id: Id
    prompt: str
    kind: Literal[QUESTION_KINDS]  # type: ignore[valid-type]
    objectives: list[Id] = Field(min_length=1)  # ids of its lesson's objectives (lessons.yaml) it assesses
    choices: list[Choice] = Field(min_length=2, max_length=6)

    @model_validator(mode="after")
    def _one_correct(self) -> Question:
        right = sum(c.correct for c in self.choices)
        if right != 1:
            raise ValueError(f"needs exactly one correct choice, has {right}")
        return self


class QuestionsFile(Strict):
    lesson: str = Field(pattern=r"^[0-9]{2}$")
    questions: list[Question] = Field(min_length=1)


# --- pain-pattern explorer -------------------------------------------------------------------


class PatternOption(Strict):
    id: Id
    label: str
    red_flag: bool = False


class PatternInput(Strict):
    id: Id
    label: str
    kind: Literal["single", "multiple"]
    options: list[PatternOption] = Field(min_length=1)


class Rule(Sourced):
    when: Id  # a pattern option id
    weight: int = Field(ge=-3, le=3)
    reason: str

    @field_validator("weight")
    @classmethod
    def _nonzero(cls, v: int) -> int:
        if v == 0:
            raise ValueError("must not be 0 (a rule that changes nothing)")
        return v


class Generator(Strict):
    id: Id
    name: str
    structures: list[Id] = Field(min_length=1)
    caveat: str = ""
    rules: list[Rule] = Field(min_length=1)


class PainPatternsFile(Strict):
    inputs: list[PatternInput] = Field(min_length=1)
    red_flag_message: str
    generators: list[Generator] = Field(min_length=1)


# --- decision engine -----------------------------------------------------------------------------


# The kind of warning a finding carries. What each kind means for urgency, what to do now and how fast is
# data too: ladder.yaml red_flags.kinds (one entry per kind, plus the combinations the engine recognises).
FLAGS = (
    "cauda_equina",  # emergency (rule D1)
    "infection",  # suspected spinal infection: emergency, same day
    "major_trauma",  # emergency imaging (NICE NG41)
    "aneurysm",  # suspected abdominal aortic aneurysm: emergency (NICE NG156)
    "malignancy",  # urgent (NICE CG75 time frames); with a cord or cauda equina deficit, an emergency
    "fracture",  # minor trauma with osteoporosis or steroids: urgent
    "weak",  # alone, a reason to review (Downie 2013); two or more together, urgent
    "inflammatory",  # inflammatory back pain (NICE NG65): referral to rheumatology
)
URGENCIES = ("emergency", "urgent", "review", "referral")


class Finding(Sourced):
    id: Id
    label: str
    description: str
    flag: Literal[FLAGS] | None = None  # type: ignore[valid-type]  # None = a finding for the ladder only

    @property
    def red_flag(self) -> bool:
        """A flag that takes the patient off the ladder (emergency or urgent), not a weak or referral one."""
        return self.flag is not None and self.flag not in ("weak", "inflammatory")


# --- the ladder: rungs in the documents' order, the red-flag overlay, the guideline bodies ---------


class LadderRung(Sourced):
    id: Rung
    label: str
    summary: str  # what the documents put on this rung
    step_up: str = ""  # when the documents climb to the next rung


class FlagKind(Sourced):
    """What one kind of warning means: how urgent, what to do now, how fast. `id` is a FLAGS value, or a
    combination the engine recognises (cord_compression: malignancy with a deficit; several_weak_flags)."""

    id: Id
    label: str  # "Suspected spinal infection"
    urgency: Literal[URGENCIES]  # type: ignore[valid-type]
    now: str  # what to do now, in one or two sentences
    timing: str  # how fast, with the standard's own figure
    documents: str  # what the five documents say about it (often: nothing)


class RedFlagOverlay(Sourced):
    summary: str
    findings: list[Id] = Field(min_length=1)
    kinds: list[FlagKind] = Field(min_length=1)


class GuidelineBody(Strict):
    id: Literal[GUIDELINE_BODIES]  # type: ignore[valid-type]
    label: str
    reference: Id
    summary: str


class StratifiedCare(Sourced):
    """STarT Back's risk groups and the care matched to each (reference sheet 3.6 and 7.7)."""

    group: Literal["low", "medium", "high"]
    rule: str  # how the score puts a patient in this group
    care: str  # the matched care


class LadderFile(Strict):
    order_note: str  # where the documents disagree about the order
    rungs: list[LadderRung] = Field(min_length=1)
    red_flags: RedFlagOverlay
    guidelines: list[GuidelineBody] = Field(min_length=1)
    stratified_care: list[StratifiedCare] = []  # STarT Back's groups (low, medium, high)


class FindingsFile(Strict):
    findings: list[Finding] = Field(min_length=1)


# --- the local anaesthetic dose check (lesson 05) --------------------------------------------------


class DoseLimit(Sourced):
    """One maximum for one drug: mg, or mg per kg of body weight, plain and with adrenaline."""

    label: str  # "single dose", "in any 4 hours", "in 24 hours"
    per_kg: bool = False  # the figures are mg per kg: the check needs the patient's weight
    plain: float = Field(gt=0)
    with_adrenaline: float = Field(gt=0)
    counts_earlier: bool = True  # the same drug given in the last 4 hours counts against this limit too


class DrugLimit(Sourced):
    id: Id
    name: str
    limits: list[DoseLimit] = Field(min_length=1)
    typical_concentration_pct: float | None = Field(default=None, gt=0, le=100)
    note: str  # where each limit comes from, and what the documents say about it


class Toxicity(Sourced):
    """Local anaesthetic systemic toxicity (LAST): how often, the signs, and what to do."""

    frequency: str
    documents_signs: list[str] = Field(min_length=1)  # the signs S4 lists
    early_signs: list[str] = Field(min_length=1)  # central nervous system, early
    late_signs: list[str] = Field(min_length=1)
    cardiovascular_signs: list[str] = Field(min_length=1)
    treatment: list[str] = Field(min_length=1)  # what to do, in order
    avoid: str  # drugs to avoid during resuscitation


class LipidRegimen(Sourced):
    """20% lipid emulsion for LAST (ASRA 2020), by weight."""

    heavy_over_kg: float = Field(gt=0)  # above this weight the fixed volumes apply
    heavy_bolus_ml: float = Field(gt=0)
    heavy_infusion: str  # "200-250 mL over 15-20 minutes"
    bolus_ml_per_kg: float = Field(gt=0)  # at or below heavy_over_kg, per kg of lean body weight
    infusion_ml_per_kg_min: float = Field(gt=0)
    ceiling_ml_per_kg: float = Field(gt=0)
    unstable: str  # what to do if the patient stays unstable


class TriggerPointPractice(Sourced):
    """What trigger point practice uses, to tell a dose far above it even when within the drug limit."""

    ml_per_point: float = Field(gt=0)
    far_above_factor: float = Field(gt=1)  # the course's own flag: this many times ml_per_point
    note: str


class DosingFile(Strict):
    drugs: list[DrugLimit] = Field(min_length=1)
    toxicity: Toxicity
    lipid: LipidRegimen
    trigger_point_practice: TriggerPointPractice
    caution: str  # shown under every result


# --- virtual patients (assets/cases/*.yaml, one patient per file; see assets/cases/README.md) ------


class Presentation(Strict):
    age: int = Field(ge=16, le=100)
    sex: Literal["female", "male"]
    history: str  # the story in the patient's words, as a resident would take it
    where: str  # where it hurts
    spreads: str  # where it spreads ("nowhere" is an answer)
    worse_with: str
    weeks: int = Field(ge=0, le=2600)  # how long it has been going on


class ImagingReport(Strict):
    modality: Literal["mri", "xray", "ct", "ultrasound"]
    report: str  # what the report says
    incidental: bool  # true when the finding does not explain this patient's pain
    teaching: str  # what it shows and what it misses, for the debrief


class PriorTreatment(Strict):
    treatment: Id
    outcome: str
    helped: bool = False  # did it help? A course that did not help makes the same kind less likely to (simulator)


AGREE = Literal["agree", "disagree"]
BOTHER = ("not_at_all", "slightly", "moderately", "very_much", "extremely")


class StartBackAnswers(Strict):
    """The patient's answers to the 9-item STarT Back tool (reference sheet 3.6), about the last 2 weeks."""

    leg_pain: AGREE  # 1 back pain has spread down the leg(s)
    shoulder_or_neck_pain: AGREE  # 2
    walked_only_short_distances: AGREE  # 3
    dressed_more_slowly: AGREE  # 4
    not_safe_to_be_active: AGREE  # 5 fear (psychosocial)
    worrying_thoughts: AGREE  # 6 anxiety (psychosocial)
    terrible_never_better: AGREE  # 7 catastrophising (psychosocial)
    not_enjoyed_things: AGREE  # 8 low mood (psychosocial)
    bothersome: Literal[BOTHER]  # type: ignore[valid-type]  # 9 (psychosocial): positive = very_much or extremely


OdiLevel = Annotated[int, Field(ge=0, le=5)]


class OdiAnswers(Strict):
    """The patient's Oswestry Disability Index answers (reference sheet 3.6): each section 0 (no difficulty) to 5
    (cannot do it at all), or null when left unanswered (sex life may be left out as not applicable). Every
    section is written out, so a gap is a choice, not a slip. Scored by widgets/models/odi.py."""

    pain_intensity: OdiLevel | None
    personal_care: OdiLevel | None  # washing, dressing
    lifting: OdiLevel | None
    walking: OdiLevel | None
    sitting: OdiLevel | None
    standing: OdiLevel | None
    sleeping: OdiLevel | None
    sex_life: OdiLevel | None  # may be null: not applicable
    social_life: OdiLevel | None
    travelling: OdiLevel | None


class Attending(Sourced):
    """What an attending adds in the debrief: the words to use, safety-netting, and what to document."""

    words: str  # what to say to this patient, in plain language
    safety_net: str  # what should bring them back, and how fast
    document: str  # what to write in the notes


class Truth(Strict):
    """Hidden from the learner until the debrief."""

    generators: list[Id] = Field(min_length=1)  # condition ids: the pain generator(s) behind the case
    explanation: str


class Baseline(Strict):
    pain: float = Field(ge=0, le=10)  # numeric rating scale, 0-10
    function: float = Field(ge=0, le=100)  # Oswestry Disability Index, % (higher = more disabled)


class Case(Sourced):
    id: Id
    title: str
    summary: str  # one line for the case list (gives nothing away)
    presentation: Presentation
    exam: list[str] = Field(min_length=1)
    imaging: list[ImagingReport] = []
    findings: list[Id] = []  # decision-engine findings (assets/findings.yaml) the work-up reveals
    red_flags: list[Id] = []  # findings that are red flags; must also be flagged in findings.yaml
    prior_treatments: list[PriorTreatment] = []
    prior_surgeries: int = Field(default=0, ge=0, le=10)
    mbb_relief: float | None = Field(default=None, ge=0, le=100)  # what a diagnostic block would show
    baseline: Baseline
    truth: Truth
    start_back: StartBackAnswers | None = None  # the patient's STarT Back answers (every shipped case has them)
    odi: OdiAnswers | None = None  # the patient's Oswestry answers (every shipped case; index = baseline.function)
    attending: Attending | None = None  # the attending's words, safety-netting and notes (every shipped case)


# --- simulation parameters (assets/simulation.yaml): every number the simulator uses, with its source --


Float01 = Annotated[float, Field(ge=0, le=1)]


class Parameter(Sourced):
    id: Id
    label: str
    values: list[float] = Field(min_length=1)
    unit: str  # "probability", "fraction of improvement", "weeks", ...
    figures: list[Id] = []  # the figure(s) the values reproduce, when they come from one
    assumption: bool = False  # true when the value is the course's own modelling choice, not a source's
    note: str = ""


WORLDS = ("trials", "documents")  # the simulator's two worlds: what controlled trials found, and the documents' claims


class TrialEffect(Sourced):
    """What one kind of treatment does in the trials' world (reference sheet section 8): a chance of responding,
    higher when the treatment fits the hidden generator, and relief in those who respond that starts, lasts and
    fades as the trials report. Calibrated against the trial contrasts `lowback cohort calibrate`
    prints."""

    response_fit: float = Field(ge=0, le=1)  # chance of a specific response when the treatment fits
    response_other: float = Field(ge=0, le=1)  # when it does not
    relief: float = Field(ge=0, le=1)  # mean share of the remaining pain removed in a responder
    concentration: float = Field(default=8.0, gt=0, le=1000)
    lasts_weeks: float | None = Field(default=None, ge=0)  # none = lasting
    fade_weeks: float = Field(default=4.0, gt=0)
    figures: list[Id] = []
    assumption: bool = False
    note: str = ""


class Effect(Sourced):
    """What one kind of treatment does in the simulator. Numbers taken from a figure name it in `figures`
    and `note`; the rest are the course's assumptions (`assumption: true`), shown in lesson 08."""

    id: Id
    label: str
    treatments: list[Id] = Field(min_length=1)  # every treatment id belongs to exactly one effect
    weeks: int = Field(ge=0, le=52)  # calendar weeks one course of treatment takes
    fit_relief: float = Field(ge=0, le=1)  # mean share of pain removed when it fits the hidden generator
    other_relief: float = Field(ge=0, le=1)  # mean share removed when it does not fit
    concentration: float = Field(default=8.0, gt=0, le=1000)  # a + b of the beta distribution of relief
    session_parameter: Id | None = None  # a parameter: mean relief after the 1st, 2nd, 3rd course when it fits
    success: float = Field(default=1.0, ge=0, le=1)  # chance the procedure works at all when it fits
    success_by_blocks: list[Float01] = []  # success after 0, 1, 2+ positive diagnostic blocks (replaces success)
    surgery: bool = False  # success follows surgery_success by operation number; a failure can mean FBSS
    diagnostic: bool = False  # a block: reports relief in the hours after it, with no lasting effect
    referral: bool = False  # hands the patient to emergency or urgent care (the simulation stops)
    lasts_weeks: float | None = Field(default=None, ge=0)  # relief holds this long after the course; none = lasting
    fade_weeks: float = Field(default=4.0, gt=0)  # then halves every fade_weeks
    complication: float = Field(default=0.0, ge=0, le=1)  # chance of a complication per course
    complication_text: str = ""
    cost: float = Field(ge=0)  # relative cost units (the documents give no prices)
    patient_days: float = Field(ge=0)  # days of the patient's life the course takes (visits, recovery)
    invasive: int = Field(default=0, ge=0, le=3)  # 0 none, 1 needle, 2 minimally invasive, 3 open surgery
    figures: list[Id] = []
    assumption: bool = False
    note: str = ""
    trials: TrialEffect | None = None  # the trials' world; without it the effect works there as in the documents'


class NaturalCourse(Sourced):
    """How pain changes with no treatment, for a kind of generator."""

    id: Id
    label: str
    world: Literal[WORLDS] = "documents"  # type: ignore[valid-type]
    generators: list[Id] = []  # condition ids; the default course (empty list) covers all the others
    max_case_weeks: int | None = Field(default=None, ge=0)  # applies only while the episode is this young
    # the documents' world: pain falls in a straight line to `residual` by a log-normal recovery time
    recovery_median_weeks: float | None = Field(default=None, gt=0)  # none = no recovery on its own
    recovery_sigma: float = Field(default=0.8, gt=0, le=3)  # spread of recovery times (log-normal)
    residual: float = Field(default=0.1, ge=0, le=1)  # share of the pain left once recovered
    # the trials' world: each patient's share of baseline pain is floor + (1 - floor) * exp(-t / tau), with the
    # floor drawn from a beta distribution and tau from a log-normal one (fitted to the cohorts of section 8.1)
    floor_mean: float | None = Field(default=None, ge=0, le=1)
    floor_concentration: float = Field(default=4.0, gt=0)
    tau_median_weeks: float | None = Field(default=None, gt=0)
    tau_sigma: float = Field(default=1.0, gt=0, le=3)
    figures: list[Id] = []
    assumption: bool = False
    note: str = ""


class StrategyStep(Strict):
    # a treatment id, or "advice" (the decision engine's next steps for the case, in order),
    # "imaging" (the scans in the case file) or "wait" (advice and review later)
    treatment: Id
    only_if_not_improved: bool = True  # skipped for patients already improved by the MCID


class Strategy(Sourced):
    id: Id
    label: str
    description: str
    steps: list[StrategyStep] = Field(min_length=1)


class SimulationFile(Strict):
    parameters: list[Parameter] = Field(min_length=1)
    effects: list[Effect] = []
    natural_course: list[NaturalCourse] = []
    strategies: list[Strategy] = []
