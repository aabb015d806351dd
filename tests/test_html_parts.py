"""Tests of the HTML parts of the reports: blocks, table of contents, atomic writes, index.

Notes
-----
The modules under test are :mod:`analysis.blocks`, :func:`analysis.export.add_table_of_contents`,
:mod:`analysis._files` and :mod:`analysis.index`. Everything runs on hand-built inputs in
``tmp_path``: no notebook is executed and no data file is read (the end-to-end test covers
:func:`analysis.export.notebook_to_html`).

The HTML strings given to :func:`~analysis.export.add_table_of_contents` copy the shape of
nbconvert's ``lab`` template: a cell ``<div class="jp-Cell jp-MarkdownCell ...">`` holds a
``<div class="jp-Cell-inputWrapper">``, itself holding the rendered markdown.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pandas as pd
import pytest

from analysis._files import atomic_write, atomic_write_text
from analysis.blocks import Block, Card, Column, cards, concat, note, paragraph, table, typeset
from analysis.build import Job, Outcome
from analysis.export import add_table_of_contents
from analysis.index import STATUS_FILE, record, write_index

NNBSP = "\u202f"


# --------------------------------------------------------------------------- blocks


def _regions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Bretagne", "Provence-Alpes-Côte d'Azur", "A < B & C"],
            "value": [1200, 3400, 5600],
        }
    )


def _columns() -> list[Column]:
    return [
        Column("name", "Région", numeric=False),
        Column("value", "Emploi", lambda v: f"{v:,}"),
    ]


def test_block_repr_html_is_its_html():
    assert Block("<p>x</p>")._repr_html_() == "<p>x</p>"


def test_block_repr_is_short_and_hides_the_html():
    block = Block("<p>" + "secret " * 1000 + "</p>")
    assert "secret" not in repr(block)
    assert "<p>" not in repr(block)
    assert len(repr(block)) < 80


def test_blocks_add_up():
    assert (Block("<p>a</p>") + Block("<p>b</p>")).html == "<p>a</p><p>b</p>"


def test_concat_skips_none_and_calls_to_html():
    class Chart:
        def to_html(self) -> str:
            return "<img>"

    joined = concat([Block("<p>a</p>"), None, Chart(), Block("<p>b</p>")])
    assert joined == Block("<p>a</p><img><p>b</p>")


def test_paragraph_escapes_its_text():
    assert paragraph("Rhône & <Alpes>").html == "<p>Rhône &amp; &lt;Alpes&gt;</p>"


def test_paragraph_class():
    assert paragraph("x", css_class="lead").html == '<p class="lead">x</p>'


def test_note_kinds_and_escaping():
    assert note("a < b").html == '<p class="note">a &lt; b</p>'
    assert note("n.d.", kind="missing").html == '<p class="missing">n.d.</p>'


def test_table_escapes_cells_header_caption_and_footer():
    html = table(
        _regions(),
        [Column("name", 'Nom "<court>"', numeric=False)],
        caption="Emploi < 2024 & après",
        footer="Source : Insee & <Urssaf>",
    ).html
    assert '<td class="txt">A &lt; B &amp; C</td>' in html
    assert "Provence-Alpes-Côte d&#x27;Azur" in html
    assert "Nom &quot;&lt;court&gt;&quot;" in html
    assert "<caption>Emploi &lt; 2024 &amp; après</caption>" in html
    assert '<p class="table-note">Source\u00a0: Insee &amp; &lt;Urssaf&gt;</p>' in html
    assert "<court>" not in html and "<Urssaf>" not in html


def test_table_numeric_columns_have_class_num():
    html = table(_regions(), _columns()).html
    assert '<th scope="col" class="txt">Région</th>' in html
    assert '<th scope="col" class="num">Emploi</th>' in html
    assert '<td class="num">3,400</td>' in html
    assert '<td class="txt">Bretagne</td>' in html


def test_table_rows_in_frame_order_with_formatter_applied():
    html = table(_regions(), _columns()).html
    assert re.findall(r'<td class="num">([^<]*)</td>', html) == ["1,200", "3,400", "5,600"]


def test_table_highlights_only_the_matching_row():
    html = table(_regions(), _columns(), highlight=lambda row: row["name"] == "Bretagne").html
    assert html.count('<tr class="highlight">') == 1
    assert '<tr class="highlight"><td class="txt">Bretagne</td>' in html
    assert html.count("<tr>") == 1 + 2  # header row + the two other rows


def test_table_links_only_the_cells_its_column_gives_an_address():
    column = Column(
        "name",
        "Région",
        numeric=False,
        link=lambda row: "bretagne.html?a=1&b=2" if row["name"] == "Bretagne" else None,
    )
    html = table(_regions(), [column]).html
    assert '<td class="txt"><a href="bretagne.html?a=1&amp;b=2">Bretagne</a></td>' in html
    assert html.count("<a ") == 1


def test_table_without_caption_or_footer_has_neither():
    html = table(_regions(), _columns()).html
    assert "<caption>" not in html
    assert "table-note" not in html
    assert "highlight" not in html


def test_table_formatter_gets_the_column_value_not_an_upcast_float():
    frame = pd.DataFrame({"year": [2024], "rate": [7.3]})
    html = table(frame, [Column("year", "Année", str)]).html
    assert '<td class="num">2024</td>' in html


def test_card_html_and_escaping():
    html = cards([Card("Emploi <industriel>", "437 510", "2024 & après", ("+1 %", "a<b"))]).html
    assert html.startswith('<div class="cards"><div class="card">')
    assert '<p class="card-label">Emploi &lt;industriel&gt;</p>' in html
    assert '<p class="card-value">437 510</p>' in html
    assert '<p class="card-period">2024 &amp; après</p>' in html
    assert "<ul><li>+1 %</li><li>a&lt;b</li></ul>" in html


def test_card_not_available_is_marked_missing():
    html = cards([Card("A", "12", "2024"), Card("B", "n.d.", "2024")]).html
    assert html.count('class="card missing"') == 1
    assert html.count('class="card"') == 1
    assert html.index('class="card"') < html.index('class="card missing"')


# ------------------------------------------------------------------ table of contents


def _cell(inner: str) -> str:
    """A markdown cell as nbconvert's lab template writes it."""
    return (
        '<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell" id="cell-id=abc">\n'
        '<div class="jp-Cell-inputWrapper" tabindex="0">\n'
        '<div class="jp-InputArea jp-Cell-inputArea"><div class="jp-RenderedHTMLCommon '
        'jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">\n'
        f"{inner}\n</div>\n</div>\n</div>\n</div>\n"
    )


def _h2(anchor: str, text: str) -> str:
    return f'<h2 id="{anchor}">{text}<a class="anchor-link" href="#{anchor}">¶</a></h2>'


def _flat_cell(inner: str) -> str:
    """A simplified cell, without the inner ``jp-Cell-inputWrapper``."""
    return f'<div class="jp-Cell jp-MarkdownCell">{inner}</div>'


def _nav(document: str) -> str:
    match = re.search(r'<nav class="toc"[^>]*>.*?</nav>', document, re.DOTALL)
    assert match, "no table of contents"
    return match[0]


def test_toc_lists_every_h2_in_order_with_links():
    document = (
        "<main>"
        + _flat_cell('<h1 id="Titre">Titre</h1>')
        + _flat_cell(_h2("En-bref", "En bref"))
        + _flat_cell(_h2("Emploi", "Emploi"))
        + _flat_cell(_h2("Sources", "Sources"))
        + "</main>"
    )
    nav = _nav(add_table_of_contents(document))
    assert re.findall(r'<a href="(#[^"]+)">([^<]*)</a>', nav) == [
        ("#En-bref", "En bref"),
        ("#Emploi", "Emploi"),
        ("#Sources", "Sources"),
    ]
    assert "Titre" not in nav


def test_toc_strips_pilcrow_and_inner_tags_and_escapes_text():
    heading = '<h2 id="Emploi-&amp;-x">Emploi &amp; <b>x</b> &lt;y&gt;<a class="anchor-link" '
    heading += 'href="#Emploi-&amp;-x">¶</a></h2>'
    nav = _nav(add_table_of_contents(_flat_cell(heading)))
    assert "¶" not in nav
    assert "<b>" not in nav
    assert '<li><a href="#Emploi-&amp;-x">Emploi &amp; x &lt;y&gt;</a></li>' in nav


def test_toc_is_a_labelled_nav_and_document_is_otherwise_unchanged():
    document = "<main>" + _flat_cell("<p>intro</p>") + _flat_cell(_h2("A", "A")) + "</main>"
    result = add_table_of_contents(document)
    nav = _nav(result)
    assert 'aria-label="Sommaire"' in nav
    assert result.replace(nav, "") == document


def test_toc_goes_before_the_cell_of_the_first_h2():
    first = _flat_cell(_h2("A", "A"))
    document = _flat_cell("<p>intro</p>") + first + _flat_cell(_h2("B", "B"))
    result = add_table_of_contents(document)
    assert result == _flat_cell("<p>intro</p>") + _nav(result) + first + _flat_cell(_h2("B", "B"))


def test_toc_goes_before_the_cell_in_nbconvert_markup():
    intro = _cell('<h1 id="Titre">Titre</h1>')
    first = _cell(_h2("En-bref", "En bref"))
    result = add_table_of_contents(intro + first)
    assert result == intro + _nav(result) + first


def test_toc_with_nbconvert_markup_keeps_the_headings_and_lists_them():
    document = _cell(_h2("En-bref", "En bref")) + _cell(_h2("Emploi", "Emploi"))
    result = add_table_of_contents(document)
    assert re.findall(r'href="(#[^"]+)"', _nav(result)) == ["#En-bref", "#Emploi"]
    assert result.index("<nav") < result.index('<h2 id="En-bref"')


def test_toc_without_cell_goes_right_before_the_first_h2():
    document = "<p>intro</p>" + _h2("A", "A")
    result = add_table_of_contents(document)
    assert result == "<p>intro</p>" + _nav(result) + _h2("A", "A")


def test_document_without_h2_is_unchanged():
    document = _cell('<h1 id="Titre">Titre</h1>') + _cell("<h3 id='x'>x</h3><p>texte</p>")
    assert add_table_of_contents(document) == document


# ---------------------------------------------------------------------- atomic writes


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_write_text_writes_utf8_with_mode_644(tmp_path):
    target = tmp_path / "rapport.html"
    assert atomic_write_text(target, "Île-de-France\u202f€") == target
    assert target.read_bytes() == "Île-de-France\u202f€".encode()
    assert _mode(target) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.html"]


def test_atomic_write_callback_gets_a_temporary_path_beside_target(tmp_path):
    seen = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_bytes(b"\x00\x01")

    target = tmp_path / "data.bin"
    atomic_write(target, write)
    assert target.read_bytes() == b"\x00\x01"
    assert seen[0].parent == tmp_path and seen[0] != target
    assert not seen[0].exists()
    assert _mode(target) == 0o644


def test_atomic_write_replaces_previous_content(tmp_path):
    target = tmp_path / "a.txt"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_failed_write_keeps_previous_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "index.html"
    atomic_write_text(target, "previous")

    def write(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        atomic_write(target, write)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_failed_first_write_creates_nothing(tmp_path):
    def write(tmp: Path) -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        atomic_write(tmp_path / "new.json", write)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_creates_missing_parents(tmp_path):
    target = tmp_path / "reports" / "2024" / "FR.json"
    atomic_write_text(target, "{}")
    assert target.read_text(encoding="utf-8") == "{}"
    assert [p.name for p in target.parent.iterdir()] == ["FR.json"]


# ----------------------------------------------------------------------------- index


def _outcome(tmp_path: Path, region: str, year: int, name: str, ok=True, error=""):
    job = Job(region, year, name, tmp_path, tmp_path / "notebooks")
    return Outcome(job, ok, 12.345, error)


def _key_figures(out: Path, year: int, code: str, employment, apprenticeship) -> None:
    folder = out / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "region": code,
        "year": year,
        "figures": [
            {"id": "industrial_employment", "value": employment, "period": "T4 2024"},
            {"id": "apprenticeship_contracts", "value": apprenticeship, "period": "2024"},
        ],
    }
    (folder / f"{code}.json").write_text(json.dumps(doc), encoding="utf-8")


def _status(out: Path) -> dict:
    return json.loads((out / STATUS_FILE).read_text(encoding="utf-8"))


def test_record_writes_status_entries(tmp_path):
    status = record(tmp_path, [_outcome(tmp_path, "53", 2024, "Bretagne")])
    assert status == _status(tmp_path)
    entry = status["2024/53"]
    assert entry["region"] == "53" and entry["name"] == "Bretagne" and entry["year"] == 2024
    assert entry["ok"] is True and entry["error"] == "" and entry["seconds"] == 12.3
    assert "finished" in entry


def test_record_merges_with_earlier_runs(tmp_path):
    record(tmp_path, [_outcome(tmp_path, "53", 2024, "Bretagne")])
    record(tmp_path, [_outcome(tmp_path, "11", 2024, "Île-de-France", ok=False, error="x")])
    status = _status(tmp_path)
    assert sorted(status) == ["2024/11", "2024/53"]
    assert status["2024/53"]["ok"] is True
    assert status["2024/11"]["ok"] is False


def test_record_replaces_the_entry_of_the_same_report(tmp_path):
    record(tmp_path, [_outcome(tmp_path, "53", 2024, "Bretagne", ok=False, error="boom")])
    record(tmp_path, [_outcome(tmp_path, "53", 2024, "Bretagne")])
    status = _status(tmp_path)
    assert list(status) == ["2024/53"]
    assert status["2024/53"]["ok"] is True and status["2024/53"]["error"] == ""


def test_record_keeps_non_ascii_readable(tmp_path):
    record(tmp_path, [_outcome(tmp_path, "11", 2024, "Île-de-France")])
    assert "Île-de-France" in (tmp_path / STATUS_FILE).read_text(encoding="utf-8")


def test_index_without_status_says_no_report(tmp_path):
    page = write_index(tmp_path)
    assert page == tmp_path / "index.html"
    html = page.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "Aucun rapport" in html
    assert "<h2" not in html


def test_index_groups_years_newest_first(tmp_path):
    record(
        tmp_path,
        [
            _outcome(tmp_path, "53", 2022, "Bretagne"),
            _outcome(tmp_path, "53", 2024, "Bretagne"),
            _outcome(tmp_path, "53", 2023, "Bretagne"),
        ],
    )
    html = write_index(tmp_path).read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="annee-(\d+)">', html) == ["2024", "2023", "2022"]
    assert "Aucun rapport" not in html


def test_index_lists_france_first_then_regions_by_code(tmp_path):
    record(
        tmp_path,
        [
            _outcome(tmp_path, "53", 2024, "Bretagne"),
            _outcome(tmp_path, "FR", 2024, "France"),
            _outcome(tmp_path, "11", 2024, "Île-de-France"),
        ],
    )
    html = write_index(tmp_path).read_text(encoding="utf-8")
    codes = re.findall(r"<td class='txt'>(FR|\d\d)</td>", html)
    assert codes == ["FR", "11", "53"]


def test_index_links_a_report_only_when_its_file_exists(tmp_path):
    record(
        tmp_path,
        [_outcome(tmp_path, "53", 2024, "Bretagne"), _outcome(tmp_path, "11", 2024, "Corse")],
    )
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "53.html").write_text("<html></html>", encoding="utf-8")
    html = write_index(tmp_path).read_text(encoding="utf-8")
    assert '<a href="2024/53.html">Bretagne</a>' in html
    assert "2024/11.html" not in html
    assert "<td class='txt'>Corse</td>" in html


def test_index_status_texts(tmp_path):
    record(
        tmp_path,
        [
            _outcome(tmp_path, "53", 2024, "Bretagne"),
            _outcome(tmp_path, "11", 2024, "Île-de-France", ok=False, error="KeyError: <x> & y"),
        ],
    )
    html = write_index(tmp_path).read_text(encoding="utf-8")
    assert html.count('<span class="ok">à jour</span>') == 1
    assert html.count('<span class="failed">échec</span>') == 1
    assert "<small>KeyError: &lt;x&gt; &amp; y</small>" in html
    assert "<x>" not in html


def test_index_failure_with_previous_report_keeps_its_link(tmp_path):
    record(tmp_path, [_outcome(tmp_path, "53", 2024, "Bretagne", ok=False, error="boom")])
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "53.html").write_text("<html></html>", encoding="utf-8")
    html = write_index(tmp_path).read_text(encoding="utf-8")
    assert '<a href="2024/53.html">Bretagne</a>' in html
    assert "échec de la dernière génération" in html
    assert "<small>boom</small>" in html
    assert "à jour" not in html


def test_index_escapes_report_names(tmp_path):
    record(tmp_path, [_outcome(tmp_path, "94", 2024, 'Corse <"du Sud"> & Nord')])
    html = write_index(tmp_path).read_text(encoding="utf-8")
    assert "Corse &lt;&quot;du Sud&quot;&gt; &amp; Nord" in html


def test_index_shows_key_figures_the_french_way(tmp_path):
    record(tmp_path, [_outcome(tmp_path, "FR", 2024, "France")])
    _key_figures(tmp_path, 2024, "FR", 437510, 1234)
    html = write_index(tmp_path).read_text(encoding="utf-8")
    assert f"<td class='num'>437{NNBSP}510</td>" in html
    assert f"<td class='num'>1{NNBSP}234</td>" in html
    assert "<li>Emploi industriel\u00a0: T4 2024</li>" in html  # the dates of its data


def test_index_without_key_figures_shows_not_available(tmp_path):
    record(tmp_path, [_outcome(tmp_path, "53", 2024, "Bretagne")])
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "53.json").write_text("{not json", encoding="utf-8")
    html = write_index(tmp_path).read_text(encoding="utf-8")
    assert html.count("<td class='num'>n.d.</td>") == 2


def test_index_fetches_nothing_from_the_web(tmp_path):
    record(tmp_path, [_outcome(tmp_path, "53", 2024, "Bretagne")])
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "53.html").write_text("<html></html>", encoding="utf-8")
    html = write_index(tmp_path).read_text(encoding="utf-8")
    urls = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", html, re.IGNORECASE)
    # the site's own pages, anchors, and the report (its name, its file, the map)
    assert set(urls) == {"#contenu", "index.html", "methode.html", "2024/53.html"}
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)


def test_index_file_is_readable_by_others(tmp_path):
    assert _mode(write_index(tmp_path)) == 0o644


# -- typography ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1er trimestre 2020", "1<sup>er</sup> trimestre 2020"),
        ("du 4e trimestre 2018", "du 4<sup>e</sup> trimestre 2018"),
        ("2e sur 13", "2<sup>e</sup> sur 13"),
        ("2010-2020 et 2019-2024", "2010\u20132020 et 2019\u20132024"),
        ("2022-10-31", "2022-10-31"),  # a date, not a range
        ("Champ : a ; « b » 1 000", "Champ\u00a0: a\u202f; «\u00a0b\u00a0» 1\u202f000"),
        ("3,5e", "3,5e"),  # not an ordinal
        ("<b>1er</b> ", "&lt;b&gt;1er&lt;/b&gt; "),  # escaped first, then typeset
    ],
)
def test_typeset_as_insee_prints(text, expected):
    assert typeset(text) == expected


def test_numbers_open_each_chart_and_table_caption_in_order():
    from analysis.export import number_figures

    document = (
        '<figure class="chart"><img alt="1er"><figcaption>A</figcaption></figure>'
        "<table><caption>B</caption></table>"
        '<figure class="chart"><img alt="no caption"></figure>'
        '<figure class="chart"><img><figcaption>C</figcaption></figure>'
    )
    numbered = number_figures(document)
    assert re.findall(r"Figure (\d)\. </span>(\w)", numbered) == [
        ("1", "A"),
        ("2", "B"),
        ("3", "C"),
    ]
    assert 'alt="1er"' in numbered  # attributes untouched


def test_anchor_marks_are_hidden_from_screen_readers():
    from analysis.export import hide_anchor_marks

    html = _h2("x", "X")
    hidden = hide_anchor_marks(html)
    assert 'class="anchor-link" aria-hidden="true" tabindex="-1"' in hidden
    assert hide_anchor_marks(hidden) == hidden
