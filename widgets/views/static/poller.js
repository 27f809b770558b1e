// Front end of Poller (anywidget): while `active`, asks the kernel every `interval_ms` to refresh a live
// session view, by a custom message {type: "poll"}. The kernel answers {type: "done"} after each refresh;
// a tick is skipped while an answer is awaited (up to 10 s), so a busy kernel never piles up requests.
// It sends nothing else and edits no trait. Nothing is shown.
function render({ model, el }) {
  let timer = null;
  let waitingSince = 0;

  function tick() {
    if (waitingSince && Date.now() - waitingSince < 10000) return;
    waitingSince = Date.now();
    model.send({ type: "poll" });
  }

  function sync() {
    if (timer) clearInterval(timer);
    timer = null;
    if (model.get("active")) timer = setInterval(tick, Math.max(250, model.get("interval_ms")));
  }

  function onMessage(msg) {
    if (msg && msg.type === "done") waitingSince = 0;
  }

  el.hidden = true;
  model.on("change:active", sync);
  model.on("change:interval_ms", sync);
  model.on("msg:custom", onMessage);
  sync();
  return () => {
    if (timer) clearInterval(timer);
    model.off("change:active", sync);
    model.off("change:interval_ms", sync);
    model.off("msg:custom", onMessage);
  };
}

export default { render };
