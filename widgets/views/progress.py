"""Thin views over the progress store (widgets/stores/progress.py): the progress panel, and PageShown, which lets a view
reload saved progress when a page opens it. The self-check and the case player save through `progress.save`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w

from widgets.content.loader import Content
from widgets.render import progress as rp
from widgets.stores import progress
from widgets.views.base import STATIC, Described


class PageShown(anywidget.AnyWidget):
    """Invisible. Its front end tells the kernel each time a page draws it (`on_shown(callback)`). Voila runs a
    lesson in a waiting kernel before anyone opens it, so a view built then would show the progress saved at that
    moment; listening for this lets it show the progress saved by the time the learner arrives."""

    _esm = STATIC / "page_shown.js"

    def on_shown(self, callback: Callable[[], Any]) -> None:
        def handle(_widget, content, _buffers) -> None:
            if isinstance(content, dict) and content.get("event") == "shown":
                callback()

        self.on_msg(handle)


def _hidden() -> w.Layout:
    return w.Layout(display="none", width="auto")


class ProgressPanel(Described, w.VBox):
    """What is done, scores per lesson, finished cases, what to review next and where the file is; with Refresh,
    Export (a JSON copy beside the progress file) and Reset (a second click confirms; a backup is kept)."""

    description_text = "Progress panel"

    def __init__(self, content: Content, **kwargs):
        self.content = content
        self._report = w.HTML()
        self._report.add_class("lb-progress-panel-report")
        self._refresh = w.Button(description="Refresh", tooltip="Show the progress saved so far, from every lesson")
        self._export = w.Button(description="Export a copy", layout=w.Layout(width="auto"),
                                tooltip="Write a copy of your progress, as a JSON file, next to the progress file")
        self._reset = w.Button(description="Reset my progress", layout=w.Layout(width="auto"),
                               tooltip="Erase your saved progress; you are asked to confirm, and a backup is kept")
        self._confirm = w.Button(description="Yes, erase my progress", button_style="danger", layout=_hidden(),
                                 tooltip="Erase every saved answer, lesson marked done, finished case and review date")
        self._cancel = w.Button(description="No, keep my progress", layout=_hidden(),
                                tooltip="Leave your progress as it is")
        self._status = w.HTML()
        self._status.add_class("lb-progress-line")
        self._armed = False  # Reset was pressed once; only then does the confirming button erase
        self._page = PageShown()
        self._page.on_shown(self.refresh)
        self._refresh.on_click(lambda _b: self.refresh())
        self._export.on_click(lambda _b: self.export())
        self._reset.on_click(lambda _b: self.ask_reset())
        self._confirm.on_click(lambda _b: self.reset())
        self._cancel.on_click(lambda _b: self.cancel_reset())
        buttons = w.HBox([self._refresh, self._export, self._reset, self._confirm, self._cancel],
                         layout=w.Layout(flex_flow="row wrap"))
        super().__init__([self._report, buttons, self._status, self._page], **kwargs)
        self.add_class("lb-progress-panel")
        self._case_titles = self._titles()
        store, message = progress.open_store()
        self._notice = message if store is not None else ""
        if store is None:
            for b in (self._refresh, self._export, self._reset):
                b.disabled = True
            self._status.value = rp.status_html(message, "off" if progress.saving_off() else "problem")
        elif message:
            self._status.value = rp.status_html(message, "notice")
        self.refresh(keep_status=True)

    def _titles(self) -> dict[str, str]:
        from widgets.content.cases import load_cases

        try:
            return {cid: case.title for cid, case in load_cases(self.content).items()}
        except Exception:  # a broken case file must not hide the learner's progress: show ids instead
            return {}

    def refresh(self, keep_status: bool = False) -> None:
        """Redraw the report from the file (what every lesson has saved so far)."""
        store, message = progress.open_store()
        if store is None:
            self._report.value = rp.unavailable_html(message)
            return
        try:
            self._report.value = rp.store_panel_html(self.content, store, self._case_titles, self._notice)
        except Exception as e:  # never raise into the page
            self._report.value = rp.unavailable_html(f"Your progress could not be read: {e}")
            return
        if not keep_status:
            self._status.value = rp.status_html("Showing the progress saved so far.", "info")

    def export(self) -> Path | None:
        """Write a JSON copy next to the progress file; the status line gives its path."""
        written: list[Path] = []
        ok, why = progress.save(lambda store: written.append(progress.write_export(store)))
        if ok:
            self._status.value = rp.status_html(f"A copy of your progress was written to {written[0]}.", "saved")
            return written[0]
        self._status.value = rp.status_html(why, "problem")
        return None

    def ask_reset(self) -> None:
        """First click: say what Reset does, and show the button that confirms it."""
        store, _ = progress.open_store()
        where = f" in {store.path}" if store is not None else ""
        self._confirm.layout.display = self._cancel.layout.display = None
        self._reset.disabled = self._armed = True
        self._status.value = rp.status_html(
            f"Reset erases every saved answer, lesson marked done, finished case and review date{where}. "
            "A backup copy is kept first. Press \u201cYes, erase my progress\u201d to go ahead, "
            "or \u201cNo, keep my progress\u201d.",
            "notice")

    def cancel_reset(self) -> None:
        self._hide_confirm()
        self._status.value = rp.status_html("Nothing was erased.", "info")

    def _hide_confirm(self) -> None:
        self._confirm.layout.display = self._cancel.layout.display = "none"
        self._reset.disabled = self._armed = False

    def reset(self) -> Path | None:
        """Second click: back up, then erase; the status line says where the backup went."""
        if not self._armed:  # a click on the hidden button, without Reset first, erases nothing
            return None
        self._hide_confirm()
        backups: list[Path] = []
        ok, why = progress.save(lambda store: backups.append(store.reset()))
        if not ok:
            self._status.value = rp.status_html(why, "problem")
            return None
        self.refresh()
        self._status.value = rp.status_html(
            f"Your progress was erased. The backup is {backups[0]}; to bring it back, close the course and put that "
            "file in place of the progress file.", "saved")
        return backups[0]
