"""A real SMTP server on loopback (aiosmtpd), for tests that check what the portal emails."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Mailbox:
    """What the server received. `hold` makes the server wait, mid-DATA, until released;
    `refuse` makes it answer 451 (try again later) instead of accepting."""

    messages: list[EmailMessage] = field(default_factory=list)
    hold: threading.Event | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    refuse: bool = False
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.hold is not None:
            self.holding.set()
            while not self.hold.is_set():
                await _sleep(0.05)
            return "451 Try again later"
        if self.refuse:
            return "451 Try again later"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(parsed)
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        """The messages once at least `count` have arrived (fails after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} emails, received {len(self.messages)}")

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.mailbox.url = f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.mailbox.hold is not None:
            self.mailbox.hold.set()
        self.controller.stop()
