"""Tests of :mod:`analysis.index`: status entries, the index page, its map, the method page.

Notes
-----
Most tests run on a reports folder built by hand in ``tmp_path``: jobs and outcomes are
``SimpleNamespace`` fakes with the attributes :func:`analysis.index.record` reads, status
entries and key-figure files are written directly. One test opens the page in headless
Chromium (``make browser``) to check what the filter script does. The last ones build
the real reports of Corsica and its two départements for 2024 (once, some 20 s, with
their PDF), and check the index and the method page of that folder with axe-core.
"""

from __future__ import annotations

import datetime as dt
import doctest
import itertools
import json
import os
import re
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis import CATALOGUE, _index_rows, browser, method_page, site_map
from analysis._index_rows import data_dates, edition_date
from analysis.blocks import typeset
from analysis.cli import main
from analysis.index import STATUS_FILE, _code_key, _region_key, read_status, record, write_index
from analysis.levels import LEVELS
from analysis.sections.sources import INDUSTRY_METHOD, SHARED_ZONES_METHOD, SIGNS

NNBSP = "\u202f"
NBSP = "\u00a0"
SVG = "{http://www.w3.org/2000/svg}"
REGION_NAMES = {
    "01": "Guadeloupe",
    "11": "Île-de-France",
    "27": "Bourgogne-Franche-Comté",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}


def _job(out: Path, year: int, area: str, name: str, parent: str = ""):
    """A fake Job: a region or FR when ``parent`` is "" (as analysis.build.Job leaves it),
    else a département of ``parent``."""
    if not parent:
        key, level, html = f"{year}/{area}", "region", out / str(year) / f"{area}.html"
        parent_name = ""
    else:
        key, level = f"{year}/departements/{area}", "departement"
        html = out / str(year) / "departements" / f"{area}.html"
        parent_name = REGION_NAMES[parent]
    return SimpleNamespace(
        status_key=key,
        level=level,
        area=area,
        parent=parent,
        parent_name=parent_name,
        html=html,
        json=html.with_suffix(".json"),
        year=year,
        name=name,
    )


def _outcome(job, ok=True, error="", details=None):
    return SimpleNamespace(job=job, ok=ok, seconds=3.21, error=error, details=details or {})


def _publish(job, employment=None, apprenticeship=None) -> None:
    """Write the report's HTML and, when given figures, its key-figures JSON."""
    job.html.parent.mkdir(parents=True, exist_ok=True)
    job.html.write_text("<html></html>", encoding="utf-8")
    if employment is not None:
        figures = [
            {"id": "industrial_employment", "value": employment, "period": "2024",
             "source": "urssaf_ze_a38"},
            {"id": "apprenticeship_contracts", "value": apprenticeship, "period": "2023"},
        ]  # fmt: skip
        job.json.write_text(json.dumps({"figures": figures}), encoding="utf-8")


def _old_entry(year: int, region: str, name: str) -> dict:
    """A status entry as versions before the départements wrote it."""
    return {
        "region": region, "name": name, "year": year, "ok": True, "seconds": 1.0,
        "finished": "2025-03-01T10:20:00", "error": "", "run": "old",
    }  # fmt: skip


def _add_old_entries(out: Path, *entries: dict) -> None:
    status = read_status(out)
    status.update({f"{e['year']}/{e['region']}": e for e in entries})
    (out / STATUS_FILE).write_text(json.dumps(status), encoding="utf-8")


@pytest.fixture
def reports(tmp_path) -> Path:
    """A reports folder: 2024 with regions (some old-style) and départements, 2023 regions.

    Only Corse-du-Sud has key figures; only 2024's regions have a report on the map.
    """
    jobs = [
        _job(tmp_path, 2024, "2B", "Haute-Corse", "94"),
        _job(tmp_path, 2024, "53", "Bretagne"),
        _job(tmp_path, 2024, "21", "Côte-d'Or", "27"),
        _job(tmp_path, 2024, "2A", "Corse-du-Sud", "94"),
        _job(tmp_path, 2024, "FR", "France"),
        _job(tmp_path, 2024, "971", "Guadeloupe", "01"),
        _job(tmp_path, 2024, "01", "Guadeloupe"),
        _job(tmp_path, 2024, "19", "Corrèze", "75"),
        _job(tmp_path, 2024, "93", "Provence-Alpes-Côte d'Azur"),
        _job(tmp_path, 2024, "29", "Finistère", "53"),
        _job(tmp_path, 2024, "22", "Côtes-d'Armor", "53"),
    ]
    record(tmp_path, [_outcome(job) for job in jobs], run="test")
    for job in jobs:
        _publish(job)
    _publish(jobs[3], 18250, 1234)  # Corse-du-Sud has key figures
    _add_old_entries(
        tmp_path,
        _old_entry(2024, "11", "Île-de-France"),
        _old_entry(2023, "11", "Île-de-France"),
        _old_entry(2023, "FR", "France"),
    )
    (tmp_path / "2024" / "11.html").write_text("<html></html>", encoding="utf-8")
    return tmp_path


def _page(out: Path) -> str:
    return write_index(out).read_text(encoding="utf-8")


def _codes(fragment: str) -> list[str]:
    return re.findall(r"<td class='txt'>([0-9AB]{2,3}|FR)</td>", fragment)


class _Outline(HTMLParser):
    """Collect headings, ids, tables' captions and header cells, links, unclosed tags."""

    VOID = frozenset({"meta", "input", "br", "link", "img"})

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tables: list[dict] = []
        self.open: list[str] = []
        self.landmarks: list[str] = []  # header, nav, main, footer, in order
        self.outside: list[str] = []  # elements in <body> outside every landmark
        self._heading: int | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("header", "nav", "main", "footer"):
            self.landmarks.append(tag)
        if self.open[-1:] == ["body"] and tag not in ("header", "main", "footer", "script"):
            self.outside.append(tag)
        if tag not in self.VOID:
            self.open.append(tag)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        if tag == "table":
            self.tables.append({"caption": False, "th": [], "label": attrs.get("aria-label")})
        if tag == "caption":
            self.tables[-1]["caption"] = True
        if tag == "th":
            self.tables[-1]["th"].append(attrs.get("scope"))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self.headings.append((self._heading, ""))

    def handle_data(self, data):
        if self._heading is not None:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (tag, self.open[-5:])
        self.open.pop()
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = None


def _outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    parser.close()
    assert parser.open == []
    return parser


# -- record -------------------------------------------------------------------------------
def test_record_writes_a_departement_under_its_own_key(tmp_path):
    job = _job(tmp_path, 2019, "2A", "Corse-du-Sud", "94")
    status = record(tmp_path, [_outcome(job)], run="r1")
    assert status == json.loads((tmp_path / STATUS_FILE).read_text(encoding="utf-8"))
    assert list(status) == ["2019/departements/2A"]
    entry = status["2019/departements/2A"]
    assert entry["level"] == "departement" and entry["area"] == "2A"
    assert entry["region"] == "94" and entry["region_name"] == "Corse"
    assert entry["name"] == "Corse-du-Sud" and entry["year"] == 2019
    assert entry["path"] == "2019/departements/2A.html"
    assert entry["ok"] is True and entry["error"] == "" and entry["run"] == "r1"
    assert entry["seconds"] == 3.2 and "finished" in entry


@pytest.mark.parametrize(("area", "name"), [("53", "Bretagne"), ("FR", "France")])
@pytest.mark.parametrize("own_parent", [False, True])
def test_record_writes_a_region_or_france_as_before_plus_the_new_fields(
    tmp_path, area, name, own_parent
):
    job = _job(tmp_path, 2019, area, name)
    if own_parent:  # a Job that names the region as its own parent says the same
        job.parent, job.parent_name = area, name
    status = record(str(tmp_path), [_outcome(job)])
    assert list(status) == [f"2019/{area}"]
    entry = status[f"2019/{area}"]
    assert entry["level"] == "region" and entry["area"] == area and entry["region"] == area
    assert entry["region_name"] == name and entry["name"] == name
    assert entry["path"] == f"2019/{area}.html"


def test_record_keeps_a_region_and_its_departement_apart(tmp_path):
    record(tmp_path, [_outcome(_job(tmp_path, 2019, "53", "Bretagne"))])
    record(tmp_path, [_outcome(_job(tmp_path, 2019, "29", "Finistère", "53"))])
    record(tmp_path, [_outcome(_job(tmp_path, 2019, "29", "Finistère", "53"), False, "boom")])
    status = read_status(tmp_path)
    assert sorted(status) == ["2019/53", "2019/departements/29"]
    assert status["2019/departements/29"]["ok"] is False
    assert status["2019/departements/29"]["error"] == "boom"


def test_record_keeps_the_incremental_details_of_good_builds_only(tmp_path):
    details = {"key": "k", "html_sha256": "h", "json_sha256": "j", "kernel": "", "other": 1}
    good = _outcome(_job(tmp_path, 2019, "2B", "Haute-Corse", "94"), details=details)
    bad = _outcome(_job(tmp_path, 2019, "2A", "Corse-du-Sud", "94"), False, "x", details)
    status = record(tmp_path, [good, bad])
    assert {"key": "k", "html_sha256": "h", "json_sha256": "j"}.items() <= status[
        "2019/departements/2B"
    ].items()
    assert "kernel" not in status["2019/departements/2B"]
    assert "other" not in status["2019/departements/2B"]
    assert "key" not in status["2019/departements/2A"]


# -- order and grouping -------------------------------------------------------------------
def test_codes_sort_in_insee_order():
    codes = ["971", "21", "2B", "FR", "19", "01", "976", "2A", "95", "11"]
    assert sorted(codes, key=_code_key) == [
        "FR", "01", "11", "19", "2A", "2B", "21", "95", "971", "976",
    ]  # fmt: skip


def test_regions_sort_as_insee_prints_them_metropolitan_first():
    codes = ["01", "94", "FR", "11", "06", "53", "04", "24", "99"]
    assert sorted(codes, key=_region_key) == ["FR", "11", "24", "53", "94", "01", "04", "06", "99"]


def test_index_lists_regions_then_departements_grouped_by_region(reports):
    page = _page(reports)
    year_2024 = page[page.index('id="annee-2024"') : page.index('id="annee-2023"')]
    regional, departements = year_2024.split('<h3 id="annee-2024-departements">')
    assert "France et régions" in regional
    assert _codes(regional) == ["FR", "11", "53", "93", "01"]  # overseas after metropolitan
    assert _codes(departements) == ["21", "22", "29", "19", "2A", "2B", "971"]
    groups = re.findall(r'<h4 id="annee-2024-departements-(\w+)">([^<]*)</h4>', departements)
    assert groups == [
        ("27", "Bourgogne-Franche-Comté"), ("53", "Bretagne"), ("75", "Nouvelle-Aquitaine"),
        ("94", "Corse"), ("01", "Guadeloupe"),
    ]  # fmt: skip


def test_index_puts_corsica_between_19_and_21_and_overseas_last_within_a_group(tmp_path):
    jobs = [
        _job(tmp_path, 2024, code, f"Département {code}", "94")
        for code in ("971", "21", "2B", "19", "2A", "01")
    ]
    record(tmp_path, [_outcome(job) for job in jobs])
    assert _codes(_page(tmp_path)) == ["01", "19", "2A", "2B", "21", "971"]


def test_index_groups_years_newest_first_with_levels_inside(reports):
    outline = _outline(_page(reports))
    assert [(level, text) for level, text in outline.headings if level <= 3] == [
        (1, "Industrie et apprentissage — rapports territoriaux"),
        (2, "Carte des régions"), (2, "Trouver un rapport"),
        (2, "2024"), (3, "France et régions"), (3, "Départements"),
        (2, "2023"), (3, "France et régions"),
    ]  # fmt: skip
    assert _codes(_page(reports).split('id="annee-2023"')[1]) == ["FR", "11"]


def test_index_reads_old_entries_as_regional_reports(tmp_path):
    _add_old_entries(tmp_path, _old_entry(2022, "53", "Bretagne"))
    (tmp_path / "2022").mkdir()
    (tmp_path / "2022" / "53.html").write_text("<html></html>", encoding="utf-8")
    page = _page(tmp_path)
    assert '<a href="2022/53.html">Bretagne</a>' in page
    assert "France et régions" in page and "Départements" not in page
    assert _codes(page) == ["53"]


# -- rows ---------------------------------------------------------------------------------
def test_index_links_departement_reports_where_their_html_is(reports):
    page = _page(reports)
    assert '<a href="2024/departements/2A.html">Corse-du-Sud</a>' in page
    assert '<a href="2024/departements/971.html">Guadeloupe</a>' in page
    assert '<a href="2024/11.html">Île-de-France</a>' in page  # an old entry
    (reports / "2024" / "departements" / "2B.html").unlink()
    page = _page(reports)
    assert "2024/departements/2B.html" not in page
    assert "<td class='txt'>Haute-Corse</td>" in page


def test_index_shows_a_departement_key_figures_from_its_json(reports):
    page = _page(reports)
    row = re.search(r"<tr[^>]*><td class='txt'><a [^>]*>Corse-du-Sud</a>.*?</tr>", page)[0]
    assert f"<td class='num'>18{NNBSP}250</td>" in row
    assert f"<td class='num'>1{NNBSP}234</td>" in row
    assert (
        f'<ul class="dates"><li>Emploi industriel{NBSP}: 2024 (Urssaf, secteur privé)</li>'
        f"<li>Apprentissage{NBSP}: 2023</li></ul>"
    ) in row
    assert row.count('<span class="ok">à jour</span>') == 1
    # the others have no key figures
    row = re.search(r"<tr[^>]*><td class='txt'><a [^>]*>Haute-Corse</a>.*?</tr>", page)[0]
    assert row.count("<td class='num'>n.d.</td>") == 2 and "<td class='txt'>n.d.</td>" in row


def test_index_marks_a_failed_departement_and_keeps_its_previous_link(reports):
    job = _job(reports, 2024, "29", "Finistère", "53")
    record(reports, [_outcome(job, ok=False, error="KeyError: <x>")])
    page = _page(reports)
    row = re.search(r"<tr[^>]*><td class='txt'><a [^>]*>Finistère</a>.*?</tr>", page)[0]
    assert '<a href="2024/departements/29.html">' in row
    assert "échec de la dernière génération" in row
    assert "<small>KeyError: &lt;x&gt;</small>" in row


# -- filter, contents, accessibility ------------------------------------------------------
def test_index_has_a_labelled_filter_hidden_until_the_script_shows_it(reports):
    page = _page(reports)
    assert '<label for="filtre">' in page
    assert re.search(r'<div role="search" id="filtre-zone" hidden>', page)
    assert '<input type="search" id="filtre"' in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert len(scripts) == 1 and scripts[0][0] == ""  # inline, nothing loaded
    assert 'getElementById("filtre")' in scripts[0][1]
    # what the script compares: name and code, without accents, case or hyphens
    assert '<tr data-filtre="cote d or 21">' in page
    assert '<tr data-filtre="corse du sud 2a">' in page


def test_index_contents_link_to_each_year_and_level(reports):
    outline = _outline(_page(reports))
    assert outline.links[0] == "#contenu" and "contenu" in outline.ids  # the skip link
    contents = [link for link in outline.links[1:] if link.startswith("#")]
    assert contents == [
        "#annee-2024", "#annee-2024-regions", "#annee-2024-departements",
        "#annee-2023", "#annee-2023-regions",
    ]  # fmt: skip
    assert {link[1:] for link in contents} <= set(outline.ids)
    assert len(outline.ids) == len(set(outline.ids))


def test_index_is_accessible(reports):
    page = _page(reports)
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    outline = _outline(page)
    levels = [level for level, _ in outline.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert [text for level, text in outline.headings if level == 4] == [
        "Bourgogne-Franche-Comté", "Bretagne", "Nouvelle-Aquitaine", "Corse", "Guadeloupe",
    ]  # fmt: skip
    assert len(outline.tables) == 7  # 2024: regions + 5 groups; 2023: regions
    for table in outline.tables:
        assert table["caption"] or table["label"]
        assert table["th"] == ["col"] * 8
    assert outline.landmarks == ["header", "nav", "main", "nav", "footer"]  # nav: site, contents
    assert outline.outside == ["a"]  # only the skip link lies outside the landmarks


def test_index_title_and_subtitle(reports):
    page = _page(reports)
    assert "<title>Industrie et apprentissage — rapports territoriaux</title>" in page
    assert "un rapport par région et" in page and "un rapport par département" in page
    assert "(code FR)" in page and "sans connexion" in page


def test_index_loads_nothing_from_the_web(reports):
    page = _page(reports)
    urls = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page, re.IGNORECASE)
    assert urls and all(
        url.startswith("#") or url in ("index.html", "methode.html")
        or re.fullmatch(r"2024/[\w/]+\.(html|json|xlsx|pdf)", url) for url in urls
    ), urls  # fmt: skip
    assert "//" not in "".join(urls)
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", page)


def test_index_without_reports_has_no_filter(tmp_path):
    page = _page(tmp_path)
    assert "Aucun rapport n'a encore été produit." in page
    assert "<script" not in page and 'type="search"' not in page


def _hidden_after_typing(out: Path, text: str) -> tuple[list[str], list[str], list[str]]:
    """Return the codes of the rows, the ids of the sections and the contents links hidden
    after typing ``text`` in the filter box."""
    page = write_index(out)
    typed = out / "typed.html"
    typing = (
        '<script>var box = document.getElementById("filtre");'
        f"box.value = {json.dumps(text)}; box.dispatchEvent(new Event('input'));</script>"
    )
    typed.write_text(page.read_text("utf-8").replace("</body>", typing + "</body>"), "utf-8")
    dom = browser.dump_dom(typed)
    assert re.search(r'<div role="search" id="filtre-zone">', dom)  # shown by the script
    rows = re.findall(r'<tr data-filtre="[^"]* (\w+)" hidden="">', dom)
    hidden_sections = re.findall(r'<section class="groupe" hidden=""><h\d id="([^"]+)"', dom)
    hidden_links = re.findall(r'<(?:li|span) hidden=""><a href="#([^"]+)"', dom)
    return sorted(code.upper() for code in rows), hidden_sections, hidden_links


def test_the_filter_hides_rows_and_empty_groups_in_a_browser(reports):
    rows, sections, links = _hidden_after_typing(reports, "  CÔTE ")
    visible = {"93", "21", "22"}  # Provence-Alpes-Côte d'Azur, Côte-d'Or, Côtes-d'Armor
    assert set(_codes(_page(reports))) - set(rows) == visible
    assert sections == [
        "annee-2024-departements-75", "annee-2024-departements-94",
        "annee-2024-departements-01", "annee-2023", "annee-2023-regions",
    ]  # fmt: skip
    assert links == ["annee-2023", "annee-2023-regions"]
    rows, sections, links = _hidden_after_typing(reports, "2a")
    assert "2A" not in rows and len(rows) == 13
    assert "annee-2024-regions" in sections and "annee-2024-departements" not in sections
    assert links == ["annee-2024-regions", "annee-2023", "annee-2023-regions"]


# -- data dates, edition, files -----------------------------------------------------------
def _fig(figure_id, value, period, source="", flags=()):
    return {"id": figure_id, "value": value, "period": period, "source": source,
            "flags": list(flags)}  # fmt: skip


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        pytest.param(  # a region in 2024 (reports/2024/94.json)
            [_fig("industrial_employment", 7037.0, "2024", "urssaf_ze_a38", ["secret_cells"]),
             _fig("industrial_employment_change_pct", 0.3, "de 2023 à 2024", "urssaf_ze_a38"),
             _fig("apprenticeship_contracts", 2792.0, "année 2023", "ditp_ind313"),
             _fig("apprenticeship_contracts_year_to_date", 361.0, "janvier-avril 2024"),
             _fig("industrial_recruitment_projects", 1090.0, "enquête BMO 2025", "bmo_2025")],
            [("emploi industriel", "2024 (Urssaf, secteur privé)"),
             ("apprentissage", "2023 et janvier-avril 2024"), ("BMO", "2025")],
            id="region-2024",
        ),
        pytest.param(  # a region in 2019: INSEE's provisional quarter, Etalab's year
            [_fig("industrial_employment", 8944.0, "4e trimestre 2019", "insee_ete_a17",
                  ["provisional"]),
             _fig("apprenticeship_contracts", 760.0, "année 2019")],
            [("emploi industriel", "4e trimestre 2019 (Insee, tous salariés, provisoire)"),
             ("apprentissage", "2019")],
            id="region-2019",
        ),
        pytest.param(  # a département in 2024: no industrial employment after 2020
            [_fig("industrial_employment", None, "2024", "insee_ete_a17"),
             _fig("private_employment", 40725.0, "2024", "urssaf_region_series"),
             _fig("apprenticeship_contracts", 1389.0, "2023", "ditp_ind313"),
             _fig("apprenticeship_contracts_year_to_date", 213.0, "janvier-avril 2024"),
             _fig("industrial_recruitment_projects", 602.0, "enquête BMO 2025", "bmo_2025")],
            [("emploi salarié privé", "2024 (Urssaf, tous secteurs)"),
             ("apprentissage", "2023 et janvier-avril 2024"), ("BMO", "2025")],
            id="departement-2024",
        ),
        pytest.param(  # a département in 2019: INSEE's quarter makes URSSAF's total redundant
            [_fig("industrial_employment", 123909.9, "4e trimestre 2019", "insee_ete_a17"),
             _fig("private_employment", 729017.0, "2019", "urssaf_region_series"),
             _fig("apprenticeship_contracts", None, "2019", "ditp_ind313")],
            [("emploi industriel", "4e trimestre 2019 (Insee, tous salariés)")],
            id="departement-2019",
        ),
        pytest.param([], [], id="nothing"),
    ],
)  # fmt: skip
def test_data_dates_come_from_the_key_figures_that_have_a_value(figures, expected):
    assert data_dates({"figures": figures}) == expected


def test_edition_date_is_the_one_the_report_prints_else_the_build_date(tmp_path):
    page = tmp_path / "94.html"
    sources = "<dl class='params'><dt>Rapport produit le</dt><dd>31/12/2024</dd></dl>"
    page.write_text("<html>" + "x" * 200_000 + sources + "</html>", encoding="utf-8")
    assert edition_date(page, "2026-11-23T07:34:47") == dt.date(2024, 12, 31)
    page.write_text("<html></html>", encoding="utf-8")
    assert edition_date(page, "2026-11-23T07:34:47") == dt.date(2026, 11, 23)
    assert edition_date(tmp_path / "missing.html", "") is None


def _accessible_names(fragment: str) -> list[str]:
    """The text of each link of ``fragment``, its visually hidden part included."""
    return [re.sub(r"<[^>]+>", "", inner) for inner in re.findall(r"<a [^>]*>(.*?)</a>", fragment)]


def test_index_links_each_file_of_a_report_with_a_name_of_its_own(reports):
    for suffix in (".pdf", ".xlsx"):
        for area in ("2A", "2B"):
            (reports / "2024" / "departements" / f"{area}{suffix}").write_bytes(b"x")
    page = _page(reports)
    row = re.search(r"<tr[^>]*><td class='txt'><a [^>]*>Corse-du-Sud</a>.*?</tr>", page)[0]
    files = row[row.index("fichiers") :]
    assert re.findall(r'href="([^"]+)"', files) == [
        "2024/departements/2A.html", "2024/departements/2A.pdf",
        "2024/departements/2A.xlsx", "2024/departements/2A.json",
    ]  # fmt: skip
    assert _accessible_names(files) == [
        "Corse-du-Sud (2A) 2024, HTML", "Corse-du-Sud (2A) 2024, PDF",
        "Corse-du-Sud (2A) 2024, Excel", "Corse-du-Sud (2A) 2024, JSON",
    ]  # fmt: skip
    assert '<span class="visually-hidden">Corse-du-Sud (2A) 2024, </span>PDF</a>' in files
    # Haute-Corse has no JSON: no link to it; the files of no two reports share a name,
    # not even the region Guadeloupe's and the département Guadeloupe's.
    every = _accessible_names("".join(re.findall(r"<td class='txt fichiers'>.*?</td>", page)))
    assert "Haute-Corse (2B) 2024, PDF" in every and "Haute-Corse (2B) 2024, JSON" not in every
    assert {"Guadeloupe 2024, HTML", "Guadeloupe (971) 2024, HTML"} <= set(every)
    assert len(every) == len(set(every)) == 4 + 3 + 10  # 2A; 2B; the HTML of 10 others
    assert "Île-de-France 2023, HTML" not in every  # an old entry whose file is not there


def test_index_gives_each_report_its_edition_date(reports):
    params = "<dl><dt>Rapport produit le</dt><dd>31/12/2024</dd></dl>"
    (reports / "2024" / "53.html").write_text(f"<html>{params}</html>", encoding="utf-8")
    page = _page(reports)
    row = re.search(r"<tr[^>]*><td class='txt'><a [^>]*>Bretagne</a>.*?</tr>", page)[0]
    assert "<td class='txt'><time datetime=\"2024-12-31\">31/12/2024</time></td>" in row
    today = dt.date.today()  # the others print none: the date of their build
    row = re.search(r"<tr[^>]*><td class='txt'><a [^>]*>Finistère</a>.*?</tr>", page)[0]
    assert f'<time datetime="{today.isoformat()}">{today:%d/%m/%Y}</time>' in row


def test_index_counts_the_key_figures_that_changed(reports):
    status = read_status(reports)
    status["2024/53"]["changes"] = [{"id": "a"}, {"id": "b"}]
    (reports / STATUS_FILE).write_text(json.dumps(status), encoding="utf-8")
    row = re.search(r"<tr[^>]*><td class='txt'><a [^>]*>Bretagne</a>.*?</tr>", _page(reports))[0]
    assert (
        f'<a href="2024/53.html#ce-qui-change">2{NBSP}chiffres clés modifiés</a> '
        "depuis l'édition précédente"
    ) in row


# -- the map ------------------------------------------------------------------------------
def _map(page: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg .*?</svg>", page, re.S)[0])


@pytest.mark.realdata
def test_the_map_links_each_region_to_its_latest_report(reports, raw_dir):
    (reports / "2023").mkdir()
    (reports / "2023" / "11.html").write_text("<html></html>", encoding="utf-8")
    page = _page(reports)
    svg = _map(page)  # well-formed XML
    assert svg.tag == f"{SVG}svg" and svg.get("viewBox") == "0 0 620 462"
    assert svg.get("aria-label") == svg.find(f"{SVG}title").text == "Carte des régions"
    links = svg.findall(f"{SVG}a")
    assert [(a.get("href"), a.get("aria-label")) for a in links] == [
        ("2024/11.html", "Île-de-France, rapport 2024"),  # not 2023's
        ("2024/53.html", "Bretagne, rapport 2024"),
        ("2024/93.html", "Provence-Alpes-Côte d'Azur, rapport 2024"),
        ("2024/01.html", "Guadeloupe, rapport 2024"),
    ]
    for link in links:
        assert link.find(f"{SVG}title").text == link.get("aria-label")
        assert link.find(f"{SVG}path").get("d").startswith("m")
    # The other 14 regions are drawn grey, hidden from assistive technologies.
    empty = svg.findall(f"{SVG}g")
    assert len(empty) == 14 and all(g.get("aria-hidden") == "true" for g in empty)
    # an overseas inset is a link as a whole: its frame and its name
    guadeloupe = links[-1]
    assert guadeloupe.find(f"{SVG}rect") is not None
    assert guadeloupe.find(f"{SVG}text").text == "Guadeloupe"
    # France is not a region of the map: its overview is linked beside it
    assert 'Vue d\'ensemble\u00a0: <a href="2024/FR.html">France, rapport 2024</a>' in page


@pytest.mark.realdata
def test_the_map_is_small_and_the_outlines_keep_their_borders(raw_dir):
    outlines = site_map.region_outlines()
    assert outlines["region"].tolist() == [
        "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94",
        "01", "02", "03", "04", "06",
    ]  # fmt: skip
    svg = site_map.region_map({code: (f"{code}.html", code) for code in outlines["region"]})
    assert 10_000 < len(svg.encode()) < 40_000
    assert len(ET.fromstring(svg).findall(f"{SVG}a")) == 18
    # Every point lies in the drawing.
    for d in outlines["d"]:
        for ring in re.findall(r"m[^mz]+z", d):
            assert ring.count(" ") + ring.count("-") >= 5  # a ring has 3 points or more
    shapes = site_map.region_outlines()  # read from the cache: the same table
    assert shapes.equals(outlines)


def test_the_index_is_written_without_the_map_when_the_shapes_are_missing(
    reports, tmp_path_factory, monkeypatch
):
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(tmp_path_factory.mktemp("empty")))
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    assert site_map.region_map({"94": ("2024/94.html", "Corse")}) == ""
    page = _page(reports)
    assert "<svg" not in page and "Carte des régions" not in page
    assert '<a href="2024/departements/2A.html">Corse-du-Sud</a>' in page


# -- the method page ----------------------------------------------------------------------
def test_the_method_page_lists_every_source_with_its_licence_and_checksum(reports):
    write_index(reports)
    page = (reports / "methode.html").read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "<title>Méthode et sources — Industrie et apprentissage" in page
    for source in CATALOGUE:
        card = page[page.index(f'<h3 id="source-{source.id}">') :]
        card = card[: card.index("</section>")]
        assert source.sha256 in card and source.path in card
        assert f'<a href="{source.landing_page}">' in card
        assert "<dt>Licence</dt>" in card and source.licence.split(";")[0] in card
        assert f'href="#source-{source.id}"' in page  # from the table of licences
    assert page.count('<section class="source">') == len(CATALOGUE) == 13
    # the catalogue's English notes are marked as English
    assert '<span lang="en">not restated upstream</span>' in page
    assert '<dd lang="en">Simplified outlines: for maps, not for measuring areas.</dd>' in page
    # what each level covers
    for level in LEVELS.values():
        table = page[page.index(f'<h3 id="niveau-{level.name}">') :]
        table = table[: table.index("</table>")]
        assert table.count('<tr><th scope="row">') == len(level.sources)
        for coverage in level.sources:
            assert typeset(coverage.what) in table
    # the method as the reports state it, from their own texts
    for text in (INDUSTRY_METHOD, SHARED_ZONES_METHOD, SIGNS):
        assert f"<p>{typeset(text)}</p>" in page
    outline = _outline(page)
    assert outline.landmarks == ["header", "nav", "main", "nav", "footer"]
    assert outline.outside == ["a"]
    for table in outline.tables:
        assert table["caption"] and set(table["th"]) == {"col", "row"}
    # linked from the index, and back
    assert '<a href="methode.html">Méthode et sources</a>' in _page(reports)
    assert '<a href="methode.html" aria-current="page">Méthode et sources</a>' in page
    assert '<a href="index.html">Rapports</a>' in page


def test_the_method_page_is_rewritten_only_when_the_code_changed(reports):
    target = reports / "methode.html"
    write_index(reports)
    first = target.read_text(encoding="utf-8")
    assert f'<meta name="analysis-code" content="{method_page.code_digest()}">' in first
    target.write_text(first.replace("Méthode", "Méthode (gardée)"), encoding="utf-8")
    write_index(reports)
    assert "Méthode (gardée)" in target.read_text(encoding="utf-8")  # same code: kept
    target.write_text(first.replace(method_page.code_digest(), "0" * 64), encoding="utf-8")
    write_index(reports)
    assert target.read_text(encoding="utf-8") == first  # other code: written again
    assert sorted(p.name for p in reports.iterdir() if p.suffix == ".html") == [
        "index.html", "methode.html",
    ]  # fmt: skip


def test_the_pages_carry_the_shared_navigation(reports):
    index_page = _page(reports)
    outline = _outline(index_page)
    assert outline.landmarks == ["header", "nav", "main", "nav", "footer"]
    assert '<a href="index.html" aria-current="page">Rapports</a>' in index_page
    assert '<main id="contenu" tabindex="-1">' in index_page
    assert index_page.count("<main") == 1


@pytest.mark.realdata
@pytest.mark.parametrize("module", [site_map, _index_rows, method_page])
def test_examples_in_the_docstrings_run(module, raw_dir):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# -- real reports ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory, raw_dir) -> Path:
    """Corsica's regional report and its two départements' for 2024, with PDF and Excel."""
    out = tmp_path_factory.mktemp("reports")
    command = ["build", "--region", "94", "--level", "region", "departement", "--year", "2024"]
    command += ["--out", str(out), "--data-dir", str(raw_dir), "--date", "2024-12-31"]
    assert main(command) == 0
    return out


@pytest.mark.realdata
def test_the_index_of_real_reports_lists_their_dates_and_files(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    assert _codes(page) == ["94", "2A", "2B"]
    for path, name in (("2024/94", "Corse"), ("2024/departements/2A", "Corse-du-Sud")):
        row = re.search(rf"<tr[^>]*><td class='txt'><a [^>]*>{name}</a>.*?</tr>", page)[0]
        assert re.findall(r'class="fichier" href="([^"]+)"', row) == [
            f"{path}.{suffix}" for suffix in ("html", "pdf", "xlsx", "json")
        ]
        assert '<time datetime="2024-12-31">31/12/2024</time>' in row
        assert f"<li>Apprentissage{NBSP}: 2023 et janvier-avril 2024</li>" in row
        assert f"<li>BMO{NBSP}: 2025</li>" in row
    assert f"<li>Emploi industriel{NBSP}: 2024 (Urssaf, secteur privé)</li>" in page
    assert f"<li>Emploi salarié privé{NBSP}: 2024 (Urssaf, tous secteurs)</li>" in page
    svg = _map(page)
    assert [a.get("href") for a in svg.findall(f"{SVG}a")] == ["2024/94.html"]
    assert re.findall(r'<h4 id="annee-2024-departements-(\w+)">([^<]*)</h4>', page) == [
        ("94", "Corse")
    ]


@pytest.mark.realdata
def test_the_index_and_the_method_page_pass_axe_with_no_violation(built):
    from analysis.accessibility import audit

    pages = [built / "index.html", built / "methode.html"]
    assert [str(v) for v in audit(pages)] == []


@pytest.mark.realdata
def test_the_index_of_real_reports_is_quick_to_write(built):
    started = time.perf_counter()
    write_index(built)
    assert time.perf_counter() - started < 5
    assert os.stat(built / "index.html").st_mode & 0o777 == 0o644
