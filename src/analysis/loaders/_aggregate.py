"""Geographic levels of the loaders, and sums over them that never turn missing into zero.

:func:`strict_sum` lives in :mod:`analysis.metrics`; it is imported here so that the
loaders find it beside :func:`known_sum`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import ParameterError
from ..metrics import strict_sum

__all__ = ["check_level", "known_sum", "strict_sum"]


def check_level(level: str, allowed: Sequence[str]) -> None:
    """Raise :class:`ParameterError` unless ``level`` is one of ``allowed``."""
    if level not in allowed:
        raise ParameterError(f"`level` must be one of {', '.join(allowed)}; got {level!r}.")


def known_sum(frame: pd.DataFrame, by: Sequence[str], value: str, flag: str) -> pd.DataFrame:
    """Sum the known cells by groups and count the missing ones beside the sum.

    Returns a frame with ``value`` (NaN when every cell is missing) and ``<flag>_cells``,
    the number of cells left out because they were masked.
    """
    grouped = frame.groupby(list(by), sort=False, observed=True)
    return pd.DataFrame(
        {
            value: grouped[value].sum(min_count=1),
            f"{flag}_cells": grouped[flag].sum().astype(int),
        }
    )
