"""Pure models: anatomy, pain patterns, self-check, dosing, red flags, the two lenses, the ladder explorer, the
simulator, cohorts, the debrief, STarT Back and the case presenter. No ipywidgets, no IPython; they read
content only."""
