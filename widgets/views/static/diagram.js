// Front end of the anatomy diagram (anywidget): draws the course's SVG, makes every structure
// clickable and keyboard-operable, shows or hides layers, and reports the selection to Python.
const STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };

function render({ model, el }) {
  const wrap = document.createElement("div");
  wrap.className = "lb-diagram";
  // The SVG is the course's own asset (assets/diagrams/lumbar.svg), never learner input.
  const doc = new DOMParser().parseFromString(model.get("svg"), "image/svg+xml");
  const svg = document.importNode(doc.documentElement, true);
  svg.querySelectorAll("script, foreignObject").forEach((n) => n.remove());
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", model.get("label"));
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  wrap.appendChild(svg);

  const shapes = Array.from(svg.querySelectorAll("[data-structure]"));
  const seen = new Set();
  const names = model.get("names");
  for (const node of shapes) {
    const id = node.getAttribute("data-structure");
    node.classList.add("lb-structure");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", names[id] || id);
    // Each structure is one tab stop, even when it is drawn in several places.
    node.setAttribute("tabindex", seen.has(id) ? "-1" : "0");
    seen.add(id);
    const tip = document.createElementNS("http://www.w3.org/2000/svg", "title");
    tip.textContent = names[id] || id;
    node.insertBefore(tip, node.firstChild);
    node.addEventListener("click", (event) => {
      event.stopPropagation();
      choose(id);
    });
    node.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        choose(id);
      } else if (STEPS[event.key] !== undefined) {
        event.preventDefault();
        move(node, STEPS[event.key]);
      }
    });
  }

  // Arrow keys move between the structures (Enter or Space then chooses), Home and End to the first
  // and last: quicker than Tab through every one. Structures of hidden layers are skipped.
  function move(from, step) {
    const stops = shapes.filter((n) => n.getAttribute("tabindex") === "0" && n.getClientRects().length > 0);
    const here = stops.indexOf(from);
    const to = step === "first" ? 0 : step === "last" ? stops.length - 1
      : (here + step + stops.length) % stops.length;
    if (stops[to]) stops[to].focus();
  }

  function choose(id) {
    model.set("selected", id);
    model.save_changes();
  }

  function paint() {
    const selected = model.get("selected");
    for (const node of shapes) {
      const on = node.getAttribute("data-structure") === selected;
      node.classList.toggle("lb-selected", on);
      node.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function showLayers() {
    const visible = new Set(model.get("layers"));
    for (const group of svg.querySelectorAll("g[data-layer]")) {
      const layer = group.getAttribute("data-layer");
      if (layer === "labels") continue;
      group.style.display = visible.has(layer) ? "" : "none";
    }
  }

  model.on("change:selected", paint);
  model.on("change:layers", showLayers);
  paint();
  showLayers();
  el.appendChild(wrap);
  return () => {
    model.off("change:selected", paint);
    model.off("change:layers", showLayers);
  };
}

export default { render };
