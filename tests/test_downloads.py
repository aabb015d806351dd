"""The report's tables as files: a workbook and CSV files beside the HTML, linked from it."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

from analysis import index
from analysis.cli import main
from analysis.spreadsheet import sheet_names, slug


def test_sheet_names_follow_excel_rules():
    names = sheet_names(["A" * 40, "A" * 40, "x: y/z [1]?", "Sommaire", ""])
    assert names == ["A" * 31, "A" * 27 + " (2)", "x y z 1", "Sommaire (4)", "Tableau 5"]


def test_slug():
    assert slug("Les régions en 2024") == "les-regions-en-2024"
    assert slug("« »") == "tableau"


@pytest.fixture(scope="module")
def built(tmp_path_factory, raw_dir):
    out = tmp_path_factory.mktemp("reports")
    command = ["build", "--region", "94", "--year", "2024", "--out", str(out)]
    command += ["--data-dir", str(raw_dir), "--date", "2024-12-31"]
    assert main(command) == 0
    return out, command


@pytest.mark.realdata
def test_workbook_and_csv_files_hold_the_reports_tables(built):
    out, _ = built
    folder = out / "2024"
    csvs = sorted((folder / "94-csv").iterdir())
    with pd.ExcelFile(folder / "94.xlsx", engine="calamine") as book:
        sheets = book.sheet_names
        contents = pd.read_excel(book, "Sommaire", header=None)
        figures = pd.read_excel(book, "Chiffres clés", header=3)
    assert sheets[0] == "Sommaire" and len(sheets) == len(csvs) + 1 > 5
    assert contents.iloc[0, 0] == "Industrie et apprentissage — Corse — 2024"
    assert contents.iloc[1, 0] == "Édition du 31/12/2024"
    # The key figures' sheet holds the numbers of the JSON, as numbers.
    document = json.loads((folder / "94.json").read_text(encoding="utf-8"))
    expected = {f["id"]: f["value"] for f in document["figures"]}
    sheet = figures.set_index("id")["value"]
    assert sheet["industrial_employment"] == pytest.approx(expected["industrial_employment"])
    # French Excel's CSV: BOM, ";" separators, "," decimals.
    first = csvs[0].read_bytes()
    assert first.startswith(b"\xef\xbb\xbf") and b";" in first.splitlines()[0]
    assert csvs[0].name == "01-chiffres-cles.csv"
    page = (folder / "94.html").read_text(encoding="utf-8")
    assert 'href="94.xlsx"' in page and 'href="94.json"' in page
    assert all(f'href="94-csv/{path.name}"' in page for path in csvs)


@pytest.mark.realdata
def test_the_files_are_part_of_the_incremental_build(built, capsys):
    out, command = built
    folder = out / "2024"
    before = (folder / "94.xlsx").read_bytes()
    entry = index.read_status(out)["2024/94"]
    assert entry["xlsx_sha256"] and entry["csv_sha256"]
    assert main(command) == 0
    assert "0 of 1 report(s) to build; 1 up to date" in capsys.readouterr().out
    # A CSV removed by hand: the report is rebuilt, and the same bytes come back.
    removed = sorted((folder / "94-csv").iterdir())[-1]
    removed.unlink()
    assert main(command) == 0
    assert "1 of 1 report(s) to build" in capsys.readouterr().out
    assert removed.is_file()
    assert (folder / "94.xlsx").read_bytes() == before  # byte-reproducible
    with zipfile.ZipFile(folder / "94.xlsx") as book:
        assert {info.date_time for info in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
