"""Plotly figures as SVG for the PDF reports, drawn by kaleido 1.x in a headless Chromium.

Starting Chromium costs about 2 s, so the first chart drawn in a process starts kaleido's sync
server (`kaleido.start_sync_server`) and every later one reuses its browser (about 0.15 s a
chart). The server is a per-process singleton inside kaleido, which has two traps this module
guards against:

- If the browser cannot start, the server's thread dies but kaleido still believes the server
  is running, and the next call waits for it forever. So the browser is checked before the
  server is started, every call is made from a helper thread and watched (the server's thread
  must stay alive, and the call must end within CALL_TIMEOUT), and a server found dead is
  stopped and started again on the next call.
- A process forked after the server started (a Celery prefork child) inherits kaleido's
  "running" flag but not its thread; the same liveness check restarts it there.

Any failure raises ChartRenderError (a ReportError), so the report job records a failure the
person can retry; the next call starts a fresh server.

Chromium is found at settings.KALEIDO_BROWSER_PATH (read with getattr, so it need not be
declared), else the BROWSER_PATH environment variable kaleido itself reads, else Debian's
/usr/bin/chromium.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import kaleido
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .errors import ChartRenderError

logger = logging.getLogger(__name__)

DEFAULT_BROWSER = "/usr/bin/chromium"
# Seconds kaleido may spend drawing one figure (its own timeout, raised inside the server).
RENDER_TIMEOUT = 30
# Seconds a whole call may take, starting the browser included, before we give up on it.
CALL_TIMEOUT = 90
# Seconds to wait for a broken server to stop before refusing to start another.
STOP_TIMEOUT = 10
# The PDF's text column is 174 mm wide (A4 less 18 mm margins), 657 CSS pixels: charts are
# drawn at that width so they are neither scaled nor cropped.
DEFAULT_WIDTH = 650
DEFAULT_HEIGHT = 450

_SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed"}
_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)

_lock = threading.Lock()
# The browser path the server was started with by this module (None: not started by us).
_started_with: str | None = None
# Set when a call failed in a way that may have left the server unusable.
_broken = False


def browser_path() -> str:
    configured = getattr(settings, "KALEIDO_BROWSER_PATH", None)
    return str(configured or os.environ.get("BROWSER_PATH") or DEFAULT_BROWSER)


def figure_to_svg(
    figure: dict[str, Any], *, width: int | None = None, height: int | None = None
) -> SafeString:
    """The figure drawn as an SVG document, checked and marked safe to put inline in HTML.

    `figure` is a Plotly figure dict (`Chart.figure`); its layout's height is used when no
    height is given. Raises ChartRenderError if it cannot be drawn."""
    layout = figure.get("layout") or {}
    opts = {
        "format": "svg",
        "width": width or layout.get("width") or DEFAULT_WIDTH,
        "height": height or layout.get("height") or DEFAULT_HEIGHT,
        "scale": 1,
    }
    with _lock:
        _ensure_server()
        data = _call(figure, opts)
    return safe_svg(data)


def stop() -> None:
    """Stop the server (and its browser), if this process started one. The next chart starts
    it again. kaleido also stops it when the process exits."""
    global _started_with, _broken
    with _lock:
        _stop_server()
        _started_with, _broken = None, False


def safe_svg(data: bytes | str) -> SafeString:
    """`data` as an inline <svg> element, after checking it is one well-formed SVG document
    with nothing active in it. The figures are our own, but their text (council and group
    names) came from people, and a chart must never be able to change the page around it."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        text = _PROLOGUE.sub("", text, count=1)
        root = ET.fromstring(text)
    except (UnicodeDecodeError, ET.ParseError) as error:
        raise ChartRenderError(gettext("A chart could not be drawn. Try again.")) from error
    if root.tag != f"{_SVG_NS}svg":
        raise ChartRenderError(gettext("A chart could not be drawn. Try again."))
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        bad_attribute = any(
            key.rsplit("}", 1)[-1].lower().startswith("on")
            or (key.endswith("href") and not value.startswith(("#", "data:image/")))
            for key, value in element.attrib.items()
        )
        if name in _FORBIDDEN_ELEMENTS or bad_attribute:
            raise ChartRenderError(gettext("A chart could not be drawn. Try again."))
    return mark_safe(text.strip())  # noqa: S308 - checked above: one inert SVG element


# The server ---------------------------------------------------------------------------------


def _server_alive() -> bool:
    # kaleido keeps its singleton server in a private attribute (kaleido 1.5.0, pinned);
    # without a thread to look at, trust its own flag.
    server = kaleido._global_server  # noqa: SLF001
    if not server.is_running():
        return False
    thread = getattr(server, "_thread", None)
    return thread is None or thread.is_alive()


def _ensure_server() -> None:
    """Start the server with the configured browser unless it is running with it already."""
    global _started_with, _broken
    path = browser_path()
    if _server_alive() and not _broken and _started_with == path:
        return
    if not _stop_server():
        raise ChartRenderError(
            gettext(
                "The chart drawing service is still recovering from an earlier failure. "
                "Try again in a few minutes."
            )
        )
    _started_with, _broken = None, False
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        logger.error("No Chromium at %s (KALEIDO_BROWSER_PATH or BROWSER_PATH)", path)
        raise ChartRenderError(
            gettext(
                "The charts could not be drawn because the chart drawing service is not "
                "available. Try again later; if it keeps failing, tell the service team."
            )
        )
    try:
        kaleido.start_sync_server(
            path=path,
            mathjax=False,  # no LaTeX in our charts, and no fetch from a CDN
            timeout=RENDER_TIMEOUT,
            n=1,
            silence_warnings=True,
        )
    except Exception as error:
        raise ChartRenderError(gettext("The charts could not be drawn. Try again.")) from error
    _started_with = path
    logger.info("Started kaleido with %s", path)


def _stop_server() -> bool:
    """Stop kaleido's server if it is running; False if it did not stop within STOP_TIMEOUT
    (a render still in progress: kaleido's own timeout will end it)."""
    server = kaleido._global_server  # noqa: SLF001
    if not server.is_running():
        return True
    stopper = threading.Thread(
        target=kaleido.stop_sync_server,
        kwargs={"silence_warnings": True},
        name="kaleido-stop",
        daemon=True,
    )
    stopper.start()
    stopper.join(STOP_TIMEOUT)
    return not stopper.is_alive()


def _call(figure: dict[str, Any], opts: dict[str, Any]) -> bytes:
    """kaleido.calc_fig_sync through the server, from a helper thread we can stop waiting for:
    kaleido's own call would wait forever for a server whose thread has died."""
    global _broken
    results: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            results.put((True, kaleido.calc_fig_sync(figure, opts=opts)))
        except BaseException as error:  # noqa: BLE001 - handed back to the caller
            results.put((False, error))

    threading.Thread(target=run, name="kaleido-call", daemon=True).start()
    deadline = time.monotonic() + CALL_TIMEOUT
    while True:
        try:
            ok, value = results.get(timeout=0.2)
            break
        except queue.Empty:
            if not _server_alive():
                _broken = True
                logger.error("kaleido's server stopped (Chromium failed to start or crashed)")
                raise ChartRenderError(
                    gettext("The charts could not be drawn. Try again.")
                ) from None
            if time.monotonic() > deadline:
                _broken = True
                logger.error("kaleido took longer than %s s over one chart", CALL_TIMEOUT)
                raise ChartRenderError(
                    gettext("Drawing the charts took too long. Try again.")
                ) from None
    if not ok:
        # kaleido hands back render errors (a timeout, a browser that went away) and keeps
        # serving; start afresh anyway, in case the browser is the cause.
        _broken = True
        logger.error("kaleido failed: %r", value)
        raise ChartRenderError(gettext("The charts could not be drawn. Try again.")) from value
    if not isinstance(value, bytes | str):
        _broken = True
        raise ChartRenderError(gettext("The charts could not be drawn. Try again."))
    return value.encode("utf-8") if isinstance(value, str) else value
