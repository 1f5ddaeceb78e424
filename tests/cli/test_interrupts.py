"""briefgen.cli.interrupts: a signal that lands inside pydantic waits until it is out."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator

import pytest

from briefgen.cli import interrupts


@pytest.fixture
def installed() -> Iterator[None]:
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    interrupts.install()
    yield
    signal.signal(signal.SIGINT, before[0])
    signal.signal(signal.SIGTERM, before[1])


def _function_of(module: str) -> Callable[[], list[str]]:
    """A function whose frames belong to `module`, as pydantic's own functions' do."""
    namespace: dict[str, object] = {"__name__": module, "os": os, "signal": signal}
    exec(
        "def run():\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    steps = []\n"
        "    for n in range(1000):\n"  # bytecodes, where Python runs signal handlers
        "        steps.append(str(n))\n"
        "    return steps\n",
        namespace,
    )
    return namespace["run"]  # type: ignore[return-value]


def _wait_for_interrupt(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            time.sleep(0.005)
    except KeyboardInterrupt:
        return True
    return False


@pytest.mark.usefixtures("installed")
def test_ctrl_c_inside_pydantic_is_delivered_once_pydantic_returns() -> None:
    steps = _function_of("pydantic._internal._generate_schema")()
    assert len(steps) == 1000  # ran to its end: no exception inside pydantic's frames
    assert _wait_for_interrupt(2.0), "the deferred Ctrl-C never arrived"


@pytest.mark.usefixtures("installed")
def test_ctrl_c_elsewhere_raises_at_once() -> None:
    with pytest.raises(KeyboardInterrupt):
        _function_of("briefgen.inputs.models")()


@pytest.mark.usefixtures("installed")
def test_sigterm_unwinds_with_the_shells_status() -> None:
    with pytest.raises(SystemExit) as ended:
        os.kill(os.getpid(), signal.SIGTERM)
        _wait_for_interrupt(2.0)
    assert ended.value.code == 128 + signal.SIGTERM


@pytest.mark.usefixtures("installed")
def test_ctrl_c_during_an_import_is_delivered_once_the_import_is_done() -> None:
    # The frozen import system's frames carry the name importlib._bootstrap.
    steps = _function_of("importlib._bootstrap")()
    assert len(steps) == 1000
    assert _wait_for_interrupt(2.0), "the deferred Ctrl-C never arrived"
