"""Refuse bad widget messages with a message, and keep the kernel working.

A browser can send any JSON over a widget's comm, not only what the controls on screen produce.
ipywidgets hands it to `set_state`: a wrong-typed or out-of-range value raises inside the kernel's
comm handler, lands in a server log nobody reads, and the page keeps showing a value the kernel
never took; a message may also try to rewrite traits a learner never edits (options, labels).

`guard(view)` wraps `set_state` on every widget below VIEW: only the traits a control's front end
really edits are accepted; a value a trait refuses leaves the widget as it was, re-sends its true
state to the page, and shows a short message naming the control in the view. Nothing escapes to
the kernel, which goes on answering.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ipywidgets as w
from traitlets import TraitError

from widgets.render.html import escape

# What the standard controls' front ends send back: a value or an option index. A custom
# (anywidget) view may add its own front-end-edited traits in `_frontend_writable`.
FRONTEND_KEYS = frozenset({"value", "index"})
REFUSED_CLASS = "lb-refused"


def descendants(root: w.Widget) -> Iterator[w.Widget]:
    stack = [root]
    while stack:
        widget = stack.pop()
        yield widget
        stack.extend(getattr(widget, "children", ()) or ())


def _name(widget: w.Widget) -> str:
    label = getattr(widget, "description", "") or getattr(widget, "tooltip", "") or ""
    kind = type(widget).__name__
    return f"{kind} '{label}'" if label else kind


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _show(root: w.Box, message: str) -> None:
    """Show MESSAGE at the foot of ROOT, in one status line that later refusals replace."""
    line = next((c for c in root.children if REFUSED_CLASS in getattr(c, "_dom_classes", ())), None)
    html = f'<p role="status" class="{REFUSED_CLASS}-text">{escape(message)}</p>'
    if line is None:
        line = w.HTML(html)
        line.add_class(REFUSED_CLASS)
        root.children = (*root.children, line)
    else:
        line.value = html


def _guarded(widget: w.Widget, root: w.Box):
    original = widget.set_state
    allowed = FRONTEND_KEYS | frozenset(getattr(widget, "_frontend_writable", ()))

    def set_state(sync_data: dict[str, Any]) -> None:
        if not isinstance(sync_data, dict):
            _show(root, f"The page sent {_name(widget)} a message it cannot read; nothing was changed.")
            widget.send_state()
            return
        unknown = sorted(k for k in sync_data if k not in allowed)
        if unknown:
            _show(root, f"The page tried to change {', '.join(unknown)} of {_name(widget)}, which learners do not "
                        "edit; nothing was changed.")
            widget.send_state()
            return
        try:
            original(sync_data)
        except (TraitError, TypeError, ValueError, KeyError, IndexError) as exc:
            sent = ", ".join(f"{k}={v!r:.40}" for k, v in sync_data.items())
            _show(root, f"{_name(widget)} refused {sent} ({_short(exc)}) and keeps its last value.")
            widget.send_state()  # undo the value the page already shows

    return set_state


def _guard_below(box: w.Box, root: w.Box) -> None:
    for widget in descendants(box):
        if widget is not root and not getattr(widget, "_lb_guarded", False):
            widget.set_state = _guarded(widget, root)
            widget._lb_guarded = True
        if isinstance(widget, w.Box) and not getattr(widget, "_lb_watched", False):
            # Views build new controls as the learner goes (a case's next choices): guard those too.
            widget.observe(lambda change, root=root: _guard_below_all(change["new"], root), names="children")
            widget._lb_watched = True


def _guard_below_all(children: tuple, root: w.Box) -> None:
    for child in children:
        if isinstance(child, w.Box):
            _guard_below(child, root)
        elif not getattr(child, "_lb_guarded", False):
            child.set_state = _guarded(child, root)
            child._lb_guarded = True


def guard(root: Any) -> Any:
    """Guard every widget below ROOT (a Box), now and as the view adds controls; anything else is
    returned untouched."""
    if isinstance(root, w.Box):
        _guard_below(root, root)
    return root
