"""End to end on the real data: notebooks -> papermill -> nbconvert -> HTML, JSON, index.

One build (module fixture) runs the region notebook for Île-de-France and La Réunion in
2024 and for Île-de-France in 2021 (a year without industrial employment data), and the
France overview for 2024, on two processes, exactly as ``python -m analysis build`` does.
The tests then read what a reader gets: the HTML text, and the key-figure JSON checked
against values computed here from the loaders, by another path than the report's.
"""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import pandas as pd
import pytest

from analysis import (
    METROPOLITAN_REGIONS,
    browser,
    index,
    read_apprenticeship_observations,
    read_urssaf_employment,
    read_urssaf_region_series,
)
from analysis import build as batch
from analysis.cli import main

pytestmark = pytest.mark.realdata

NNBSP = "\u202f"
NBSP = "\u00a0"
JOBS = [("11", 2024), ("04", 2024), ("FR", 2024), ("11", 2021)]


@pytest.fixture(scope="module")
def built(tmp_path_factory, raw_dir):
    out = tmp_path_factory.mktemp("reports")
    jobs = []
    for region, year in JOBS:
        jobs += batch.plan([region], [year], out=out)
    outcomes = batch.build(jobs, workers=2)
    index.record(out, outcomes)
    index.write_index(out)
    return out, outcomes


def _html(out, year, code) -> str:
    return (out / str(year) / f"{code}.html").read_text(encoding="utf-8")


def _figures(out, year, code) -> dict:
    doc = json.loads((out / str(year) / f"{code}.json").read_text(encoding="utf-8"))
    return {f["id"]: f for f in doc["figures"]} | {"_doc": doc}


def test_every_report_builds(built):
    _, outcomes = built
    assert [(o.job.region, o.job.year, o.ok, o.error) for o in outcomes] == [
        (region, year, True, "") for region, year in JOBS
    ]


@pytest.mark.parametrize(
    ("code", "year", "name"),
    [
        ("11", 2024, "Île-de-France"),
        ("04", 2024, "La Réunion"),
        ("FR", 2024, "France"),
        ("11", 2021, "Île-de-France"),
    ],
)
def test_html_is_french_titled_and_self_contained(built, code, year, name):
    out, _ = built
    page = _html(out, year, code)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in page
    assert f"<title>Industrie et apprentissage — {name} — {year}</title>" in page
    assert (out / str(year) / f"{code}.html").stat().st_size < 2_000_000
    # Nothing is fetched from another host: no remote script, image, link or CSS url().
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", page)
    assert not re.search(r"""url\(\s*["']?(https?:)?//""", page)
    assert "<script src" not in page
    assert "cdnjs" not in page and "unpkg" not in page and "MathJax.js" not in page
    # Code is hidden; the table of contents lists the sections.
    assert "from analysis.sections import" not in page
    assert "report.summary()" not in page
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    assert toc.count("<li>") >= 8
    assert "Sources et méthode" in toc
    assert page.count("data:image/png;base64,") >= 4


def test_region_report_shows_french_figures(built):
    out, _ = built
    page = _html(out, 2024, "11")
    figures = _figures(out, 2024, "11")
    level = int(figures["industrial_employment"]["value"])
    assert f"{level:,}".replace(",", NNBSP) in page  # 437 510 with a narrow no-break space
    share = figures["industry_share_pct"]["value"]
    assert f"{share:.1f}".replace(".", ",") + f"{NBSP}%" in page
    change = figures["industrial_employment_change_pct"]["value"]
    assert f"{change:+.1f}".replace(".", ",") + f"{NBSP}%" in page
    assert "en Île-de-France" in page
    assert "2<sup>e</sup> sur 13" in page
    # Insee Flash conventions: three findings first, numbered figures, quiet anchors.
    findings = page[page.index('<ol class="findings">') :]
    assert findings[: findings.index("</ol>")].count("<li><strong>") == 3
    numbers = [int(n) for n in re.findall(r'class="figure-number">Figure (\d+)\. ', page)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 8
    assert 'class="anchor-link" aria-hidden="true"' in page
    for section in (
        "En bref",
        "Emploi industriel",
        "Branches industrielles",
        "Décomposition de l&#39;évolution",
        "Apprentissage",
        "Besoins de recrutement",
        "La région parmi les régions",
    ):
        assert section in page or section.replace("&#39;", "'") in page


def test_overseas_report_says_what_is_missing(built):
    out, _ = built
    page = _html(out, 2024, "04")
    assert "à La Réunion" in page
    assert "Mayotte" in page and "n.d." in page
    # The INSEE quarterly file covers La Réunion from 2010T4, URSSAF has it too.
    assert "Emploi salarié industriel à La Réunion et en France" in page


def test_year_without_employment_data_says_so_in_place(built):
    out, _ = built
    page = _html(out, 2021, "11")
    figures = _figures(out, 2021, "11")
    assert "Données non disponibles pour 2021" in page
    assert "Dernière donnée disponible avant 2021\u00a0: 1<sup>er</sup> trimestre 2020" in page
    # An edition shows no later data: branches fall back on 2019, not on 2022.
    assert "Branches industrielles en Île-de-France en 2019" in page
    assert "Décomposition non disponible pour 2021" in page
    assert "année 2023" not in page and "janvier-avril 2024" not in page
    assert figures["industrial_employment"]["value"] is None
    assert figures["apprenticeship_contracts"]["value"] == 167_623  # Etalab, année 2021


def _urssaf_industry(year: int) -> pd.Series:
    zones = read_urssaf_employment(level="zone")
    rows = zones[(zones["year"] == year) & (zones["a5"] == "BE")]
    return rows.groupby("region")["employment"].sum()


def test_key_figures_match_the_loaders(built):
    out, _ = built
    figures = _figures(out, 2024, "11")
    assert figures["_doc"]["region"] == "11"
    assert figures["_doc"]["name"] == "Île-de-France"
    assert figures["_doc"]["year"] == 2024
    now = _urssaf_industry(2024)
    totals = read_urssaf_region_series().query("year == 2024").set_index("region")["employment"]
    assert figures["industrial_employment"]["value"] == now["11"] == 437_510
    assert figures["industrial_employment"]["period"] == "2024"
    assert figures["industrial_employment"]["source"] == "urssaf_ze_a38"
    # The change is like for like: on the zone x A38 cells known in both years (IdF has
    # no shared zone, so its zones' cells are the whole computation).
    zones = read_urssaf_employment(level="zone")
    cells = zones[(zones["region"] == "11") & (zones["a5"] == "BE")]
    wide = cells.pivot_table(index=["zone", "a38"], columns="year", values="employment")
    common = wide[[2023, 2024]].dropna()
    assert len(common) < len(wide[2024].dropna())  # some cells differ: the test bites
    assert figures["industrial_employment_change_pct"]["value"] == pytest.approx(
        (common[2024].sum() / common[2023].sum() - 1) * 100
    )
    assert figures["industry_share_pct"]["value"] == pytest.approx(now["11"] / totals["11"] * 100)
    metro = now[list(METROPOLITAN_REGIONS)].sort_values(ascending=False)
    assert figures["industrial_employment_rank"]["value"] == list(metro.index).index("11") + 1
    obs = read_apprenticeship_observations()
    ditp = obs[(obs["source"] == "ditp") & (obs["region"] == "11")].set_index("period_end")
    december = {y: ditp.loc[pd.Timestamp(f"{y}-12-31"), "contracts"] for y in (2022, 2023)}
    april_2024 = ditp.loc[pd.Timestamp("2024-04-30"), "contracts"]
    april_2023 = ditp.loc[pd.Timestamp("2023-04-30"), "contracts"]
    # The 2024 edition heads with 2023, the last complete year; January-April comes apart.
    assert figures["apprenticeship_contracts"]["value"] == december[2023]
    assert figures["apprenticeship_contracts"]["period"] == "année 2023"
    assert figures["apprenticeship_contracts_change_pct"]["value"] == pytest.approx(
        (december[2023] / december[2022] - 1) * 100
    )
    assert figures["apprenticeship_contracts_year_to_date"]["value"] == april_2024
    assert figures["apprenticeship_contracts_year_to_date"]["period"] == "janvier-avril 2024"
    assert figures["apprenticeship_contracts_year_to_date"]["flags"] == ["partial_year"]
    assert figures["apprenticeship_contracts_year_to_date_change_pct"]["value"] == pytest.approx(
        (april_2024 / april_2023 - 1) * 100
    )
    keys = {"id", "label", "value", "unit", "period", "source", "field", "flags", "note"}
    for figure in (f for k, f in figures.items() if k != "_doc"):
        assert set(figure) == keys
        assert figure["value"] is None or isinstance(figure["value"], int | float)
    assert "salariés du privé" in figures["industrial_employment"]["label"]


def test_france_key_figures_match_published_totals(built):
    out, _ = built
    figures = _figures(out, 2024, "FR")
    # SOURCES.md (URSSAF open data, 2024): industry 3.18 M of 19.995 M private employees.
    assert figures["industrial_employment"]["value"] == 3_179_726
    assert figures["industry_share_pct"]["value"] == pytest.approx(3_179_726 / 19_995_376 * 100)
    assert figures["industrial_employment_rank"]["value"] is None
    # DITP IND-313, France: 852 235 contracts in 2023 (December), 833 406 in 2022.
    assert figures["apprenticeship_contracts"]["value"] == 852_235
    assert figures["apprenticeship_contracts_change_pct"]["value"] == pytest.approx(
        (852_235 / 833_406 - 1) * 100
    )
    # DITP IND-313, France, January-April: 71 605 in 2024 against 62 589 in 2023.
    assert figures["apprenticeship_contracts_year_to_date"]["value"] == 71_605
    assert figures["apprenticeship_contracts_year_to_date_change_pct"]["value"] == pytest.approx(
        (71_605 / 62_589 - 1) * 100
    )


def test_overseas_rank_is_among_regions_with_data(built):
    out, _ = built
    figures = _figures(out, 2024, "04")
    now = _urssaf_industry(2024).drop("FR", errors="ignore").sort_values(ascending=False)
    assert len(now) == 17  # no Mayotte in the URSSAF file
    assert figures["industrial_employment_rank"]["value"] == list(now.index).index("04") + 1
    assert "17 régions" in figures["industrial_employment_rank"]["label"]


def test_index_links_every_report_by_year(built):
    out, _ = built
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page
    assert page.index(">2024</h2>") < page.index(">2021</h2>")
    for region, year in JOBS:
        assert f'href="{year}/{region}.html"' in page
    assert "à jour" in page
    assert f"437{NNBSP}510" in page


def test_failed_report_keeps_previous_html_and_its_notebook(tmp_path, raw_dir):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(batch.find_notebooks(), notebooks)
    nb = nbformat.read(notebooks / "region_report.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('boom in a cell')"))
    nbformat.write(nb, notebooks / "region_report.ipynb")
    out = tmp_path / "reports"
    (out / "2024").mkdir(parents=True)
    (out / "2024" / "11.html").write_text("previous good report", encoding="utf-8")
    jobs = batch.plan(["11"], [2024], out=out, notebooks=notebooks)
    [outcome] = batch.build(jobs, workers=1)
    assert not outcome.ok
    assert "RuntimeError: boom in a cell" in outcome.error
    assert (out / "2024" / "11.html").read_text(encoding="utf-8") == "previous good report"
    failed = nbformat.read(out / "2024" / "11.failed.ipynb", as_version=4)
    errors = [
        o
        for c in failed.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.output_type == "error"
    ]
    assert errors and errors[0]["evalue"] == "boom in a cell"
    assert not (out / "2024" / "11.json").exists()
    assert sorted(p.name for p in (out / "2024").iterdir()) == ["11.failed.ipynb", "11.html"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["build", "--region", "99"],
            ["Unknown region `99`", "11 (Île-de-France)", "04 (La Réunion)"],
        ),
        (["build", "--year", "2031"], ["No data for year `2031`", "2010", "2024"]),
        (["build", "--region", "11", "--year", "nineteen"], ["No data for year `nineteen`"]),
    ],
)
def test_bad_parameters_exit_2_before_any_kernel(argv, expected, capsys, tmp_path, raw_dir):
    assert main([*argv, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    for text in expected:
        assert text in err
    assert list(tmp_path.iterdir()) == []


def test_report_renders_in_headless_chromium(built, tmp_path):
    out, _ = built
    page = out / "2024" / "11.html"
    dom = browser.dump_dom(page)
    assert "Industrie et apprentissage — Île-de-France — 2024" in dom
    assert 'class="cards"' in dom
    shot = browser.screenshot(page, tmp_path / "shot.png", height=2000)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # a blank page is a few kB


# -- PDF and accessibility ----------------------------------------------------------------
def _pdf(out, year, code):
    from pypdf import PdfReader

    return PdfReader(out / str(year) / f"{code}.pdf")


def test_every_report_is_printed_to_an_a4_pdf(built):
    out, outcomes = built
    assert [o.details.get("pdf") for o in outcomes] == ["printed"] * len(JOBS)
    for region, year in JOBS:
        path = out / str(year) / f"{region}.pdf"
        assert 100_000 < path.stat().st_size < 3_000_000, path
        reader = _pdf(out, year, region)
        assert len(reader.pages) >= 5
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (round(width), round(height)) == (595, 842)  # A4 in points
        # The HTML links to it.
        assert f'<a href="{region}.pdf">le rapport en PDF' in _html(out, year, region)


def test_pdf_has_page_numbers_title_toc_links_and_embedded_fonts(built):
    out, _ = built
    reader = _pdf(out, 2024, "11")
    pages = len(reader.pages)
    first = reader.pages[0].extract_text()
    assert "Industrie et apprentissage — Île-de-France — 2024" in first
    assert f"page 1 / {pages}" in first
    assert f"page {pages} / {pages}" in reader.pages[-1].extract_text()
    assert "Sommaire" in first
    # The table of contents' entries are links to pages of the same file.
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and "/Dest" in a]
    assert len(internal) >= 9

    # The outline (bookmarks) follows the headings.
    def flat(items):
        for item in items:
            yield from flat(item) if isinstance(item, list) else [item.title]

    titles = list(flat(reader.outline))
    assert "Emploi industriel" in titles and "Sources et méthode" in titles

    # For paper, the table of contents gives each section's page: the page the outline
    # (and the section's heading) is on.
    def pages(items):
        for item in items:
            if isinstance(item, list):
                yield from pages(item)
            else:
                yield item.title, reader.get_destination_page_number(item) + 1

    outline = dict(pages(reader.outline))
    laid_out = reader.pages[0].extract_text(extraction_mode="layout")
    toc = laid_out[laid_out.index("Sommaire") :].splitlines()
    for section in ("Emploi industriel", "Apprentissage", "Sources et méthode"):
        [line] = [line for line in toc if section in line]
        assert line.split()[-1] == str(outline[section]), line
    assert outline["Sources et méthode"] > outline["Emploi industriel"] > 1
    # Every font is embedded (a subset of it).
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_pdf_is_byte_reproducible_and_dated_by_the_edition(built, tmp_path):
    from analysis.config import edition_date
    from analysis.printing import print_reports

    out, _ = built
    html = out / "2024" / "04.html"
    again = tmp_path / "04.pdf"
    [result] = print_reports([(html, again)], date=edition_date())
    assert result.ok
    assert again.read_bytes() == (out / "2024" / "04.pdf").read_bytes()
    assert f"D:{edition_date():%Y%m%d}000000".encode() in again.read_bytes()


def test_a_missing_pdf_is_printed_again_without_rebuilding_the_report(built):
    out, _ = built
    (out / "2024" / "04.pdf").unlink()
    jobs = batch.plan(["04"], [2024], out=out)
    [outcome] = batch.build(jobs, workers=1)
    assert (outcome.state, outcome.details["pdf"]) == ("up to date", "printed")
    [again] = batch.build(jobs, workers=1)
    assert (again.state, again.details["pdf"]) == ("up to date", "up to date")


def test_reports_pass_axe_with_no_violation(built):
    from analysis.accessibility import audit

    out, _ = built
    pages = [out / str(year) / f"{code}.html" for code, year in JOBS]
    assert [str(v) for v in audit(pages)] == []
