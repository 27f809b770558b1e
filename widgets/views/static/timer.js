// Front end of PresenterTimer (anywidget): a stopwatch for the projector that counts in the browser
// (no kernel ticking). Start, Pause and Reset are real buttons; the time is shown as m:ss, and past
// the suggested time (`budget_s`) the words "over the suggested time" appear (not colour alone). The kernel
// may send {type: "reset"} when the instructor picks another case.
function format(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

function render({ model, el }) {
  let startedAt = null; // Date.now() when running
  let banked = 0; // milliseconds counted before the last pause
  let ticker = null;

  const wrap = document.createElement("div");
  wrap.className = "lb-timer";
  const label = document.createElement("span");
  label.className = "lb-timer-label";
  const time = document.createElement("span");
  time.className = "lb-timer-time";
  time.setAttribute("role", "timer");
  const note = document.createElement("span");
  note.className = "lb-timer-note";
  const start = document.createElement("button");
  const reset = document.createElement("button");
  start.type = reset.type = "button";
  reset.textContent = "Reset";
  for (const b of [start, reset]) b.className = "lb-timer-button";
  wrap.append(label, time, start, reset, note);
  el.appendChild(wrap);

  function elapsed() {
    return (banked + (startedAt === null ? 0 : Date.now() - startedAt)) / 1000;
  }

  function show() {
    const secs = elapsed();
    time.textContent = format(secs);
    time.setAttribute("aria-label", `Time elapsed ${format(secs)}`);
    const budget = model.get("budget_s");
    const over = budget > 0 && secs > budget;
    note.textContent = budget > 0 ? (over ? `over the suggested ${format(budget)}` : `suggested ${format(budget)}`) : "";
    wrap.classList.toggle("lb-timer-over", over);
    start.textContent = startedAt === null ? (banked ? "Resume" : "Start") : "Pause";
  }

  function toggle() {
    if (startedAt === null) {
      startedAt = Date.now();
      ticker = setInterval(show, 250);
    } else {
      banked += Date.now() - startedAt;
      startedAt = null;
      clearInterval(ticker);
      ticker = null;
    }
    show();
  }

  function doReset() {
    if (ticker) clearInterval(ticker);
    ticker = null;
    startedAt = null;
    banked = 0;
    show();
  }

  function onMessage(msg) {
    if (msg && msg.type === "reset") doReset();
  }

  function relabel() {
    label.textContent = model.get("label");
    show();
  }

  start.addEventListener("click", toggle);
  reset.addEventListener("click", doReset);
  model.on("change:label", relabel);
  model.on("change:budget_s", show);
  model.on("msg:custom", onMessage);
  relabel();
  return () => {
    if (ticker) clearInterval(ticker);
    model.off("change:label", relabel);
    model.off("change:budget_s", show);
    model.off("msg:custom", onMessage);
  };
}

export default { render };
