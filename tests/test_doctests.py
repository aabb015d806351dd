"""Every public function documents itself with numpy-style ``Examples``, run on the real data.

The names come from ``analysis.__all__``, read when the tests are collected: a name added
to the public API is covered at once, with no list to update here. Functions must have an
``Examples`` section; classes may, and their examples (class docstring and public methods)
are run too.
"""

from __future__ import annotations

import doctest
import functools
import importlib
import inspect
import io
import re
from pathlib import Path

import pandas as pd
import pytest

import analysis as an

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# A numpy-style section title: the word, then a line of dashes at least as long.
EXAMPLES_SECTION = re.compile(r"^[ \t]*Examples[ \t]*\n[ \t]*-{8,}[ \t]*$", re.MULTILINE)
# Below this many examples over all public functions, the finder is broken, not the docs.
MIN_EXAMPLES = 40


def _function_of(obj) -> object | None:
    """The plain function behind ``obj`` (decorated, bound or class/static method), or None."""
    if isinstance(obj, classmethod | staticmethod):
        obj = obj.__func__
    if isinstance(obj, functools.partial):
        return None
    if inspect.ismethod(obj):
        obj = obj.__func__
    if inspect.isclass(obj):
        return None
    try:
        obj = inspect.unwrap(obj)
    except ValueError:  # a cycle of __wrapped__
        return None
    return obj if inspect.isfunction(obj) else None


#: Modules whose public names are reached as ``analysis.<module>.<name>`` (not flat):
#: their examples run too.
MODULES = (
    "blocks",
    "changes",
    "french",
    "indicators",
    "keyfigures",
    "plots",
    "spreadsheet",
    "territories",
    "updates",
)


def _public():
    """(name, object) of every name of ``analysis.__all__``, then of :data:`MODULES`.

    A module's name is written ``module.name``, unless the flat API exports that object.
    """
    names = [(name, getattr(an, name)) for name in an.__all__]
    flat = {id(obj) for _, obj in names}
    for module in MODULES:
        owner = importlib.import_module(f"analysis.{module}")
        for name in owner.__all__:
            obj = getattr(owner, name)
            if id(obj) not in flat and (inspect.isfunction(obj) or inspect.isclass(obj)):
                names.append((f"{module}.{name}", obj))
    return names


def _resolve(name: str):
    """The object of a public name (``"branch_table"`` or ``"territories.a17_table"``)."""
    if "." not in name:
        return getattr(an, name)
    module, attr = name.split(".")
    return getattr(importlib.import_module(f"analysis.{module}"), attr)


# Every function of the flat API must have examples; the modules' run theirs when they have.
FUNCTIONS = sorted(name for name in an.__all__ if _function_of(getattr(an, name)) is not None)
DOCUMENTED = sorted(
    name for name, obj in _public() if _function_of(obj) is not None or inspect.isclass(obj)
)


def _where(obj) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', obj)}"


def _member_functions(cls) -> list[tuple[str, object]]:
    """The public methods and properties a class defines itself, as plain functions."""
    members = []
    for attr, value in vars(cls).items():
        if attr.startswith("_"):
            continue
        if isinstance(value, property):
            value = value.fget
        elif isinstance(value, functools.cached_property):
            value = value.func
        func = _function_of(value)
        if func is not None:
            members.append((f"{cls.__qualname__}.{attr}", func))
    return members


def _doctests(name: str) -> list[doctest.DocTest]:
    """The doctests of public name ``name``: its docstring, and its methods' for a class."""
    obj = _resolve(name)
    finder = doctest.DocTestFinder(recurse=False, exclude_empty=True)
    targets = [(f"analysis.{name}", _function_of(obj) or obj)]
    if inspect.isclass(obj):
        targets += [(f"analysis.{qualname}", func) for qualname, func in _member_functions(obj)]
    tests = []
    for label, target in targets:
        module = inspect.getmodule(target)
        tests.extend(finder.find(target, label, module=module, globs={}))
    return [test for test in tests if test.examples]


@pytest.fixture
def at_project_root(monkeypatch):
    """Run from the checkout's top, so that ``data/raw`` is the data of the examples."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.mark.parametrize("name", FUNCTIONS)
def test_public_function_has_examples(name):
    obj = getattr(an, name)
    func = _function_of(obj)
    if not EXAMPLES_SECTION.search(inspect.getdoc(func) or ""):
        pytest.fail(
            f"`analysis.{name}` ({_where(func)}) has no numpy-style `Examples` section: add "
            "one (a line `Examples`, a line of dashes, then `>>>` lines that run on the real "
            "data).",
            pytrace=False,
        )


@pytest.mark.realdata
@pytest.mark.parametrize("name", DOCUMENTED)
def test_examples_run(name, at_project_root, raw_dir):
    # raw_dir fails unless every catalogue file is present and verified: no example can
    # then trigger a download (an.fetch leaves present files alone).
    tests = _doctests(name)
    runner = doctest.DocTestRunner(optionflags=OPTIONS, verbose=False)
    report = io.StringIO()
    with pd.option_context("display.width", 100, "display.max_columns", 20):
        for test in tests:
            runner.run(test, out=report.write, clear_globs=True)
    if runner.failures:
        pytest.fail(
            f"{runner.failures} of {runner.tries} examples of `analysis.{name}` "
            f"({_where(_resolve(name))}) failed:\n{report.getvalue()}",
            pytrace=False,
        )


def test_examples_are_collected():
    counts = {name: sum(len(t.examples) for t in _doctests(name)) for name in FUNCTIONS}
    total = sum(counts.values())
    assert total >= MIN_EXAMPLES, (
        f"only {total} examples found over {len(FUNCTIONS)} public functions: {counts}"
    )
