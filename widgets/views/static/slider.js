// Front end of LabelledSlider (anywidget): a native <input type="range"> with a real <label>, so the
// slider has an accessible name (its description), says its value in words, and moves with the arrow,
// Page Up/Down, Home and End keys. ipywidgets' own slider handle carries no name at all.
function readout(kind, v) {
  if (kind === "percent") return `${Number((v * 100).toFixed(1))}%`;  // 20%, or a study's 11.6%
  if (kind === "count") return Math.round(v).toLocaleString("en-GB");
  return String(Number(v.toFixed(2)));
}

function render({ model, el }) {
  const id = `lb-slider-${Math.random().toString(36).slice(2, 10)}`;
  const wrap = document.createElement("div");
  wrap.className = "lb-slider";
  const label = document.createElement("label");
  label.className = "lb-slider-label";
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  const shown = document.createElement("span");
  shown.className = "lb-slider-readout";
  shown.setAttribute("aria-hidden", "true"); // screen readers get the same words from aria-valuetext
  wrap.append(label, input, shown);

  function show(v) {
    const words = readout(model.get("readout"), v);
    shown.textContent = words;
    input.setAttribute("aria-valuetext", words);
  }

  function sync() {
    label.textContent = model.get("description");
    label.style.width = model.get("description_width") || "";
    input.min = String(model.get("min"));
    input.max = String(model.get("max"));
    input.step = String(model.get("step"));
    input.value = String(model.get("value"));
    input.disabled = model.get("disabled");
    wrap.classList.toggle("lb-slider-disabled", input.disabled);
    show(model.get("value"));
  }

  function send() {
    model.set("value", Number(input.value));
    model.save_changes();
  }

  input.addEventListener("input", () => {
    show(Number(input.value));
    if (model.get("continuous_update")) send();
  });
  input.addEventListener("change", send);
  const traits = ["value", "min", "max", "step", "description", "description_width", "readout", "disabled"];
  for (const t of traits) model.on(`change:${t}`, sync);
  sync();
  el.appendChild(wrap);
  return () => {
    for (const t of traits) model.off(`change:${t}`, sync);
  };
}

export default { render };
