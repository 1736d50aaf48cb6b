"""Headless Chromium driven over its DevTools pipe: load a local page with the network shut, then
take a screenshot, print it to PDF, and say what it logged and what it tried to fetch.

The DevTools protocol runs over two file descriptors (`--remote-debugging-pipe`: the browser
reads commands on fd 3 and writes answers on fd 4, each a JSON text ended by a NUL byte), so
no client library and no port is needed. The network is shut three ways: every host name
resolves to nothing, every request goes to a proxy that refuses (port 9 on loopback), and
every request the page makes is recorded so a test can assert there was none.

Run as a script to look at a page: `python tests/chromium.py page.html OUT_PREFIX` writes
OUT_PREFIX-desktop.png, -phone.png, -a4.pdf and -letter.pdf and prints what the page logged.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# Debian's package installs `chromium`; other systems name it differently.
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 60.0
# Paper sizes in inches, for Page.printToPDF.
PAPER = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}


def find_chromium() -> str | None:
    return next((path for path in map(shutil.which, NAMES) if path), None)


@dataclass
class PageReport:
    """What a loaded page did: its console and log entries, uncaught errors and requests."""

    console: list[dict] = field(default_factory=list)      # Runtime.consoleAPICalled params
    log: list[dict] = field(default_factory=list)          # Log.entryAdded entries
    exceptions: list[dict] = field(default_factory=list)   # Runtime.exceptionThrown details
    requests: list[str] = field(default_factory=list)      # every URL the page asked for

    def errors(self) -> list[str]:
        """Every console or log message at level error or warning, and every uncaught exception, as text."""
        out = [" ".join(str(a.get("value", a.get("description", ""))) for a in c.get("args", []))
               for c in self.console if c.get("type") in ("error", "warning", "assert")]
        out += [f"{e.get('source')}: {e.get('text')}" for e in self.log if e.get("level") in ("error", "warning")]
        out += [e.get("exception", {}).get("description") or e.get("text", "") for e in self.exceptions]
        return out


class Chromium:
    """One headless browser with one tab, talked to over the DevTools pipe."""

    def __init__(self, executable: str | None = None):
        executable = executable or find_chromium()
        if not executable:
            raise FileNotFoundError("no Chromium found (looked for: " + ", ".join(NAMES) + ")")
        self.profile = tempfile.TemporaryDirectory(prefix="planner-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds() -> None:
            # Move both ends above any fd the dup2s below could clobber, then onto 3 and 4.
            read_end = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        args = [executable, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", f"--user-data-dir={self.profile.name}", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio",
                "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>", "--font-render-hinting=none", "about:blank"]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, preexec_fn=wire_fds, pass_fds=(3, 4))
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=True)

    # ------------------------------------------------------------------ the protocol

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe: "
                                   + self.process.stderr.read().decode(errors="replace")[-2000:])
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method: str, session: bool = False, **params) -> dict:
        """Send one command and wait for its answer; events that arrive meanwhile are kept."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._events.append(answer)

    def wait_for(self, method: str) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for k, event in enumerate(self._events):
                if event.get("method") == method:
                    return self._events.pop(k)["params"]
            self._events.append(self._read_message(deadline))

    # ------------------------------------------------------------------ what a test does

    def load(self, path: Path, width: int = 1280, height: int = 900, mobile: bool = False) -> PageReport:
        """Open a local file at a viewport size; returns what it logged and fetched while loading."""
        self._events.clear()
        self.send("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=2 if mobile else 1, mobile=mobile)
        self.send("Page.navigate", session=True, url=Path(path).resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        # A round trip after the load event, so messages logged during it have arrived.
        self.send("Runtime.evaluate", session=True, expression="document.readyState")
        report = PageReport()
        for event in self._events:
            params = event.get("params", {})
            match event.get("method"):
                case "Runtime.consoleAPICalled":
                    report.console.append(params)
                case "Log.entryAdded":
                    report.log.append(params["entry"])
                case "Runtime.exceptionThrown":
                    report.exceptions.append(params["exceptionDetails"])
                case "Network.requestWillBeSent":
                    report.requests.append(params["request"]["url"])
        return report

    def evaluate(self, expression: str):
        return self.send("Runtime.evaluate", session=True, expression=expression,
                         returnByValue=True)["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        params: dict = {"format": "png"}
        if full_page:
            size = self.send("Page.getLayoutMetrics", session=True)["cssContentSize"]
            params |= {"captureBeyondViewport": True,
                       "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}}
        data = self.send("Page.captureScreenshot", session=True, **params)["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def pdf(self, path: Path, paper: str = "a4") -> Path:
        width, height = PAPER[paper]
        data = self.send("Page.printToPDF", session=True, paperWidth=width, paperHeight=height,
                         printBackground=True, marginTop=0, marginBottom=0, marginLeft=0, marginRight=0,
                         preferCSSPageSize=False)["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_child, self._from_child):
            os.close(fd)
        self.process.stderr.close()
        self.profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    page, prefix = Path(sys.argv[1]), sys.argv[2]
    with Chromium() as browser:
        for name, size in {"desktop": (1280, 900, False), "phone": (390, 844, True)}.items():
            report = browser.load(page, *size)
            browser.screenshot(Path(f"{prefix}-{name}.png"))
            print(name, "errors:", report.errors(), "requests:", report.requests)
        for paper in PAPER:
            browser.pdf(Path(f"{prefix}-{paper}.pdf"), paper)
