"""Exceptions raised by :mod:`analysis`, and the exit code of each.

Every error the package raises on purpose derives from :class:`AnalysisError`, so a
caller can catch them all at once; the subclasses of builtins keep ``except ValueError``
and ``except OSError`` working::

    AnalysisError                                   exit code 1
    ├── ParameterError (ValueError)                 exit code 2   bad region, year or option
    ├── DataError                                   (abstract: a raw file is not usable)
    │   ├── ChecksumError                           exit code 3   sha256 or size differs
    │   ├── SourceUnavailableError (OSError)        exit code 4   not in the mirror, URL unreachable
    │   ├── DataNotFetchedError (FileNotFoundError) exit code 5   data/raw lacks a file
    │   └── SchemaValidationError (ValueError)      exit code 6   a file is not as documented
    ├── ReportExecutionError                        exit code 7   a notebook failed
    ├── OutputError (OSError)                       exit code 8   --out cannot be written
    └── ClusterUnavailableError (OSError)           exit code 9   no Dask scheduler at --scheduler

    (no error: NEW_DATA)                            exit code 10  ``updates``: a newer file is
                                                                  available; with ``--apply``:
                                                                  installed and recorded

The command line maps each class to its ``exit_code`` (``cli.main``); ``Ctrl-C`` exits 130.
``python -m analysis updates [--apply]`` exits 0 when every file is up to date, 10
(:data:`NEW_DATA`) when a publisher has a newer one (installed, with ``--apply``), and
with the code of its error otherwise (4 a publisher unreachable, 3 a download that is not
the announced file, 6 a new file that its loader refuses), so that a scheduler can tell
"nothing new", "new edition" and "failed" apart.

A bad ``--out`` (a file, or a folder under a file) is a ``ParameterError``; an output
folder that exists in principle but cannot be written is an ``OutputError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported only where a table is involved
    import pandas as pd

#: Exit code of ``python -m analysis updates`` when a newer file is available, or, with
#: ``--apply``, was installed and recorded in the vintage file (0: nothing new).
NEW_DATA = 10


class AnalysisError(Exception):
    """Base class of every error raised on purpose by :mod:`analysis`."""

    exit_code = 1


class ParameterError(AnalysisError, ValueError):
    """A parameter (region code, year, option) is not one the data can serve."""

    exit_code = 2


class DataError(AnalysisError):
    """A raw data file cannot be used as it is."""


class ChecksumError(DataError):
    """A file's size or sha256 differs from the catalogue's.

    Attributes
    ----------
    path : str
        The file that was checked.
    expected, actual : str
        The sha256 digests.
    """

    exit_code = 3

    def __init__(self, message: str, *, path: str = "", expected: str = "", actual: str = ""):
        super().__init__(message)
        self.path = path
        self.expected = expected
        self.actual = actual


class SourceUnavailableError(DataError, OSError):
    """A file is neither in the mirror nor reachable at its download URL."""

    exit_code = 4


class DataNotFetchedError(DataError, FileNotFoundError):
    """A loader needs a raw file that the fetch step has not put in place."""

    exit_code = 5


class SchemaValidationError(DataError, ValueError):
    """A raw file does not have the columns, codes or types its loader documents.

    Attributes
    ----------
    source : str
        The file that was read.
    column : str or None
        The first column at fault.
    failure_cases : pandas.DataFrame
        The offending rows or values (at most a few dozen).
    """

    exit_code = 6

    def __init__(
        self,
        message: str,
        *,
        source: str = "",
        column: str | None = None,
        failure_cases: pd.DataFrame | None = None,
    ):
        super().__init__(message)
        self.source = source
        self.column = column
        if failure_cases is None:
            import pandas as pd

            failure_cases = pd.DataFrame()
        self.failure_cases = failure_cases


class ReportExecutionError(AnalysisError):
    """A report notebook raised while it ran; the executed notebook is kept."""

    exit_code = 7

    def __init__(self, message: str, *, notebook: str = "", cell_index: int | None = None):
        super().__init__(message)
        self.notebook = notebook
        self.cell_index = cell_index


class OutputError(AnalysisError, OSError):
    """The output folder cannot be written (permissions, read-only file system, /proc)."""

    exit_code = 8


class ClusterUnavailableError(AnalysisError, OSError):
    """The Dask scheduler named by ``--scheduler`` cannot be reached."""

    exit_code = 9


class FetchError(DataError):
    """Several files failed to fetch (or to update); ``errors`` holds one error per file.

    Its exit code is that of the first error, so a single bad checksum still exits 3.
    ``folder`` is what was left unchanged (a tuple: several things); ``what`` names the
    operation in the message (``"fetched"``, ``"updated"``).
    """

    def __init__(self, errors: list[DataError], folder: object = "data/raw", *, what="fetched"):
        self.errors = errors
        if isinstance(folder, tuple):
            left = f"{' and '.join(map(str, folder))} were left unchanged"
        else:
            left = f"{folder} was left unchanged"
        lines = [f"{len(errors)} file(s) could not be {what}; {left}:"]
        lines += [f"  - {err}" for err in errors]
        super().__init__("\n".join(lines))

    @property
    def exit_code(self) -> int:  # type: ignore[override]
        """Exit code of the first underlying error."""
        return self.errors[0].exit_code if self.errors else 1


def exit_code_for(exc: BaseException) -> Any:
    """Return the process exit code for ``exc`` (1 for errors we did not anticipate)."""
    if isinstance(exc, KeyboardInterrupt):
        return 130
    return getattr(exc, "exit_code", 1)
