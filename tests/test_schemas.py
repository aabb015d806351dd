"""Malformed files raise one SchemaValidationError naming the file, column and bad rows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import SchemaValidationError
from analysis.loaders.apprenticeship import _parse_ditp, _parse_etalab_regional
from analysis.loaders.employment import _parse_urssaf_series, _parse_urssaf_zones, tidy_ete
from analysis.loaders.recruitment import tidy_bmo
from analysis.schemas import check_codes, require_columns, to_numbers

URSSAF_HEADER = "code_ze,a38,a21,a5,lib,eff_19,eff_22,eff_23,eff_24"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _ete_frame(**overrides):
    frame = pd.DataFrame(
        {
            "REG2016": ["11", "11", "84"],
            "REG": ["11", "11", "82"],
            "DEP": ["75", "75", "01"],
            "A5": ["BE-Industrie", "AZ-Agriculture", "7820Z-Intérim"],
            "A17": ["C1", "AZ", "MN78"],
            "eff2019t4": [100.5, None, 12.0],
            "eff2020t1": [101.0, None, 13.0],
        },
        dtype=object,
    )
    for column, values in overrides.items():
        frame[column] = values
    return frame


class TestRawChecks:
    def test_missing_column_named(self):
        with pytest.raises(SchemaValidationError, match=r"f\.csv: column\(s\) `b` missing") as err:
            require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], source="f.csv")
        assert err.value.column == "b"
        assert isinstance(err.value, ValueError)

    def test_text_in_number_column_names_lines(self):
        frame = pd.DataFrame({"v": ["1", "", "*", "x1", "2", "n/a"]})
        with pytest.raises(
            SchemaValidationError, match=r"`v`.*2 cell\(s\): line 5: 'x1', line 7: 'n/a'"
        ) as err:
            to_numbers(frame, "v", source="f.csv", masked=["*"])
        assert err.value.failure_cases["v"].tolist() == ["x1", "n/a"]

    def test_numbers_keep_blank_and_masked_missing(self):
        values = to_numbers(
            pd.DataFrame({"v": ["1,5".replace(",", "."), "", "*", None]}),
            "v",
            source="f.csv",
            masked=["*"],
        )
        assert values.iloc[0] == 1.5
        assert values.iloc[1:].isna().all()

    def test_unknown_code(self):
        frame = pd.DataFrame({"reg": ["11", "99", "84"]})
        with pytest.raises(SchemaValidationError, match=r"unknown code.*line 3: '99'"):
            check_codes(frame, "reg", {"11", "84"}, source="f.csv")


class TestEte:
    def test_tidy_keeps_missing_and_maps_temp_work_to_services(self):
        tidy = tidy_ete(_ete_frame(), source="ete.xls")
        assert len(tidy) == 6
        assert tidy.loc[tidy.a17 == "AZ", "employment"].isna().all()
        assert set(tidy.loc[tidy.a17 == "MN78", "a5"]) == {"GU"}
        assert tidy.quarter.astype(str).unique().tolist() == ["2019Q4", "2020Q1"]
        assert tidy.provisional.all()

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            (
                {"eff2019t4": [1.0, "n.d.", 3.0]},
                r"ete\.xls: column `eff2019t4` holds text.*line 3: 'n\.d\.'",
            ),
            (
                {"REG2016": ["11", "12", "84"]},
                r"ete\.xls: column `REG2016` holds unknown code.*line 3: '12'",
            ),
        ],
    )
    def test_malformed_cells(self, overrides, message):
        with pytest.raises(SchemaValidationError, match=message):
            tidy_ete(_ete_frame(**overrides), source="ete.xls")

    def test_missing_column(self):
        with pytest.raises(SchemaValidationError, match=r"column\(s\) `A17` missing"):
            tidy_ete(_ete_frame().drop(columns="A17"), source="ete.xls")

    def test_negative_employment_breaks_schema(self):
        with pytest.raises(SchemaValidationError, match=r"`insee_employment` schema.*`employment`"):
            tidy_ete(_ete_frame(eff2019t4=[-5.0, None, 1.0]), source="ete.xls")


class TestUrssaf:
    def test_good_file_with_interregional_zone(self, tmp_path):
        path = _write(
            tmp_path,
            "a38.csv",
            f"{URSSAF_HEADER}\n0053,CA,C,BE,Ind. alimentaires,1.0,,3.0,4.0\n"
            "1101,CA,C,BE,Ind. alimentaires,5.0,6.0,7.0,8.0\n",
        )
        tidy = _parse_urssaf_zones(path)
        avignon = tidy[tidy.zone == "0053"]
        assert set(avignon.region) == {"93"} and avignon.interregional.all()
        assert avignon.set_index("year").masked.to_dict() == {
            2019: False,
            2022: True,
            2023: False,
            2024: False,
        }

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (
                "9901,CA,C,BE,x,1,2,3,4\n",
                r"a38\.csv: column `code_ze` holds unknown code.*line 2: '9901'",
            ),
            (
                "1101,CA,C,BE,x,1,deux,3,4\n",
                r"a38\.csv: column `eff_22` holds text.*line 2: 'deux'",
            ),
        ],
    )
    def test_malformed(self, tmp_path, body, message):
        path = _write(tmp_path, "a38.csv", f"{URSSAF_HEADER}\n{body}")
        with pytest.raises(SchemaValidationError, match=message):
            _parse_urssaf_zones(path)

    def test_missing_year_column(self, tmp_path):
        path = _write(tmp_path, "a38.csv", "code_ze,a38,a21,a5,lib,eff_19\n1101,CA,C,BE,x,1\n")
        with pytest.raises(SchemaValidationError, match=r"`eff_22`, `eff_23`, `eff_24` missing"):
            _parse_urssaf_zones(path)

    def test_series_pads_region_codes(self, tmp_path):
        path = _write(
            tmp_path,
            "s.csv",
            "code,echelon,year,eff_total,indice_fr_2014\n"
            "1,reg,2014,100,1\n00FR,france,2014,1000,100\n01,dep,2014,5,1\n",
        )
        tidy = _parse_urssaf_series(path)
        assert tidy.region.tolist() == ["01", "FR"]


class TestApprenticeshipFiles:
    def test_etalab_unknown_region(self, tmp_path):
        path = _write(
            tmp_path,
            "etalab.csv",
            "id_indicateur,code_region,date,valeur\n"
            "nombre-contrats-apprentissage,11,2020-12-31,10\n"
            "nombre-contrats-apprentissage,07,2020-12-31,10\n",
        )
        with pytest.raises(
            SchemaValidationError, match=r"etalab\.csv: column `code_region`.*line 3: '07'"
        ):
            _parse_etalab_regional(path)

    def test_ditp_text_value(self, tmp_path):
        path = _write(
            tmp_path,
            "ind.csv",
            "enforce_zone_id,metric_enforce_date,maille,indic_va\n"
            "R11,2023-12-01,REG,12\nR84,2023-12-01,REG,douze\n",
        )
        with pytest.raises(SchemaValidationError, match=r"ind\.csv: column `indic_va`.*'douze'"):
            _parse_ditp(path)


class TestBmoSheet:
    def _frame(self, **overrides):
        frame = pd.DataFrame(
            {
                "annee": [2025, 2025],
                "Code métier BMO": ["D1X33", "T4X60"],
                "Nom métier BMO": ["Soudeurs", "Agents d'entretien"],
                "Famille_met": ["I", "V"],
                "Lbl_fam_met": ["Ouvriers des secteurs de l'industrie", "Vente"],
                "REG": ["84", "11"],
                "NOM_REG": ["Auvergne-Rhône-Alpes", "Île-de-France"],
                "Dept": ["69", "75"],
                "NomDept": ["Rhône", "Paris"],
                "BE25": ["8401", "1101"],
                "NOMBE25": ["Lyon", "Paris"],
                "met": ["120", "*"],
                "xmet": ["*", "30"],
                "smet": ["0", "*"],
            },
            dtype=object,
        )
        for column, values in overrides.items():
            frame[column] = values
        return frame

    def test_masked_cells(self):
        tidy = tidy_bmo(self._frame(), source="bmo.xlsx")
        assert tidy.projects.tolist()[0] == 120 and pd.isna(tidy.projects.tolist()[1])
        assert tidy.projects_masked.tolist() == [False, True]
        assert tidy.industrial.tolist() == [True, False]

    def test_text_in_measure(self):
        with pytest.raises(
            SchemaValidationError, match=r"bmo\.xlsx: column `met`.*line 3: 'beaucoup'"
        ):
            tidy_bmo(self._frame(met=["1", "beaucoup"]), source="bmo.xlsx")
