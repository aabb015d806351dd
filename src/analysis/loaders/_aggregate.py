"""Geographic levels of the loaders, and sums over them that never turn missing into zero."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import ParameterError


def check_level(level: str, allowed: Sequence[str]) -> None:
    """Raise :class:`ParameterError` unless ``level`` is one of ``allowed``."""
    if level not in allowed:
        raise ParameterError(f"`level` must be one of {', '.join(allowed)}; got {level!r}.")


def strict_sum(frame: pd.DataFrame, by: Sequence[str], value: str) -> pd.Series:
    """Sum ``value`` by groups; a group with any missing cell is missing.

    pandas' ``sum`` reads NaN as 0 and returns 0 for a group of NaN; official totals must
    not, so a total is published only when every part of it is known.
    """
    keys = [frame[k] for k in by]
    total = frame[value].groupby(keys, sort=False, observed=True).sum(min_count=1)
    incomplete = frame[value].isna().groupby(keys, sort=False, observed=True).any()
    return total.mask(incomplete)


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
