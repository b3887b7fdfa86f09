"""Simulated people using the portal at once: the load generator `.ci/load` runs (stdlib only).

Each simulated person signs in through the real sign-in form (email and password in one POST),
then repeats their step until the time is up, with a think time after each step:

- an officer opens their task list, opens a barrier page and saves answers to it (every
  question answered at random, the page's own CSRF token and fields sent back), following the
  redirect the save answers with as a browser would;
- a chief executive opens their dashboard, then switches it to another comparison group.

The portal runs with production settings behind no proxy, so every request says it came
through one: `X-Forwarded-Proto: https`, and an `X-Forwarded-For` address of its own for each
person (the sign-in lockout counts per client). Cookies are kept by hand, Secure or not.

Sign-ins happen before the measured window, staggered over --ramp seconds, and are reported as
their own pages; the window starts once everyone is signed in. Prints a table, then one JSON
line with "measure": "load".

    python tools/loadtest.py --base-url http://127.0.0.1:8000 --people people.json \
        --users 50 --seconds 60 --think 5 15 --run "think time"
"""

from __future__ import annotations

import argparse
import gzip
import html
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import SplitResult, urlencode, urlsplit

TIMEOUT_S = 60.0
# After a failed request, wait this long before the next step (no hot loop on a dead server).
ERROR_PAUSE_S = 0.5
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) portal-loadtest/1"
ERROR_SUMMARY = b"govuk-error-summary"

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S)
INPUT = re.compile(r"<input\b([^>]*)>")
TEXTAREA = re.compile(r'<textarea\b[^>]*\bname="([^"]*)"[^>]*>(.*?)</textarea>', re.S)
BUTTON = re.compile(r'<button\b[^>]*\bname="([^"]*)"')
ATTRIBUTE = re.compile(r'\b(type|name|value)="([^"]*)"')

PAGE_ORDER = [
    "sign-in page",
    "sign-in",
    "task list",
    "barrier page",
    "save answers",
    "check answers",
    "dashboard",
    "dashboard other group",
]


@dataclass
class Reply:
    status: int
    location: str
    body: bytes


@dataclass
class Results:
    """Every timed request, shared by the threads (appends are atomic under the GIL)."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    in_window: int = 0
    errors: int = 0
    sign_in_errors: int = 0
    examples: list[str] = field(default_factory=list)
    first_start: float | None = None
    last_end: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, started: float, ended: float, *, measured: bool) -> None:
        with self.lock:
            self.latencies.setdefault(page, []).append(ended - started)
            if measured:
                self.in_window += 1
                self.last_end = max(self.last_end, ended)

    def error(self, message: str, *, measured: bool) -> None:
        with self.lock:
            if measured:
                self.errors += 1
            else:
                self.sign_in_errors += 1
            if len(self.examples) < 5:
                self.examples.append(message)


class Failed(Exception):
    """A request that went wrong: already counted, the step stops."""


class Person(threading.Thread):
    def __init__(
        self,
        *,
        number: int,
        who: dict[str, Any],
        password: str,
        base: SplitResult,
        results: Results,
        seed: int,
        think: tuple[float, float],
        sign_in_at: float,
        signed_in: threading.Barrier,
        window: dict[str, float],
    ) -> None:
        super().__init__(daemon=True, name=who["email"])
        self.who = who
        self.password = password
        self.host = base.hostname or "127.0.0.1"
        self.port = base.port or 80
        self.origin = f"https://{self.host}:{self.port}"
        # A client address of its own: 10.<hi>.<lo>.7, different for every person.
        self.client = f"10.{100 + number // 250}.{number % 250 + 1}.7"
        self.results = results
        self.rng = random.Random(seed * 1000 + number)
        self.think = think
        self.sign_in_at = sign_in_at
        self.signed_in = signed_in
        self.window = window
        self.cookies: dict[str, str] = {}
        self.measured = False

    # HTTP -------------------------------------------------------------------------------------

    def request(
        self, page: str, method: str, path: str, form: list[tuple[str, str]] | None = None
    ) -> Reply:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": USER_AGENT,
            "Accept": "text/html",
            "Accept-Encoding": "gzip",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                raw = response.read()
            finally:
                connection.close()
        except (OSError, http.client.HTTPException) as error:
            self.results.error(
                f"{method} {path} ({page}): {type(error).__name__}: {error}",
                measured=self.measured,
            )
            raise Failed from error
        ended = time.perf_counter()
        self.results.record(page, started, ended, measured=self.measured)
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self._set_cookie(value)
        if response.getheader("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        reply = Reply(response.status, response.getheader("Location") or "", raw)
        if not 200 <= reply.status < 400:
            self.fail(page, method, path, f"status {reply.status}")
        return reply

    def _set_cookie(self, header: str) -> None:
        pair, _, attributes = header.partition(";")
        name, _, value = pair.strip().partition("=")
        lowered = attributes.lower().replace(" ", "")
        if "max-age=0" in lowered or "expires=thu,01jan1970" in lowered:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value.strip('"')

    def fail(self, page: str, method: str, path: str, what: str) -> NoReturn:
        self.results.error(f"{method} {path} ({page}): {what}", measured=self.measured)
        raise Failed

    def page(self, name: str, path: str) -> Reply:
        """A GET that must show its page: a redirect (to sign in, say) is an error too."""
        reply = self.request(name, "GET", path)
        if reply.status != 200:
            self.fail(name, "GET", path, f"status {reply.status} to {reply.location or '?'}")
        return reply

    # Steps ------------------------------------------------------------------------------------

    def sign_in(self) -> None:
        page = self.page("sign-in page", "/sign-in/")
        token = CSRF_INPUT.search(page.body.decode())
        if token is None:
            self.fail("sign-in page", "GET", "/sign-in/", "no CSRF token")
        form = [
            ("csrfmiddlewaretoken", token.group(1)),
            ("username", self.who["email"]),
            ("password", self.password),
        ]
        reply = self.request("sign-in", "POST", "/sign-in/", form)
        if reply.status != 302 or not any(k.endswith("sessionid") for k in self.cookies):
            self.fail("sign-in", "POST", "/sign-in/", f"status {reply.status}, not signed in")

    def officer_step(self) -> None:
        self.page("task list", self.who["overview_url"])
        if self.over():
            return
        path = self.rng.choice(self.who["barrier_urls"])
        barrier = self.page("barrier page", path)
        if self.over():
            return
        form = self.answers(barrier.body.decode(), path)
        reply = self.request("save answers", "POST", path, form)
        if reply.status == 200:
            # Shown again: only right if nothing is wrong with it (no error summary).
            if ERROR_SUMMARY in reply.body:
                self.fail("save answers", "POST", path, "the page came back with errors")
            return
        if reply.status != 302:
            self.fail("save answers", "POST", path, f"status {reply.status}")
        target = urlsplit(reply.location).path
        if target in self.who["barrier_urls"]:
            name = "barrier page"
        elif target == self.who["overview_url"]:
            name = "task list"
        elif target.endswith("/check-your-answers/"):
            name = "check answers"
        else:
            self.fail("save answers", "POST", path, f"redirected to {reply.location}")
        if not self.over():
            self.page(name, target)

    def answers(self, page: str, path: str) -> list[tuple[str, str]]:
        """The answers form filled in as a person would: a level (or an opt-out) and a
        confidence for every question, hidden fields, text and evidence sent back as shown."""
        form = next((f for f in FORM.findall(page) if "-answer" in f), None)
        if form is None:
            self.fail("barrier page", "GET", path, "no answers form")
        fields: list[tuple[str, str]] = []
        radios: dict[str, list[str]] = {}
        for attributes in INPUT.findall(form):
            found = dict(ATTRIBUTE.findall(attributes))
            name, kind = found.get("name"), found.get("type", "text")
            if not name:
                continue
            value = html.unescape(found.get("value", ""))
            if kind == "radio":
                radios.setdefault(name, []).append(value)
            elif kind in {"hidden", "text", "url", "email", "number"}:
                fields.append((name, value))
        for name, text in TEXTAREA.findall(form):
            # Browsers drop the one newline straight after <textarea>.
            fields.append((name, html.unescape(text.removeprefix("\n"))))
        for name, values in radios.items():
            if name.endswith("-answer"):
                # Mostly a level; now and then "not applicable" or "don't know".
                levels = [v for v in values if v.isdigit()]
                fields.append(
                    (name, self.rng.choice(levels if self.rng.random() < 0.9 else values))
                )
            else:
                fields.append((name, self.rng.choice(values)))
        buttons = BUTTON.findall(form)
        if buttons:
            fields.append((self.rng.choice(buttons), ""))
        return fields

    def executive_step(self) -> None:
        dashboard = self.who["dashboard_url"]
        self.page("dashboard", dashboard)
        if self.over() or not self.who["group_slugs"]:
            return
        group = self.rng.choice(self.who["group_slugs"])
        self.page("dashboard other group", f"{dashboard}?{urlencode({'group': group})}")

    # The person -------------------------------------------------------------------------------

    def over(self) -> bool:
        return time.perf_counter() >= self.window["end"]

    def pause(self, seconds: float) -> None:
        time.sleep(max(0.0, min(seconds, self.window["end"] - time.perf_counter())))

    def run(self) -> None:
        time.sleep(max(0.0, self.sign_in_at - time.perf_counter()))
        signed_in = False
        try:
            self.sign_in()
            signed_in = True
        except Failed:
            pass
        except Exception as error:  # a bug here must not leave the others waiting
            self.results.error(f"sign-in: {type(error).__name__}: {error}", measured=False)
        self.signed_in.wait()
        if not signed_in:
            return
        self.measured = True
        low, high = self.think
        if high > 0:
            # Start part way through a think, so the steps do not all land at once.
            self.pause(self.rng.uniform(0, self.rng.uniform(low, high)))
        step = self.officer_step if self.who["role"] == "officer" else self.executive_step
        while not self.over():
            try:
                step()
            except Failed:
                self.pause(ERROR_PAUSE_S)
            except Exception as error:  # counted, and the person carries on
                self.results.error(f"{type(error).__name__}: {error}", measured=True)
                self.pause(ERROR_PAUSE_S)
            if high > 0:
                self.pause(self.rng.uniform(low, high))


def _number(value: float) -> float | int:
    """60.0 as 60, for the JSON line."""
    return int(value) if value.is_integer() else value


def percentiles(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    if len(ms) == 1:
        p50 = p95 = p99 = ms[0]
    else:
        cuts = statistics.quantiles(ms, n=100, method="inclusive")
        p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    return {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "p99_ms": round(p99, 1)}


def machine_cpu() -> tuple[float, float] | None:
    """(seconds the machine's CPUs were busy, seconds stolen by the host) since boot, from
    Linux's /proc/stat; None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    # user nice system idle iowait irq softirq steal ...
    busy = sum(fields[:3]) + sum(fields[5:7])
    steal = fields[7] if len(fields) > 7 else 0
    return busy / ticks, steal / ticks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--base-url", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--people", required=True, help="JSON from manage.py load_test_people")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--executives", type=int, default=None, help="Of --users; default a fifth.")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, nargs=2, default=[5.0, 15.0], metavar=("MIN", "MAX"))
    parser.add_argument("--ramp", type=float, default=10, help="Sign-ins spread over this long.")
    parser.add_argument("--run", default="think time", help='Its name: "think time", ...')
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args(argv)

    people = json.load(open(options.people))
    executives = options.users // 5 if options.executives is None else options.executives
    officers = options.users - executives
    chosen = people["officers"][:officers] + people["executives"][:executives]
    if len(chosen) < options.users:
        parser.error(
            f"{options.people} has {len(people['officers'])} officers and "
            f"{len(people['executives'])} chief executives: not enough for {officers} and "
            f"{executives}."
        )
    think = (min(options.think), max(options.think))
    results = Results()
    base = urlsplit(options.base_url)
    start = time.perf_counter()
    window = {"start": 0.0, "end": float("inf")}
    cpu_at_start: dict[str, Any] = {}

    def open_window() -> None:
        # Runs once, when the last person has signed in (or failed to).
        window["start"] = time.perf_counter()
        window["end"] = window["start"] + options.seconds
        cpu_at_start.update(machine=machine_cpu(), generator=time.process_time())

    barrier = threading.Barrier(len(chosen), action=open_window)
    order = list(range(len(chosen)))
    random.Random(options.seed).shuffle(order)
    threads = [
        Person(
            number=number,
            who=chosen[number],
            password=people["password"],
            base=base,
            results=results,
            seed=options.seed,
            think=think,
            sign_in_at=start + options.ramp * position / len(chosen),
            signed_in=barrier,
            window=window,
        )
        for position, number in enumerate(order)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # The window, or longer if the last requests started in it finished after it.
    elapsed = max(results.last_end - window["start"], options.seconds)
    # What a request cost the server (gunicorn, PostgreSQL, Redis: the whole machine less this
    # generator), a steadier figure than requests a second on a shared machine.
    cpu_ms = steal_s = None
    machine_now = machine_cpu()
    if machine_now and cpu_at_start.get("machine") and results.in_window:
        busy_then, steal_then = cpu_at_start["machine"]
        server_s = machine_now[0] - busy_then - (time.process_time() - cpu_at_start["generator"])
        cpu_ms = round(server_s / results.in_window * 1000, 1)
        steal_s = round(machine_now[1] - steal_then, 1)
    pages = {
        name: {"requests": len(results.latencies[name]), **percentiles(results.latencies[name])}
        for name in PAGE_ORDER + sorted(set(results.latencies) - set(PAGE_ORDER))
        if results.latencies.get(name)
    }
    line = {
        "measure": "load",
        "run": options.run,
        "users": len(chosen),
        "officers": officers,
        "executives": executives,
        "seconds": _number(options.seconds),
        "think_s": [_number(think[0]), _number(think[1])],
        "requests": results.in_window,
        "requests_per_second": round(results.in_window / elapsed, 1) if elapsed > 0 else 0.0,
        "errors": results.errors,
        "sign_in_errors": results.sign_in_errors,
        "error_examples": results.examples,
        "sign_in_seconds": round(window["start"] - start, 1),
        # The generator shares the machine: what it cost, to judge how much it took away.
        "generator_cpu_s": round(time.process_time(), 1),
        "server_cpu_ms_per_request": cpu_ms,
        "stolen_cpu_s": steal_s,
        "pages": pages,
    }
    print(
        f"Load, {options.run}: {len(chosen)} people ({officers} officers, {executives} chief "
        f"executives) for {options.seconds:g} s, think {think[0]:g}-{think[1]:g} s; signing "
        f"in took {line['sign_in_seconds']} s (not in the window)."
    )
    print(
        f"{line['requests']} requests, {line['requests_per_second']} a second, "
        f"{line['errors']} errors ({line['sign_in_errors']} at sign-in)"
    )
    if cpu_ms is not None:
        print(f"{cpu_ms} ms of the machine's CPU a request; {steal_s} s stolen by its host")
    print(f"  {'page':<24}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, found in pages.items():
        print(
            f"  {name:<24}{found['requests']:>9}{found['p50_ms']:>9.0f}"
            f"{found['p95_ms']:>9.0f}{found['p99_ms']:>9.0f}"
        )
    for example in results.examples:
        print(f"  error: {example}")
    print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
