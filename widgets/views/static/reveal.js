// Brings a view's latest result into view after the learner acts, when its start is not on screen already: the
// Python side names the result (a class inside the same view) and counts the requests. Nothing is drawn.
function barHeight() {  // the lesson page's section bar, when it sits across the top of a narrow screen
  const bar = document.querySelector(".lb-sections");
  if (!bar) return 0;
  const r = bar.getBoundingClientRect();
  return r.width > window.innerWidth / 2 && r.top <= 1 ? r.bottom : 0;
}

export default {
  render({ model, el }) {
    el.hidden = true;
    el.style.display = "none";
    model.on("change:count", () => {
      setTimeout(() => {
        const target = model.get("target");
        let root = el.parentElement;
        while (root && !root.querySelector("." + target)) root = root.parentElement;
        const node = root && root.querySelector("." + target);
        if (!node) return;
        const top = barHeight();
        const r = node.getBoundingClientRect();
        if (r.top >= top && r.top < window.innerHeight - 80) return;  // already on screen
        node.style.scrollMarginTop = top + 8 + "px";
        const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        node.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
      }, 80);
    });
  },
};
