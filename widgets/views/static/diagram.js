// Front end of the anatomy diagram (anywidget): draws the course's SVG, makes every structure
// clickable and keyboard-operable, shows or hides layers, and reports the selection to Python.
//
// Wide, the diagram's views (side, back, cross-section) stand side by side. Narrow (a phone, or a
// narrow pane), it shows one view at a time, chosen by tabs, so each is large enough to point at.
// Either way the learner can zoom; a zoomed drawing scrolls inside its own box, never the page.
const STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };
const TAB_STEPS = { ArrowRight: 1, ArrowLeft: -1, Home: "first", End: "last" };
const ZOOMS = [1, 1.5, 2, 3, 4];
const ZOOM_KEYS = { "+": 1, "=": 1, "-": -1, _: -1 };
// Below NARROW px the views are shown one at a time (each would be under 140 px wide side by side);
// back side by side from WIDE px (a gap, so a scroll bar that comes and goes cannot flip the layout
// back and forth). A desktop's half-width pane (about 490 px at 1280) keeps all three.
const NARROW = 420;
const WIDE = 440;
let made = 0; // widgets drawn on this page, for unique element ids

function element(tag, props = {}, attrs = {}) {
  const node = Object.assign(document.createElement(tag), props);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function render({ model, el }) {
  let uid; // stable (lb-diagram-1...), so a handout of the page is the same file each time it is made
  do uid = `lb-diagram-${++made}`; while (document.getElementById(`${uid}-view`));
  const wrap = element("div", { className: "lb-diagram" });
  // The SVG is the course's own asset (assets/diagrams/lumbar.svg), never learner input.
  const doc = new DOMParser().parseFromString(model.get("svg"), "image/svg+xml");
  const svg = document.importNode(doc.documentElement, true);
  svg.querySelectorAll("script, foreignObject").forEach((n) => n.remove());
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", model.get("label"));
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  const whole = (svg.getAttribute("viewBox") || "0 0 960 620").trim().split(/[\s,]+/).map(Number);

  // The views, as tabs: shown only when narrow (the tab list is hidden otherwise).
  const views = (model.get("views") || []).filter((v) => Array.isArray(v.box) && v.box.length === 4);
  const tabs = element("div", { className: "lb-diagram-tabs", hidden: true },
    { role: "tablist", "aria-label": "Views of the diagram" });
  const tabButtons = views.map((view, i) => {
    const short = view.label.split(" (")[0];
    const tab = element("button", { type: "button", className: "lb-diagram-tab", textContent: short,
      id: `${uid}-tab-${i}` }, { role: "tab", "aria-controls": `${uid}-view`, "aria-selected": "false",
      tabindex: "-1" });
    if (short !== view.label) tab.setAttribute("aria-label", view.label);
    tab.addEventListener("click", () => showView(i));
    tab.addEventListener("keydown", (event) => {
      const step = TAB_STEPS[event.key];
      if (step === undefined) return;
      event.preventDefault();
      const to = step === "first" ? 0 : step === "last" ? views.length - 1
        : (i + step + views.length) % views.length;
      tabButtons[to].focus(); // Enter or Space (a button's click) then shows it
    });
    tabs.appendChild(tab);
    return tab;
  });

  // The drawing's own box: it scrolls (not the page) when the drawing is zoomed past its size.
  const port = element("div", { className: "lb-diagram-port", id: `${uid}-view` });
  port.appendChild(svg);

  const tools = element("div", { className: "lb-diagram-tools" }, { role: "group", "aria-label": "Zoom" });
  const zoomOut = element("button", { type: "button", className: "lb-diagram-button", textContent: "Zoom out" },
    { "aria-keyshortcuts": "-" });
  const reset = element("button", { type: "button", className: "lb-diagram-button", textContent: "Reset" },
    { "aria-label": "Reset zoom" });
  const zoomIn = element("button", { type: "button", className: "lb-diagram-button", textContent: "Zoom in" },
    { "aria-keyshortcuts": "+" });
  const level = element("span", { className: "lb-diagram-level", textContent: "100%" }, { "aria-live": "polite" });
  tools.append(zoomOut, reset, zoomIn, level);
  zoomOut.addEventListener("click", () => zoomBy(-1));
  zoomIn.addEventListener("click", () => zoomBy(1));
  reset.addEventListener("click", () => setZoom(0));

  // The choice in words as well as by the red dashed outline: colour is never the only sign.
  const caption = element("p", { className: "lb-diagram-caption", hidden: true });
  wrap.append(tabs, port, tools, caption);

  const shapes = Array.from(svg.querySelectorAll("[data-structure]"));
  const names = model.get("names");
  for (const node of shapes) {
    const id = node.getAttribute("data-structure");
    node.classList.add("lb-structure");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", names[id] || id);
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
      } else if (ZOOM_KEYS[event.key] !== undefined && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        zoomBy(ZOOM_KEYS[event.key]);
        reveal(node);
      }
    });
  }

  let narrow = false;
  let current = 0; // the view shown when narrow
  let zoom = 0; // index into ZOOMS

  // Which view a structure is drawn in: the one holding the centre of its box. Measured once it is
  // drawn (a structure on a hidden layer has no box yet); -1 while not known.
  const viewOfNode = new Map();
  function viewOf(node) {
    if (viewOfNode.has(node)) return viewOfNode.get(node);
    let box;
    try {
      box = node.getBBox();
    } catch {
      return -1;
    }
    if (!box || (box.width === 0 && box.height === 0)) return -1;
    const x = box.x + box.width / 2;
    const found = views.findIndex((v) => x >= v.box[0] && x < v.box[0] + v.box[2]);
    viewOfNode.set(node, found);
    return found;
  }

  // Each structure is one tab stop, even when it is drawn in several places; when narrow, only the
  // structures of the view shown are stops (the others are out of sight, and out of reach).
  function assignStops() {
    const seen = new Set();
    for (const node of shapes) {
      const id = node.getAttribute("data-structure");
      const elsewhere = narrow && viewOf(node) !== current && viewOf(node) !== -1;
      if (elsewhere) {
        node.removeAttribute("tabindex");
        node.setAttribute("aria-hidden", "true");
        continue;
      }
      node.removeAttribute("aria-hidden");
      node.setAttribute("tabindex", seen.has(id) ? "-1" : "0");
      seen.add(id);
    }
  }

  // Arrow keys move between the structures (Enter or Space then chooses), Home and End to the first
  // and last: quicker than Tab through every one. Structures of hidden layers or views are skipped.
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
    keepInSight();
  }

  // On a narrow screen the lesson page holds the explorer's result pane (.lb-pane-result) at the foot of
  // the screen. When the details of a structure chosen here fill it, it can cover the lower part of the
  // view: then bring the view up, its tabs just under the page's bar (--lb-bar), for the next two seconds.
  function keepInSight() {
    const pane = wrap.closest(".lb-panes")?.querySelector(":scope > .lb-pane-result");
    if (!narrow || !pane || typeof ResizeObserver === "undefined") return;
    const fit = () => {
      if (port.getBoundingClientRect().bottom - pane.getBoundingClientRect().top <= 1) return;
      const bar = parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--lb-bar")) || 0;
      wrap.style.scrollMarginTop = `${bar + 4}px`;
      const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      wrap.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    };
    const watch = new ResizeObserver(fit);
    watch.observe(pane);
    setTimeout(() => watch.disconnect(), 2000);
  }

  function layout() {
    const box = narrow && views[current] ? views[current].box : whole;
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
    if (i === current && narrow) return;
    current = i;
    layout();
    port.scrollTo(0, 0);
  }

  function setZoom(i) {
    const to = Math.max(0, Math.min(ZOOMS.length - 1, i));
    // Keep the point at the middle of the box where it is.
    const cx = (port.scrollLeft + port.clientWidth / 2) / (port.scrollWidth || 1);
    const cy = (port.scrollTop + port.clientHeight / 2) / (port.scrollHeight || 1);
    zoom = to;
    port.style.setProperty("--lb-zoom", String(ZOOMS[zoom]));
    wrap.classList.toggle("lb-zoomed", zoom > 0);
    port.scrollLeft = cx * port.scrollWidth - port.clientWidth / 2;
    port.scrollTop = cy * port.scrollHeight - port.clientHeight / 2;
    level.textContent = `${Math.round(ZOOMS[zoom] * 100)}%`;
    zoomOut.setAttribute("aria-disabled", zoom === 0 ? "true" : "false");
    reset.setAttribute("aria-disabled", zoom === 0 ? "true" : "false");
    zoomIn.setAttribute("aria-disabled", zoom === ZOOMS.length - 1 ? "true" : "false");
  }

  function zoomBy(step) {
    setZoom(zoom + step);
  }

  // Scroll the box (only the box) so NODE is in sight.
  function reveal(node) {
    const r = node.getBoundingClientRect();
    const p = port.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.left < p.left || r.right > p.right) port.scrollLeft += (r.left + r.right) / 2 - (p.left + p.right) / 2;
    if (r.top < p.top || r.bottom > p.bottom) port.scrollTop += (r.top + r.bottom) / 2 - (p.top + p.bottom) / 2;
  }

  function paint() {
    const selected = model.get("selected");
    let mine = null;
    for (const node of shapes) {
      const on = node.getAttribute("data-structure") === selected;
      node.classList.toggle("lb-selected", on);
      node.setAttribute("aria-pressed", on ? "true" : "false");
      if (on && !mine && node.getClientRects().length > 0) mine = node;
    }
    caption.hidden = !selected;
    caption.textContent = selected
      ? `Selected: ${names[selected] || selected} (outlined with a red dashed line)` : "";
    if (!selected) return;
    // Chosen from the list, a structure may be drawn only in another view: show that view.
    if (narrow) {
      const where = shapes.filter((n) => n.getAttribute("data-structure") === selected).map(viewOf);
      if (where.length && !where.includes(current) && where.some((v) => v >= 0)) {
        showView(where.find((v) => v >= 0));
        mine = shapes.find((n) => n.getAttribute("data-structure") === selected && viewOf(n) === current);
      }
    }
    if (mine && zoom > 0) reveal(mine);
  }

  function showLayers() {
    const visible = new Set(model.get("layers"));
    for (const group of svg.querySelectorAll("g[data-layer]")) {
      const layer = group.getAttribute("data-layer");
      if (layer === "labels") continue;
      group.style.display = visible.has(layer) ? "" : "none";
    }
    if (narrow) assignStops(); // structures just shown can now be placed in their view
  }

  // One view at a time when the widget (not the window: a pane may be narrow on a wide screen) is narrow.
  const watcher = typeof ResizeObserver === "undefined" || views.length < 2 ? null
    : new ResizeObserver((entries) => {
      const width = entries[entries.length - 1].contentRect.width;
      if (width === 0) return; // not shown
      const want = narrow ? width < WIDE : width < NARROW;
      if (want !== narrow) {
        narrow = want;
        layout();
        if (narrow) paint(); // show the view that holds the current choice
      }
    });

  model.on("change:selected", paint);
  model.on("change:layers", showLayers);
  layout();
  setZoom(0);
  paint();
  showLayers();
  el.appendChild(wrap);
  if (watcher) watcher.observe(wrap);
  return () => {
    model.off("change:selected", paint);
    model.off("change:layers", showLayers);
    if (watcher) watcher.disconnect();
  };
}

export default { render };
