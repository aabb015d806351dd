"""Tests of :mod:`analysis.index`: status entries of regions and départements, the index page.

Notes
-----
Everything runs on a reports folder built by hand in ``tmp_path``: jobs and outcomes are
``SimpleNamespace`` fakes with the attributes :func:`analysis.index.record` reads, status
entries and key-figure files are written directly. One test opens the page in headless
Chromium (``make browser``) to check what the filter script does.
"""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis import browser
from analysis.index import STATUS_FILE, _code_key, read_status, record, write_index

NNBSP = "\u202f"
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
    """A reports folder: 2024 with regions (some old-style) and départements, 2023 regions."""
    jobs = [
        _job(tmp_path, 2024, "2B", "Haute-Corse", "94"),
        _job(tmp_path, 2024, "53", "Bretagne"),
        _job(tmp_path, 2024, "21", "Côte-d'Or", "27"),
        _job(tmp_path, 2024, "2A", "Corse-du-Sud", "94"),
        _job(tmp_path, 2024, "FR", "France"),
        _job(tmp_path, 2024, "971", "Guadeloupe", "01"),
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
        self._heading: int | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
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


def test_index_lists_regions_then_departements_grouped_by_region(reports):
    page = _page(reports)
    year_2024 = page[page.index('id="annee-2024"') : page.index('id="annee-2023"')]
    regional, departements = year_2024.split('<h3 id="annee-2024-departements">')
    assert "France et régions" in regional
    assert _codes(regional) == ["FR", "11", "53", "93"]
    assert _codes(departements) == ["971", "21", "22", "29", "19", "2A", "2B"]
    groups = re.findall(r'<h4 id="annee-2024-departements-(\w+)">([^<]*)</h4>', departements)
    assert groups == [
        ("01", "Guadeloupe"), ("27", "Bourgogne-Franche-Comté"), ("53", "Bretagne"),
        ("75", "Nouvelle-Aquitaine"), ("94", "Corse"),
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
    assert "<td class='txt'>2024, secteur privé (Urssaf)</td>" in row
    assert f"<td class='num'>1{NNBSP}234</td>" in row
    assert "<td class='txt'>2023</td>" in row
    assert row.count('<span class="ok">à jour</span>') == 1


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
    contents = [link for link in outline.links if link.startswith("#")]
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
        "Guadeloupe", "Bourgogne-Franche-Comté", "Bretagne", "Nouvelle-Aquitaine", "Corse",
    ]  # fmt: skip
    assert len(outline.tables) == 7  # 2024: regions + 5 groups; 2023: regions
    for table in outline.tables:
        assert table["caption"] or table["label"]
        assert table["th"] == ["col"] * 9


def test_index_title_and_subtitle(reports):
    page = _page(reports)
    assert "<title>Industrie et apprentissage — rapports territoriaux</title>" in page
    assert "un rapport par région et" in page and "un rapport par département" in page
    assert "(code FR)" in page and "sans connexion" in page


def test_index_loads_nothing_from_the_web(reports):
    page = _page(reports)
    urls = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page, re.IGNORECASE)
    assert urls and all(url.startswith("#") or re.fullmatch(r"2024/[\w/]+\.(html|json|xlsx)", url)
                        for url in urls), urls  # fmt: skip
    assert "//" not in "".join(urls)


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
        "annee-2024-departements-01", "annee-2024-departements-75",
        "annee-2024-departements-94", "annee-2023", "annee-2023-regions",
    ]  # fmt: skip
    assert links == ["annee-2023", "annee-2023-regions"]
    rows, sections, links = _hidden_after_typing(reports, "2a")
    assert "2A" not in rows and len(rows) == 12
    assert "annee-2024-regions" in sections and "annee-2024-departements" not in sections
    assert links == ["annee-2024-regions", "annee-2023", "annee-2023-regions"]
