// Front end of PageShown (widgets/views/progress.py): draws nothing, and tells the kernel that a page now shows
// the view, so a view built before the learner arrived (Voila's preheated kernels) can reload saved progress.
function render({ model, el }) {
  el.hidden = true;
  model.send({ event: "shown" });
}

export default { render };
