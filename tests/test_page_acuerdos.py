"""Acuerdos: the write path's validation, the open-agreements query (overdue at the as-of date) and the page."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from warehouse.agreements import AgreementError, create_agreement, update_status
from warehouse.queries.agreements import all_agreements, open_agreements
from warehouse.query import SYSTEM, Viewer
from warehouse.store import clone_warehouse, version_token
from tests.conftest import open_page

ROOT = Path(__file__).resolve().parent.parent
USER = "ana.analista"          # signed in with the analista role (the one that records agreements)
AS_OF = dt.date(2014, 5, 18)          # the sample's as-of date: "overdue" is judged here, not today


@pytest.fixture()
def wh(sample_warehouse, tmp_path, monkeypatch, signed_in) -> Path:
    path = tmp_path / "copy.duckdb"
    clone_warehouse(sample_warehouse, path)
    monkeypatch.setenv("SPSU_WAREHOUSE", str(path))
    signed_in("analista", name=USER)
    return path


def agreement(**kw) -> int:
    base = dict(week="2014-W20", indicator_code="CSR-BONO-04", scope_code="0417",
                action="Solicitar a FISDL el reporte semanal pendiente", responsible="FISDL",
                due_date=dt.date(2014, 5, 30), created_by="prueba", role="analista")
    return create_agreement(**{**base, **kw})


def page(query: dict | None = None) -> AppTest:
    return open_page("acuerdos", query, user=USER)


def open_table(at: AppTest):
    return at.dataframe[0].value          # the first table on the page: open agreements


# --- write path ------------------------------------------------------------------------------------
@pytest.mark.parametrize("change, message", [
    ({"action": "  "}, "Falta la acción acordada"),
    ({"responsible": ""}, "Falta el responsable"),
    ({"due_date": "pronto"}, "no es una fecha válida"),
    ({"due_date": dt.date(2014, 1, 1)}, "anterior a la semana del acuerdo"),
    ({"indicator_code": "NO-EXISTE"}, "El indicador «NO-EXISTE» no existe"),
    ({"scope_code": "9999"}, "El municipio «9999» no existe"),
    ({"indicator_code": None, "scope_code": "nacional"}, "Indique el indicador o el municipio"),
    ({"week": "semana 20"}, "La semana «semana 20» no es válida"),
])
def test_invalid_agreements_are_refused_and_change_nothing(wh, change, message):
    token = version_token(wh)
    with pytest.raises(AgreementError, match=message):
        agreement(**change)
    assert version_token(wh) == token


def test_create_and_update_status(wh):
    first = agreement()
    national = agreement(indicator_code="CSU-PATI-02", scope_code="nacional")
    assert national == first + 1
    rows = all_agreements(SYSTEM)
    row = rows.filter(rows["agreement_id"] == national).row(0, named=True)
    assert (row["scope_code"], row["scope_name"], row["status"], row["created_by"]) == ("national", "Nacional",
                                                                                         "abierto", "prueba")
    assert update_status(first, "en curso", "jefa", "analista") == "abierto"
    assert update_status(first, "cumplido", "jefa", "analista") == "en curso"
    assert first not in open_agreements(SYSTEM)["agreement_id"].to_list()
    done = all_agreements(SYSTEM).filter(all_agreements(SYSTEM)["agreement_id"] == first).row(0, named=True)
    assert (done["status"], done["updated_by"]) == ("cumplido", "jefa")
    with pytest.raises(AgreementError, match="no es válido"):
        update_status(national, "terminado", "jefa", "analista")
    with pytest.raises(AgreementError, match="no existe"):
        update_status(9999, "cumplido", "jefa", "analista")


def test_overdue_is_judged_at_the_as_of_date(wh):
    late = agreement(due_date=dt.date(2014, 5, 16), week="2014-W19")     # before 18 May 2014: overdue
    on_time = agreement(due_date=dt.date(2014, 5, 30))                    # after as-of, long before today
    frame = open_agreements(SYSTEM)
    overdue = dict(zip(frame["agreement_id"], frame["overdue"]))
    assert overdue == {late: True, on_time: False}
    assert frame["agreement_id"][0] == late                               # overdue first
    assert frame.filter(frame["agreement_id"] == late)["days_overdue"].item() == 2
    later = open_agreements(SYSTEM, as_of=dt.date(2014, 6, 15))
    assert later["overdue"].all()


def test_open_agreements_filters_and_viewer_scope(wh):
    muni = agreement()
    national = agreement(indicator_code="CSU-PATI-02", scope_code=None)
    other = agreement(scope_code="1305", indicator_code=None)
    assert open_agreements(SYSTEM, indicator="CSR-BONO-04")["agreement_id"].to_list() == [muni]
    assert open_agreements(SYSTEM, scope="nacional")["agreement_id"].to_list() == [national]
    assert open_agreements(SYSTEM, scope="1305")["agreement_id"].to_list() == [other]
    seen = set(open_agreements(Viewer(name="m", role="municipal", municipality="0417"))["agreement_id"])
    assert seen == {muni, national}                                        # not another municipality's


# --- the page --------------------------------------------------------------------------------------
def test_page_renders_empty(wh):
    at = page()
    assert not at.exception
    assert any("No hay acuerdos abiertos" in i.value for i in at.info)


def test_agreement_is_shown_and_overdue_one_flagged(wh):
    late = agreement(due_date=dt.date(2014, 5, 16), week="2014-W19", action="Oficio al alcalde")
    on_time = agreement(action="Visita de acompañamiento")
    at = page()
    assert not at.exception
    shown = open_table(at)
    assert shown["n.º"].tolist() == open_agreements(SYSTEM)["agreement_id"].to_list() == [late, on_time]
    badge = dict(zip(shown["n.º"], shown["alerta"]))
    assert badge == {late: "⚠ vencido", on_time: ""}
    assert any("⚠ vencido" in e.value and "1 acuerdo pasó" in e.value for e in at.error)
    assert {m.label: m.value for m in at.metric}["⚠ vencidos"] == "1"


def test_same_open_agreement_is_not_recorded_twice(wh):
    first = agreement()
    token = version_token(wh)
    with pytest.raises(AgreementError, match=f"ya está registrado \\(n.º {first}, abierto\\)"):
        agreement(action="  solicitar a FISDL el   reporte semanal pendiente ")
    assert version_token(wh) == token
    assert agreement(due_date=dt.date(2014, 6, 6)) == first + 1            # another due date: another agreement
    update_status(first, "cumplido", "jefa", "analista")
    assert agreement() == first + 2                                         # the first one is closed


def test_form_preselects_from_the_url_and_records(wh):
    at = page({"indicador": "CSR-BONO-04", "municipio": "0417"})
    assert at.selectbox(key="a_indicador").value == "CSR-BONO-04"
    assert at.selectbox(key="a_municipio").value == "0417"
    assert any("Situación de CSR-BONO-04 en Nueva Trinidad" in c.value for c in at.caption)
    at.text_area(key="a_accion").input("Llamar a la alcaldía por el reporte atrasado")
    at.text_input(key="a_responsable").input("Gobernación de Chalatenango")
    next(b for b in at.button if b.label == "Registrar acuerdo").click().run()
    assert not at.exception and not at.error
    rows = open_agreements(SYSTEM, indicator="CSR-BONO-04", scope="0417")
    assert rows.height == 1
    row = rows.row(0, named=True)
    assert (row["responsible"], row["created_by"], row["status"]) == ("Gobernación de Chalatenango", USER, "abierto")
    assert any(f"Acuerdo n.º {row['agreement_id']} registrado" in s.value for s in at.success)
    assert row["agreement_id"] in open_table(at)["n.º"].tolist()


def test_form_error_is_shown_and_nothing_written(wh):
    at = page({"indicador": "CSR-BONO-04"})
    token = version_token(wh)
    next(b for b in at.button if b.label == "Registrar acuerdo").click().run()
    assert any("No se registró el acuerdo" in e.value and "Falta la acción" in e.value for e in at.error)
    assert version_token(wh) == token


def test_status_change_from_the_page(wh):
    first = agreement()
    at = page()
    at.selectbox(key="a_cambiar").set_value(first)
    at.selectbox(key="a_estado").set_value("cumplido")
    at.button(key="a_actualizar").click().run()
    assert not at.exception
    assert any(f"Acuerdo n.º {first}" in s.value and "cumplido" in s.value for s in at.success)
    assert open_agreements(SYSTEM).is_empty()
    row = all_agreements(SYSTEM).row(0, named=True)
    assert (row["status"], row["updated_by"]) == ("cumplido", USER)


def test_home_page_lists_the_open_agreement(wh):
    late = agreement(due_date=dt.date(2014, 5, 16), week="2014-W19", action="Oficio al alcalde de Nueva Trinidad")
    at = open_page("resumen", user=USER)
    assert not at.exception
    listed = next(d.value for d in at.dataframe if "Acción" in d.value.columns)
    assert listed["Acción"].tolist() == ["Oficio al alcalde de Nueva Trinidad"]
    assert late in open_agreements(SYSTEM)["agreement_id"].to_list()


def test_styled_open_table_and_history_download(wh):
    from tests.conftest import assert_exports
    agreement(due_date=dt.date(2014, 5, 16), week="2014-W19", action="Oficio al alcalde")
    at = page()
    assert not at.exception
    assert len(at.dataframe) == 2                       # open (tinted) and all agreements
    assert_exports(at, images=0)


def test_refused_agreement_keeps_what_was_typed(wh):
    at = page({"indicador": "CSR-BONO-04", "municipio": "0417"})
    at.text_area(key="a_accion").input("Visita técnica a la alcaldía")
    next(b for b in at.button if b.label == "Registrar acuerdo").click().run()   # no responsible
    assert any("No se registró el acuerdo" in e.value for e in at.error)
    assert at.text_area(key="a_accion").value == "Visita técnica a la alcaldía"
    at.text_input(key="a_responsable").input("Gobernación de Chalatenango")
    next(b for b in at.button if b.label == "Registrar acuerdo").click().run()
    assert not at.exception and any("registrado" in s.value for s in at.success)
    assert at.text_area(key="a_accion").value == ""
