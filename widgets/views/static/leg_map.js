// Front end of the dermatome and myotome map (anywidget): the course's own drawing of a right leg from the
// front and from behind, with the L4, L5 and S1 skin territories as focusable regions, and beside it each
// root's key muscles and reflex. The learner picks a root (click, or Tab to a territory, Enter or Space; the
// arrow keys move between roots); Python lights roots (`lit`) when the localiser answers.
//
// Status is never shown by colour alone: each root has its own fill pattern (stripes, dots, cross-hatch)
// and its name written on the territory; a lit root gets a solid outline and the word "Highlighted"; the
// chosen one a dashed outline and the word "Selected". Narrow, the two views are shown one at a time, by
// tabs; either way the drawing zooms inside its own box, never the page.
const STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };
const TAB_STEPS = { ArrowRight: 1, ArrowLeft: -1, Home: "first", End: "last" };
const ZOOMS = [1, 1.5, 2, 3];
const ZOOM_KEYS = { "+": 1, "=": 1, "-": -1, _: -1 };
const NARROW = 220; // below this width (px) of the drawing, one view at a time (each leg under 110 px wide)
const WIDE = 240; // and back to both from here (a gap, so a scroll bar cannot flip it back and forth)
const SVGNS = "http://www.w3.org/2000/svg";
const VIEWS = [
  { label: "Front view", box: [0, 0, 220, 560] },
  { label: "Back view", box: [220, 0, 220, 560] },
];

// The drawing: a right leg from the front (lateral side on the viewer's left) and from behind (lateral side on
// the viewer's right, the foot turned up to show the sole). Territories follow the root table (reference
// sheet 4.6): L4 front of the knee and medial shin to the medial malleolus; L5 lateral calf, top of the foot
// and great toe; S1 outer edge of the foot, sole, heel and back of the calf.
const OUTLINES = [
  "M60 30 C52 90 60 160 72 215 C70 235 70 250 72 262 C62 310 70 380 88 440 L86 462 C70 490 66 520 72 540 " +
    "L150 540 C156 520 150 490 136 462 L134 440 C146 380 150 310 142 262 C146 250 146 235 144 215 " +
    "C152 160 160 90 160 30 Z",
  "M270 30 C270 90 278 160 286 215 C284 235 284 250 288 262 C280 310 284 380 306 440 L304 462 " +
    "C300 480 298 490 300 500 C292 525 296 540 300 545 L362 545 C370 530 368 505 362 490 C362 480 358 470 356 462 " +
    "L354 440 C376 380 380 310 372 262 C376 250 376 235 374 215 C382 160 390 90 390 30 Z",
];
const DETAILS = [ // toes, kneecap and malleoli: drawn lines only, not regions
  "M86 540 L86 530 M100 540 L100 528 M114 540 L114 527 M128 540 L128 526",
  "M108 226 m-16 0 a16 14 0 1 0 32 0 a16 14 0 1 0 -32 0",
  "M314 545 L314 534 M328 545 L328 532 M342 545 L342 531 M354 545 L354 533",
  "M292 100 C310 112 350 112 372 100",
];
const TERRITORIES = [
  { root: "l4", view: 0, label: [122, 330],
    d: "M76 208 C96 198 124 198 142 208 C145 235 145 250 142 262 C150 310 146 380 134 440 L136 464 " +
       "C128 468 120 462 116 450 C114 400 112 320 110 268 C100 272 84 270 72 262 C70 245 70 230 76 208 Z" },
  { root: "l5", view: 0, label: [92, 340],
    d: "M72 262 C84 270 100 272 110 268 C112 320 114 400 116 450 C120 462 128 468 136 464 C148 490 154 520 150 540 " +
       "L90 540 C86 515 90 485 94 462 L88 440 C70 380 62 310 72 262 Z" },
  { root: "s1", view: 0, label: [80, 505],
    d: "M88 440 L94 462 C90 485 86 515 90 540 L72 540 C66 520 70 490 86 462 Z" },
  { root: "l4", view: 1, label: [292, 340],
    d: "M288 262 L300 270 C296 330 306 400 320 440 L306 440 C284 380 280 310 288 262 Z" },
  { root: "s1", view: 1, label: [331, 360],
    d: "M300 270 C315 276 345 276 362 270 C368 330 356 400 340 440 L346 462 L314 462 L320 440 " +
       "C306 400 296 330 300 270 Z M304 462 L356 462 C358 470 362 480 362 490 C368 505 370 530 362 545 L300 545 " +
       "C296 540 292 525 300 500 C298 490 300 480 304 462 Z" },
  { root: "l5", view: 1, label: [372, 330],
    d: "M362 270 L372 262 C380 310 376 380 354 440 L340 440 C356 400 368 330 362 270 Z" },
];
const TEXTS = [
  [110, 18, "Front", "lb-legmap-title"], [330, 18, "Back", "lb-legmap-title"],
  [4, 150, "lateral", "lb-legmap-side", "start"], [206, 150, "medial", "lb-legmap-side", "end"],
  [234, 150, "medial", "lb-legmap-side", "start"], [436, 150, "lateral", "lb-legmap-side", "end"],
  [331, 530, "sole", "lb-legmap-side"],
];
let made = 0;

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function element(tag, props = {}, attrs = {}) {
  const node = Object.assign(document.createElement(tag), props);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

// One fill pattern per root, so a territory is told apart without its colour.
function patterns(uid) {
  const defs = svgEl("defs");
  const make = (root, draw) => {
    const p = svgEl("pattern", { id: `${uid}-${root}`, patternUnits: "userSpaceOnUse", width: 8, height: 8 });
    p.appendChild(svgEl("rect", { width: 8, height: 8, class: `lb-legmap-bg lb-root-${root}` }));
    draw(p);
    defs.appendChild(p);
  };
  make("l4", (p) => p.appendChild(svgEl("path", { d: "M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6", class: `lb-legmap-ink lb-root-l4` })));
  make("l5", (p) => p.appendChild(svgEl("circle", { cx: 4, cy: 4, r: 1.6, class: `lb-legmap-dot lb-root-l5` })));
  make("s1", (p) => p.appendChild(svgEl("path", { d: "M0 4 L8 4 M4 0 L4 8", class: `lb-legmap-ink lb-root-s1` })));
  return defs;
}

function render({ model, el }) {
  let uid;
  do uid = `lb-legmap-${++made}`; while (document.getElementById(`${uid}-view`));
  const roots = model.get("roots") || [];
  const names = Object.fromEntries(roots.map((r) => [r.id, r.name]));
  const wrap = element("div", { className: "lb-legmap" });
  const figure = element("div", { className: "lb-legmap-figure" });

  const svg = svgEl("svg", { viewBox: "0 0 440 560", role: "group", "aria-label": model.get("label") });
  svg.appendChild(patterns(uid));
  for (const d of OUTLINES) svg.appendChild(svgEl("path", { d, class: "lb-legmap-outline" }));
  const shapes = [];
  for (const t of TERRITORIES) {
    const r = roots.find((x) => x.id === t.root);
    if (!r) continue;
    const g = svgEl("g", { class: `lb-legmap-territory lb-root-${t.root}`, "data-root": t.root,
      "data-view": String(t.view), role: "button", "aria-pressed": "false", "data-lit": "false" });
    const tip = svgEl("title");
    tip.textContent = `${r.name} dermatome: ${r.dermatome}`;
    g.appendChild(tip);
    g.appendChild(svgEl("path", { d: t.d, fill: `url(#${uid}-${t.root})`, class: "lb-legmap-area" }));
    const text = svgEl("text", { x: t.label[0], y: t.label[1], class: "lb-legmap-label", "text-anchor": "middle",
      "aria-hidden": "true" });
    text.textContent = r.name;
    g.appendChild(text);
    g.setAttribute("aria-label", `${r.name} dermatome (${VIEWS[t.view].label.toLowerCase()}): ${r.dermatome}`);
    g.addEventListener("click", () => choose(t.root));
    g.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        choose(t.root);
      } else if (STEPS[event.key] !== undefined) {
        event.preventDefault();
        move(g, STEPS[event.key]);
      } else if (ZOOM_KEYS[event.key] !== undefined && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        setZoom(zoom + ZOOM_KEYS[event.key]);
      }
    });
    svg.appendChild(g);
    shapes.push(g);
  }
  for (const d of DETAILS) svg.appendChild(svgEl("path", { d, class: "lb-legmap-detail", "aria-hidden": "true" }));
  for (const [x, y, words, cls, anchor] of TEXTS) {
    const text = svgEl("text", { x, y, class: cls, "text-anchor": anchor || "middle", "aria-hidden": "true" });
    text.textContent = words;
    svg.appendChild(text);
  }

  const tabs = element("div", { className: "lb-diagram-tabs", hidden: true },
    { role: "tablist", "aria-label": "Views of the leg" });
  const tabButtons = VIEWS.map((view, i) => {
    const tab = element("button", { type: "button", className: "lb-diagram-tab", textContent: view.label,
      id: `${uid}-tab-${i}` }, { role: "tab", "aria-controls": `${uid}-view`, "aria-selected": "false",
      tabindex: "-1" });
    tab.addEventListener("click", () => showView(i));
    tab.addEventListener("keydown", (event) => {
      const step = TAB_STEPS[event.key];
      if (step === undefined) return;
      event.preventDefault();
      const to = step === "first" ? 0 : step === "last" ? VIEWS.length - 1 : (i + step + VIEWS.length) % VIEWS.length;
      tabButtons[to].focus();
    });
    tabs.appendChild(tab);
    return tab;
  });
  const port = element("div", { className: "lb-legmap-port", id: `${uid}-view` });
  port.appendChild(svg);
  const tools = element("div", { className: "lb-diagram-tools" }, { role: "group", "aria-label": "Zoom the leg map" });
  const zoomOut = element("button", { type: "button", className: "lb-diagram-button", textContent: "Zoom out" },
    { "aria-keyshortcuts": "-" });
  const zoomIn = element("button", { type: "button", className: "lb-diagram-button", textContent: "Zoom in" },
    { "aria-keyshortcuts": "+" });
  const level = element("span", { className: "lb-diagram-level", textContent: "100%" }, { "aria-live": "polite" });
  tools.append(zoomOut, zoomIn, level);
  zoomOut.addEventListener("click", () => setZoom(zoom - 1));
  zoomIn.addEventListener("click", () => setZoom(zoom + 1));
  const caption = element("p", { className: "lb-legmap-caption" }, { "aria-live": "polite" });
  figure.append(tabs, port, tools, caption);

  // Beside the drawing: each root's skin, key muscles and reflex, marked when chosen or lit (in words).
  const list = element("ul", { className: "lb-legmap-roots" }, { "aria-label": "Roots: skin, muscles and reflex" });
  const cards = {};
  for (const r of roots) {
    const li = element("li", { className: `lb-legmap-card lb-root-${r.id}` }, { "data-root": r.id });
    const head = element("p", { className: "lb-legmap-card-head" });
    const swatch = element("span", { className: `lb-legmap-swatch lb-root-${r.id}` }, { "aria-hidden": "true" });
    const badge = element("span", { className: "lb-legmap-badge" });
    head.append(swatch, element("strong", { textContent: r.name }), badge);
    const rows = [["Skin", r.dermatome], ["Muscles", r.myotome], ["Reflex", r.reflex]].map(([k, v]) => {
      const p = element("p", { className: "lb-legmap-row" });
      p.append(element("span", { className: "lb-legmap-key", textContent: `${k}: ` }), document.createTextNode(v));
      return p;
    });
    li.append(head, ...rows);
    list.appendChild(li);
    cards[r.id] = { li, badge };
  }
  wrap.append(figure, list);

  let narrow = false;
  let current = 0;
  let zoom = 0;

  // One tab stop per root (its first territory in a view that is shown); the rest are reached by arrow keys.
  function assignStops() {
    const seen = new Set();
    for (const g of shapes) {
      const hidden = narrow && Number(g.getAttribute("data-view")) !== current;
      if (hidden) {
        g.removeAttribute("tabindex");
        g.setAttribute("aria-hidden", "true");
        continue;
      }
      g.removeAttribute("aria-hidden");
      const id = g.getAttribute("data-root");
      g.setAttribute("tabindex", seen.has(id) ? "-1" : "0");
      seen.add(id);
    }
  }

  function move(from, step) {
    const stops = shapes.filter((g) => g.getAttribute("tabindex") === "0");
    const here = stops.findIndex((g) => g.getAttribute("data-root") === from.getAttribute("data-root"));
    const to = step === "first" ? 0 : step === "last" ? stops.length - 1 : (here + step + stops.length) % stops.length;
    if (stops[to]) stops[to].focus();
  }

  function choose(id) {
    model.set("selected", id);
    model.save_changes();
  }

  function layout() {
    const box = narrow ? VIEWS[current].box : [0, 0, 440, 560];
    svg.setAttribute("viewBox", box.join(" "));
    port.style.setProperty("--lb-ratio", `${box[2]} / ${box[3]}`);
    wrap.classList.toggle("lb-narrow", narrow);
    tabs.hidden = !narrow;
    tabButtons.forEach((tab, i) => {
      tab.setAttribute("aria-selected", narrow && i === current ? "true" : "false");
      tab.setAttribute("tabindex", i === current ? "0" : "-1");
    });
    if (narrow) {
      port.setAttribute("role", "tabpanel");
      port.setAttribute("aria-labelledby", tabButtons[current].id);
    } else {
      port.removeAttribute("role");
      port.removeAttribute("aria-labelledby");
    }
    assignStops();
  }

  function showView(i) {
    current = i;
    layout();
    port.scrollTo(0, 0);
  }

  function setZoom(i) {
    zoom = Math.max(0, Math.min(ZOOMS.length - 1, i));
    port.style.setProperty("--lb-zoom", String(ZOOMS[zoom]));
    level.textContent = `${Math.round(ZOOMS[zoom] * 100)}%`;
    zoomOut.setAttribute("aria-disabled", zoom === 0 ? "true" : "false");
    zoomIn.setAttribute("aria-disabled", zoom === ZOOMS.length - 1 ? "true" : "false");
  }

  function paint() {
    const selected = model.get("selected");
    const lit = new Set(model.get("lit") || []);
    for (const g of shapes) {
      const id = g.getAttribute("data-root");
      g.classList.toggle("lb-selected", id === selected);
      g.classList.toggle("lb-lit", lit.has(id));
      g.classList.toggle("lb-dim", lit.size > 0 && !lit.has(id));
      g.setAttribute("aria-pressed", id === selected ? "true" : "false");
      g.setAttribute("data-lit", lit.has(id) ? "true" : "false");
    }
    for (const [id, { li, badge }] of Object.entries(cards)) {
      const words = [lit.has(id) ? "Highlighted" : "", id === selected ? "Selected" : ""].filter(Boolean);
      badge.textContent = words.length ? ` (${words.join(", ")})` : "";
      li.classList.toggle("lb-lit", lit.has(id));
      li.classList.toggle("lb-selected", id === selected);
      li.classList.toggle("lb-dim", lit.size > 0 && !lit.has(id));
      li.setAttribute("data-lit", lit.has(id) ? "true" : "false");
    }
    const bits = [];
    if (selected) bits.push(`Selected: ${names[selected] || selected} (dashed outline)`);
    if (lit.size) bits.push(`Highlighted: ${[...lit].map((x) => names[x] || x).join(" and ")} (solid outline; other roots faded)`);
    caption.textContent = bits.length ? bits.join(". ") + "." : "Pick a root on the drawing: click it, or Tab to it and press Enter.";
  }

  const watcher = typeof ResizeObserver === "undefined" ? null : new ResizeObserver((entries) => {
    const width = entries[entries.length - 1].contentRect.width;
    if (width === 0) return;
    const want = narrow ? width < WIDE : width < NARROW;
    if (want !== narrow) {
      narrow = want;
      layout();
    }
  });

  model.on("change:selected", paint);
  model.on("change:lit", paint);
  layout();
  setZoom(0);
  paint();
  el.appendChild(wrap);
  if (watcher) watcher.observe(figure);
  return () => {
    model.off("change:selected", paint);
    model.off("change:lit", paint);
    if (watcher) watcher.disconnect();
  };
}

export default { render };
