"""--jobs: forked workers give the same bytes as one process, and their errors come back."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build.pipeline import build, load_valid_workspace
from briefgen.common.diagnostics import InputError
from tests.conftest import BRIEF_X


def test_jobs_give_the_same_bytes_as_one_job(two: Path, tmp_path: Path) -> None:
    (two / "briefs" / "brief-z.yaml").write_text(BRIEF_X.replace("id: brief-x", "id: brief-z"))
    ws, _ = load_valid_workspace(two)
    build(ws, [], ("html", "pdf"), tmp_path / "one", jobs=1)
    build(ws, [], ("html", "pdf"), tmp_path / "two", jobs=2)
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two_ = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert sorted(one) == ["brief-x.html", "brief-x.pdf", "brief-y.html", "brief-y.pdf",
                           "brief-z.html", "brief-z.pdf", "manifest.json"]
    assert one == two_


class _Unpicklable(Exception):
    def __init__(self, a: int, b: int) -> None:  # pickling keeps only args: unpickling fails
        super().__init__(f"{a} and {b}")


def _fail(item: int) -> int:
    if item == 2:
        raise _Unpicklable(1, 2)
    if item == 3:
        raise InputError([])
    return item * 10


def test_worker_errors_come_back_instead_of_hanging() -> None:
    from briefgen.build.parallel import WorkerError, run_forked

    assert sorted(run_forked(_fail, [0, 1], 2)) == [0, 10]
    with pytest.raises(WorkerError, match="_Unpicklable: 1 and 2"):
        list(run_forked(_fail, [0, 1, 2], 2))
    with pytest.raises(InputError):
        list(run_forked(_fail, [3, 1], 2))
