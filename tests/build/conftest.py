"""The workspace the build tests share: two briefs over three options."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import OPTION_A, OPTION_B
from tests.helpers.builds import BRIEF_X_AB, BRIEF_Y, OPTION_C


@pytest.fixture
def two(workspace: Callable[..., Path]) -> Path:
    """brief-x compares opt-a and opt-b; brief-y compares opt-a and opt-c."""
    return workspace(options={"opt-a": OPTION_A, "opt-b": OPTION_B, "opt-c": OPTION_C},
                     briefs={"brief-x": BRIEF_X_AB, "brief-y": BRIEF_Y})
