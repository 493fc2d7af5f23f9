"""`tarjama invoke` (not built yet)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Registers nothing until this command is built."""
    _ = (sub, argparse)
