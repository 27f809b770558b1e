/* The lesson page's way around, built in the browser from the page itself (Voila only; JupyterLab has its own
   table of contents): a section menu that stays in reach (a side column on a wide screen, a bar with a menu that
   opens on a narrow one), the previous and next lessons, an "In this lesson" block near the top that lists the
   interactive tools, and a button on each section heading that folds the section away.
   LB_LESSONS (id, title, file, minutes, in teaching order) is written into the page by `lowback landing`. */
(function () {
  "use strict";
  var TOOLS = [  // a view's class on the page -> what the block calls it
    ["lb-anatomy-explorer", "Anatomy explorer"], ["lb-pain-patterns", "Pain-pattern explorer"],
    ["lb-ladder-explorer", "Ladder explorer"], ["lb-triage-widget", "Triage"], ["lb-advise-me", "Advise-me"],
    ["lb-dose-check", "Dose check"], ["lb-post-test", "Pre-test to post-test"], ["lb-scoring-tools", "Scoring tools (STarT Back, Oswestry)"],
    ["lb-case-player", "Case simulator"], ["lb-cohort-view", "Cohort view"],
    ["lb-live-join", "Live session"], ["lb-progress-panel", "Your progress"], ["lb-review", "Spaced review"],
    ["lb-selfcheck", "Self-check"],
    ["lb-root-localiser", "Localise the root"], ["lb-leg-map", "Leg map"]
  ];
  var main = document.querySelector("main");
  if (!main || !window.LB_LESSONS) return;
  var file = decodeURIComponent(window.location.pathname.split("/").pop() || "");
  var index = window.LB_LESSONS.findIndex(function (l) { return l.file === file; });
  var here = index >= 0 ? window.LB_LESSONS[index] : null;
  var theme = document.body.getAttribute("data-jp-theme-light") === "false" ? "dark" : "light";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function lessonLink(lesson, rel) {  // "<- Previous: 04 Title"; a phone shows only "<- 04"
    var back = rel === "prev";
    var a = el("a", {href: lesson.file + "?theme=" + theme, rel: rel, "class": "lb-nav-" + rel,
                     "aria-label": (back ? "Previous lesson: " : "Next lesson: ") + lesson.id + " " + lesson.title});
    if (back) a.appendChild(el("span", {"class": "lb-nav-arrow", "aria-hidden": "true"}, "\u2190 "));
    a.appendChild(el("span", {"class": "lb-nav-word"}, back ? "Previous: " : "Next: "));
    a.appendChild(document.createTextNode(lesson.id));
    a.appendChild(el("span", {"class": "lb-nav-title"}, " " + lesson.title));
    if (!back) a.appendChild(el("span", {"class": "lb-nav-arrow", "aria-hidden": "true"}, " \u2192"));
    return a;
  }
  function pager(where) {  // previous, all lessons, next
    var nav = el("nav", {"class": "lb-pager lb-pager-" + where, "aria-label": "Lessons (" + where + " of page)"});
    if (index > 0) nav.appendChild(lessonLink(window.LB_LESSONS[index - 1], "prev"));
    nav.appendChild(el("a", {href: "../../?theme=" + theme, "class": "lb-nav-all"}, "All lessons"));
    if (here && index < window.LB_LESSONS.length - 1) {
      nav.appendChild(lessonLink(window.LB_LESSONS[index + 1], "next"));
    }
    return nav;
  }

  // Tables written in a lesson's text read as cards on a phone, like the course's own: each cell names its column.
  main.querySelectorAll(".jp-RenderedMarkdown table").forEach(function (table) {
    var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.classList.add("lb-table");
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (names[i]) td.setAttribute("data-label", names[i]);
      });
    });
  });

  // Sections: the page's second-level headings, each with an id the menu can point at.
  var headings = Array.prototype.slice.call(main.querySelectorAll("h2"));
  headings.forEach(function (h, i) {
    if (!h.id) h.id = "section-" + (i + 1);
  });
  function headingText(h) {
    var copy = h.cloneNode(true);
    copy.querySelectorAll(".anchor-link, .lb-fold").forEach(function (x) { x.remove(); });
    return copy.textContent.replace(/\u00b6/g, "").trim();
  }

  // The menu: a <details> (a bar with a button on a narrow screen; held open as a side column on a wide one).
  var menu = el("nav", {"class": "lb-sections", "aria-label": "Sections of this lesson"});
  var details = el("details", {"class": "lb-sections-menu"});
  var summary = el("summary", {}, "Sections");
  details.appendChild(summary);
  if (here) {
    details.appendChild(el("p", {"class": "lb-sections-title"},
      "Lesson " + here.id + ": " + here.title + " (about " + here.minutes + " min)"));
  }
  var list = el("ul", {"class": "lb-sections-list"});
  var links = headings.map(function (h) {
    var li = el("li"), a = el("a", {href: "#" + h.id}, headingText(h));
    a.addEventListener("click", function () {
      unfold(h);
      if (!wide.matches) details.open = false;  // on a phone the menu closes so the section shows
    });
    li.appendChild(a); list.appendChild(li);
    return a;
  });
  details.appendChild(list);
  menu.appendChild(details);
  menu.appendChild(pager("top"));
  main.insertBefore(menu, main.firstChild);
  main.appendChild(pager("bottom"));
  document.body.classList.add("lb-has-sections");

  var wide = window.matchMedia("(min-width: 1100px)");
  function fit() { details.open = wide.matches; }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);

  // The section being read is marked in the menu.
  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        links.forEach(function (a) { a.removeAttribute("aria-current"); });
        var i = headings.indexOf(e.target);
        if (i >= 0) links[i].setAttribute("aria-current", "location");
      });
    }, {rootMargin: "0px 0px -70% 0px"});
    headings.forEach(function (h) { seen.observe(h); });
  }

  // Folding: each section heading gets a button that hides the cells up to the next section.
  function cellOf(node) { return node.closest("[cell-index]"); }
  function sectionCells(h) {
    var cells = [], start = cellOf(h), next = headings[headings.indexOf(h) + 1];
    var stop = next ? cellOf(next) : null;
    if (!start) return cells;
    for (var c = start.nextElementSibling; c && c !== stop; c = c.nextElementSibling) cells.push(c);
    return cells;
  }
  function setFolded(h, folded) {
    var button = h.querySelector(".lb-fold");
    if (!button) return;
    sectionCells(h).forEach(function (c) { c.classList.toggle("lb-folded", folded); });
    button.setAttribute("aria-expanded", String(!folded));
    button.textContent = folded ? "Show section" : "Hide section";
  }
  function unfold(h) { setFolded(h, false); }
  headings.forEach(function (h) {
    if (!sectionCells(h).length) return;
    var button = el("button", {type: "button", "class": "lb-fold", "aria-expanded": "true"}, "Hide section");
    button.setAttribute("aria-label", "Hide or show the section " + headingText(h));
    button.addEventListener("click", function () {
      setFolded(h, button.getAttribute("aria-expanded") === "true");
    });
    h.appendChild(button);
  });
  window.addEventListener("hashchange", function () {
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target && headings.indexOf(target) >= 0) unfold(target);
  });

  // "In this lesson": time, sections, and the interactive tools with a link to each, after the opening cell.
  var block = el("aside", {"class": "lb-in-this-lesson", "aria-label": here ? "In this lesson" : "On this page"});
  var first = main.querySelector("[cell-index]");
  if (first && first.parentNode) first.parentNode.insertBefore(block, first.nextSibling);
  var drawn = null;
  function markPanes() {
    // A result pane can scroll inside itself (the style sheet caps its height): it is a named region a keyboard
    // can reach and scroll, like any other scrolling box. Done as soon as a pane appears, not after the block's
    // pause, so that no moment exists in which a scrolling pane cannot be reached.
    main.querySelectorAll(".lb-pane-result:not([tabindex])").forEach(function (pane) {
      var tool = TOOLS.filter(function (t) { return pane.closest("." + t[0]); })[0];
      pane.setAttribute("tabindex", "0");
      pane.setAttribute("role", "region");
      pane.setAttribute("aria-label", (tool ? tool[1] + ": " : "") + "result");
    });
  }
  function drawBlock() {
    markPanes();
    var tools = [];
    TOOLS.forEach(function (t) {
      main.querySelectorAll("." + t[0]).forEach(function (node) {
        if (!node.id) node.id = "tool-" + t[0].slice(3) + "-" + (tools.length + 1);
        var section = null;
        headings.forEach(function (h) {
          if (h.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) section = h;
        });
        tools.push({node: node, name: t[1], section: section});
      });
    });
    tools.sort(function (a, b) {
      return a.node.compareDocumentPosition(b.node) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    var named = {};  // one line per tool and section: three cohort views in one section are one line
    tools = tools.filter(function (t) {
      var key = t.name + "|" + (t.section ? t.section.id : "");
      if (named[key]) return false;
      named[key] = true;
      return true;
    });
    var signature = tools.map(function (t) { return t.node.id; }).join(" ");
    if (signature === drawn) return;  // nothing new: leave the block (and the page) alone
    drawn = signature;
    block.textContent = "";
    block.appendChild(el("h2", {"class": "lb-in-this-lesson-title"}, here ? "In this lesson" : "On this page"));
    var facts = (here ? "About " + here.minutes + " minutes, " : "") + headings.length + " sections";
    block.appendChild(el("p", {}, facts + (tools.length ? ", and these tools to try:" : ".")));
    if (tools.length) {
      var ul = el("ul", {"class": "lb-tool-list"});
      tools.forEach(function (t) {
        var li = el("li"), a = el("a", {href: "#" + t.node.id}, t.name);
        a.addEventListener("click", function () { if (t.section) unfold(t.section); });
        li.appendChild(a);
        if (t.section) li.appendChild(document.createTextNode(" (in \u201c" + headingText(t.section) + "\u201d)"));
        ul.appendChild(li);
      });
      block.appendChild(ul);
    }
  }
  // The tools are drawn by the widget manager after the page has arrived: redraw the block as they appear.
  drawBlock();
  var pending = null;
  new MutationObserver(function () {
    markPanes();
    if (pending) return;
    pending = setTimeout(function () { pending = null; drawBlock(); }, 300);
  }).observe(main, {childList: true, subtree: true});
})();
