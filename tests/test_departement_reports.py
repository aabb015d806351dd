"""End to end: département reports and the regional *Territoires* section, on the real data.

One build (module fixture) runs, for 2019, the reports of the Nord (59), the Gers (32,
whose code is also the Hauts-de-France's), Mayotte (976, which INSEE does not cover) and
then the Hauts-de-France's regional report, through :func:`analysis.build.plan` with both
levels, as ``make reports LEVEL=departement`` does. The tests read what a reader gets.
"""

from __future__ import annotations

import json
import re

import pytest

from analysis import build as batch
from analysis import index
from analysis.cli import main
from analysis.errors import ParameterError

pytestmark = pytest.mark.realdata

NNBSP = "\u202f"


@pytest.fixture(scope="module")
def built(tmp_path_factory, raw_dir):
    out = tmp_path_factory.mktemp("reports")
    jobs = batch.plan(
        ["32"], [2019], out=out, levels=["departement", "region"], areas=["59", "32", "976"]
    )
    outcomes = batch.build(jobs, workers=2)
    index.write_index(out)
    return out, jobs, outcomes


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


def test_plan_orders_departements_first_and_links_them(built):
    _, jobs, outcomes = built
    assert [(j.level, j.area) for j in jobs] == [
        ("departement", "59"),
        ("departement", "32"),
        ("departement", "976"),
        ("region", "32"),
    ]
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    hdf = jobs[3]
    assert hdf.links == ("59",)  # the Gers is in Occitanie, Mayotte in Mayotte
    assert jobs[0].links == ("region",) and jobs[0].parent == "32"
    assert jobs[1].links == ()  # the Occitanie report is neither built nor on disk


def test_departement_report_paths_and_json(built):
    out, _, _ = built
    folder = out / "2019" / "departements"
    assert {p.name for p in folder.glob("*.html")} == {"59.html", "32.html", "976.html"}
    doc = json.loads(_text(folder / "59.json"))
    assert (doc["level"], doc["code"], doc["region"], doc["name"]) == (
        "departement",
        "59",
        "32",
        "Nord",
    )
    figures = {f["id"]: f for f in doc["figures"]}
    assert round(figures["industrial_employment"]["value"]) == 123_910
    gers = json.loads(_text(folder / "32.json"))
    assert gers["name"] == "Gers" and gers["region"] == "76"


def test_departement_report_reads_in_french(built):
    out, _, _ = built
    html = _text(out / "2019" / "departements" / "59.html")
    assert "Industrie et apprentissage — Nord (59) — 2019" in html
    assert "dans le Nord" in html
    assert f"123{NNBSP}910" in html
    assert "4e trimestre 2019" in html
    assert "qu'à partir de 2022" in html  # apprenticeship by département: DITP from 2022
    assert 'href="../32.html"' in html  # back to the region's report, built alongside
    assert "<script src=" not in html and "http://" not in re.sub(r"<a [^>]*>", "", html)


def test_mayotte_says_what_its_sources_lack(built):
    out, _, _ = built
    html = _text(out / "2019" / "departements" / "976.html")
    assert "à Mayotte" in html
    assert "Les estimations d'emploi de l'Insee ne couvrent pas Mayotte" in html
    assert "La série de l'Urssaf par département ne couvre pas Mayotte" in html
    assert "Mayotte forme à elle seule une région d'outre-mer" in html


def test_regional_report_links_to_its_departements(built):
    out, _, _ = built
    html = _text(out / "2019" / "32.html")
    assert "Territoires" in html
    links = set(re.findall(r'href="(departements/[^"]+)"', html))
    assert links == {"departements/59.html"}
    for link in links:
        assert (out / "2019" / link).is_file()


def test_index_lists_departements_under_their_region(built):
    out, _, _ = built
    html = _text(out / "index.html")
    assert 'href="2019/departements/59.html"' in html
    assert html.index('href="2019/32.html"') < html.index('href="2019/departements/59.html"')


def test_status_keys_keep_levels_apart(built):
    out, _, _ = built
    status = index.read_status(out)
    assert "2019/32" in status and "2019/departements/32" in status
    assert status["2019/departements/32"]["name"] == "Gers"


def test_second_build_is_up_to_date(built):
    out, _, _ = built
    jobs = batch.plan(
        ["32"], [2019], out=out, levels=["departement", "region"], areas=["59", "32", "976"]
    )
    assert all(batch.up_to_date(jobs))


def test_unknown_departement_is_refused_before_any_kernel(tmp_path, capsys):
    code = main(["build", "--level", "departement", "--area", "20", "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "Unknown département `20`" in err and "2A" in err
    assert not any(tmp_path.iterdir())


def test_unknown_level_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="Unknown report level `commune`"):
        batch.plan(None, [2019], out=tmp_path, levels=["commune"])


def test_departement_reports_pass_axe_and_are_printed(built):
    from analysis.accessibility import audit

    _, jobs, outcomes = built
    assert {o.details.get("pdf") for o in outcomes} == {"printed"}
    assert [str(v) for v in audit([job.html for job in jobs])] == []
