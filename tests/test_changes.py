"""What changed between two editions: key figures compared, shown in the report and index."""

from __future__ import annotations

import json

import pytest

from analysis import changes, export, index
from analysis.cli import main

FIGURE = {
    "id": "industrial_employment",
    "label": "Emploi salarié dans l'industrie",
    "value": 286639.47,
    "unit": "salariés",
    "period": "4e trimestre 2019",
    "source": "insee_ete_a17",
    "field": "ensemble des salariés, public et privé",
    "flags": ["provisional"],
    "note": "",
}


def _doc(*figures) -> dict:
    return {"figures": list(figures)}


def test_same_figures_no_change():
    assert changes.compare(_doc(FIGURE), _doc(dict(FIGURE, value=286639.47 * (1 + 1e-12)))) == []


def test_no_earlier_edition_no_change():
    assert changes.compare(None, _doc(FIGURE)) == []


@pytest.mark.parametrize(
    ("edit", "kind", "aspects"),
    [
        ({"value": 290000.0}, "revised", ("revised",)),
        ({"value": 290000.0, "period": "1er trimestre 2020"}, "period", ("period",)),
        ({"source": "urssaf_a38", "field": "salariés du privé"}, "source", ("source", "field")),
        ({"flags": []}, "flags", ("flags",)),
        ({"value": 1.0, "flags": []}, "revised", ("revised", "flags")),
    ],
)
def test_each_kind_of_change(edit, kind, aspects):
    (found,) = changes.compare(_doc(FIGURE), _doc(dict(FIGURE, **edit)))
    assert (found.kind, found.aspects) == (kind, aspects)
    assert found.old == FIGURE and found.new == dict(FIGURE, **edit)


def test_added_and_removed_figures():
    other = dict(FIGURE, id="private_employment", label="Emploi salarié privé")
    found = changes.compare(_doc(FIGURE), _doc(other))
    assert [(c.id, c.kind) for c in found] == [
        ("private_employment", "added"),
        ("industrial_employment", "removed"),
    ]


def test_changes_box_in_french():
    found = changes.compare(_doc(FIGURE), _doc(dict(FIGURE, value=290123.0, flags=[])))
    box = export.changes_html(found, previous="23/11/2026")
    assert "Ce qui change depuis l'édition précédente" in box
    assert "23/11/2026" in box
    assert "286\u202f639 salariés (provisoire)" in box
    assert "290\u202f123 salariés" in box
    assert "révisé, statut changé" in box
    assert export.changes_html([], previous="23/11/2026") == ""


def test_changes_box_goes_before_the_table_of_contents():
    page = '<body><h1>T</h1><nav class="toc">S</nav><div class="jp-Cell x"><h2 id="a">A</h2>'
    result = export.add_changes(page, "<section>B</section>")
    assert result.index("<h1>") < result.index("<section>") < result.index("<nav")
    assert export.add_changes(page, "") == page


def _write(folder, key, document):
    path = folder / f"{key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


def test_diff_command(tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    _write(old, "2024/32", _doc(FIGURE))
    _write(new, "2024/32", _doc(dict(FIGURE, value=290000.0)))
    _write(new, "2024/departements/59", _doc(FIGURE))
    (new / "status.json").write_text("{}", encoding="utf-8")  # not a report
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "1 key figure(s) differ in 1 report(s); 1 new report(s), 0 no longer there" in out
    assert "industrial_employment (revised): 286,639.5 -> 290,000, 4e trimestre 2019" in out
    assert "New reports: 2024/departements/59" in out
    assert main(["diff", str(old), str(old)]) == 0
    assert "No key figure differs" in capsys.readouterr().out


def test_diff_refuses_a_missing_folder(tmp_path, capsys):
    assert main(["diff", str(tmp_path), str(tmp_path / "none")]) == 2
    assert "is not a folder" in capsys.readouterr().err


@pytest.mark.realdata
def test_a_new_vintage_shows_what_changed(tmp_path, raw_dir, capsys):
    """A rebuild over an earlier edition says which key figures moved, in report and index."""
    out = tmp_path / "reports"
    command = ["build", "--region", "94", "--year", "2024", "--out", str(out)]
    command += ["--data-dir", str(raw_dir), "--date", "2024-12-31"]
    assert main(command) == 0
    first = (out / "2024" / "94.html").read_bytes()
    assert b"ce-qui-change" not in first

    # The edition on disk as an earlier vintage would have left it: another value.
    path = out / "2024" / "94.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    figure = next(f for f in document["figures"] if f["id"] == "apprenticeship_contracts")
    published = figure["value"]
    figure["value"] = published - 100
    path.write_text(json.dumps(document), encoding="utf-8")

    assert main(command) == 0  # the JSON no longer matches its build: rebuilt
    page = (out / "2024" / "94.html").read_text(encoding="utf-8")
    assert "Ce qui change depuis l'édition précédente" in page
    box = page[page.index('id="ce-qui-change"') :]
    box = box[: box.index("</section>")]
    assert "Nouveaux contrats d’apprentissage" in box or "apprentissage" in box
    assert "révisé" in box
    entry = index.read_status(out)["2024/94"]
    assert [(c["id"], c["kind"]) for c in entry["changes"]] == [
        ("apprenticeship_contracts", "revised")
    ]
    assert entry["changes"][0]["old"]["value"] == published - 100
    assert "94.html#ce-qui-change" in (out / "index.html").read_text(encoding="utf-8")

    # Rebuilt on the same data: nothing changed, no box, the very bytes of the first build.
    assert main([*command, "--force"]) == 0
    assert (out / "2024" / "94.html").read_bytes() == first
    assert "changes" not in index.read_status(out)["2024/94"]
    capsys.readouterr()
