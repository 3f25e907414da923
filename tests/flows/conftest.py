"""Shared fixtures for the domain tests: real framework files, a fixed day."""

from __future__ import annotations

from datetime import date

import pytest

from flows.config import load_frameworks
from flows.conversation import Engine
from flows.model import Framework

TODAY = date(2026, 5, 4)


@pytest.fixture(scope="session")
def frameworks() -> dict[str, Framework]:
    return load_frameworks()


@pytest.fixture
def engine(frameworks: dict[str, Framework]) -> Engine:
    return Engine(frameworks, today=lambda: TODAY)
