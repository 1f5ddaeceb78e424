"""briefgen.common.signals: a signal that lands where it cannot unwind waits until it can.

The real command, signalled at many moments, is tested in
tests/faults/test_faults_interrupts.py; these tests place the signal exactly.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator

import pytest

from briefgen.common import signals


@pytest.fixture
def installed() -> Iterator[None]:
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    signals._state.__init__()  # type: ignore[misc]
    signals.install()
    yield
    signal.signal(signal.SIGINT, before[0])
    signal.signal(signal.SIGTERM, before[1])
    signals._state.__init__()  # type: ignore[misc]


def _function_of(module: str, signals_sent: int = 1) -> Callable[[], list[str]]:
    """A function whose frames belong to ``module``, as pydantic's own functions' do, that
    sends itself SIGINT, then runs a thousand bytecodes (where Python runs handlers)."""
    namespace: dict[str, object] = {"__name__": module, "os": os, "signal": signal,
                                    "time": time, "sent": signals_sent}
    exec(
        "def run():\n"
        "    steps = []\n"
        "    for _ in range(sent):\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        time.sleep(0.001)\n"
        "    for n in range(1000):\n"
        "        steps.append(str(n))\n"
        "    return steps\n",
        namespace,
    )
    return namespace["run"]  # type: ignore[return-value]


def _wait_for_interrupt_or_fail(seconds: float) -> None:
    time.sleep(seconds)
    pytest.fail(f"no interrupt within {seconds} s")


def _wait_for_interrupt(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            time.sleep(0.005)
    except KeyboardInterrupt:
        return True
    return False


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize("module", [
    "pydantic._internal._generate_schema",  # schema building, called back from Rust
    "importlib._bootstrap",  # the import system, once the importlib package is imported
    "_frozen_importlib",  # the import system before that (the console script's start)
])
def test_a_ctrl_c_that_cannot_unwind_here_arrives_once_out(module: str) -> None:
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):  # the whole test: it may come at any bytecode
        steps = _function_of(module)()
        _wait_for_interrupt_or_fail(2.0)
    assert len(steps) == 1000  # run() ran to its end: no exception inside those frames
    assert not _wait_for_interrupt(0.2), "the Ctrl-C arrived twice"


@pytest.mark.usefixtures("installed")
def test_a_look_that_is_lost_is_made_again() -> None:
    # server.start() ignores Ctrl-C for the few milliseconds it spawns the server: a look
    # sent then is dropped by the kernel, and the next one must still come.
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        steps = _function_of("pydantic.main")()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        time.sleep(5 * signals.RETRY_SECONDS)  # looks come, and are dropped
        signal.signal(signal.SIGINT, previous)
        _wait_for_interrupt_or_fail(2.0)
    assert len(steps) == 1000


@pytest.mark.usefixtures("installed")
def test_deliver_pending_raises_where_it_is_called_unless_a_block_holds_it() -> None:
    signals._state.pending = signal.SIGTERM  # as a look that has not come yet leaves it
    signals._state.holds = 1
    signals.deliver_pending()  # held: the block raises it as it ends
    signals._state.holds = 0
    with pytest.raises(signals.Terminated):
        signals.deliver_pending()
    assert signals._state.pending is None
    signals.deliver_pending()  # nothing pending: nothing raised


@pytest.mark.usefixtures("installed")
def test_a_second_ctrl_c_while_one_waits_raises_at_once() -> None:
    with pytest.raises(KeyboardInterrupt):
        _function_of("pydantic.main", signals_sent=2)()


@pytest.mark.usefixtures("installed")
def test_a_ctrl_c_elsewhere_raises_at_once() -> None:
    with pytest.raises(KeyboardInterrupt):
        _function_of("briefgen.inputs.models")()


@pytest.mark.usefixtures("installed")
def test_a_held_block_runs_to_its_end_and_the_signal_is_raised_after_it() -> None:
    finished = False
    with pytest.raises(KeyboardInterrupt), signals.held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs in here, and must not raise
        finished = True
    assert finished
    assert signals._state.pending is None
    assert not _wait_for_interrupt(0.2), "the Ctrl-C arrived twice"


@pytest.mark.usefixtures("installed")
def test_sigterm_unwinds_with_the_shells_status() -> None:
    with pytest.raises(signals.Terminated) as ended:
        os.kill(os.getpid(), signal.SIGTERM)
        _wait_for_interrupt(2.0)
    assert ended.value.code == 128 + signal.SIGTERM
    assert signals.last_signal() == signal.SIGTERM
