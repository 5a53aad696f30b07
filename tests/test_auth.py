"""Sign-in, sign-out, demonstration mode, role gating and the audit trail, on a copy of the sample."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PASSWORD, open_page
from warehouse.agreements import create_agreement
from warehouse.audit import trail
from warehouse.permissions import PermissionDenied
from warehouse.query import Viewer
from warehouse.store import clone_warehouse, read_connection, version_token
from warehouse.users import remove_user

ROOT = Path(__file__).resolve().parent.parent
FORM_TIMEOUT = 120


@pytest.fixture()
def wh(sample_warehouse, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "copy.duckdb"
    clone_warehouse(sample_warehouse, path)
    monkeypatch.setenv("SPSU_WAREHOUSE", str(path))
    return path


def audit_rows(path: Path) -> list[tuple]:
    with read_connection(path) as con:
        return con.execute("SELECT user_name, role, action, detail FROM audit_log ORDER BY audit_id").fetchall()


def sign_in_form() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=FORM_TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def submit(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login_usuario").input(name)
    at.text_input(key="login_clave").input(password)
    return next(b for b in at.button if b.label == "Entrar").click().run()


def page_direct(page: str, user: str | None) -> AppTest:
    """One page run alone (no navigation), as a signed-in user: the page's own gate must hold."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=FORM_TIMEOUT)
    if user:
        at.session_state["spsu_user"] = {"name": user, "via": "password"}
    return at.run()


# --- sign-in ---------------------------------------------------------------------------------------
def test_with_a_users_file_only_the_sign_in_form_shows(wh, signed_in):
    signed_in("analista", name="ana")
    at = sign_in_form()
    assert [t.label for t in at.text_input] == ["Usuario", "Contraseña"]
    assert not [t for t in at.title if t.value == "Resumen ejecutivo"] and not at.dataframe
    assert not any("Modo de demostración" in w.value for w in at.warning)


def test_wrong_password_is_refused_and_audited(wh, signed_in):
    signed_in("analista", name="ana")
    at = submit(sign_in_form(), "ana", "no-es-la-clave")
    assert [e.value for e in at.error] == ["Usuario o contraseña incorrectos."]
    assert "spsu_user" not in at.session_state and not at.dataframe
    assert audit_rows(wh) == [("ana", "", "sign_in_failed", "usuario o contraseña incorrectos")]


def test_right_password_lets_in_shows_who_and_signs_out(wh, signed_in):
    signed_in("direccion", name="jefa")
    at = submit(sign_in_form(), "jefa", PASSWORD)
    assert not at.exception, at.exception
    assert any(t.value == "Resumen ejecutivo" for t in at.title)
    assert any("**jefa** · Dirección" in c.value for c in at.sidebar.caption)
    assert at.button(key="sign_out").label == "Cerrar sesión"
    assert audit_rows(wh)[-1][:3] == ("jefa", "direccion", "sign_in")


def _sign_out_script():
    import streamlit as st

    from ui.auth import sign_out
    st.session_state["spsu_user"] = {"name": "jefa", "via": "password"}
    sign_out()
    st.write("fuera" if "spsu_user" not in st.session_state else "dentro")


def test_sign_out_forgets_the_user_and_is_audited(wh, signed_in):
    """The sidebar button's action (the click itself runs in the browser test: under AppTest a rerun runs
    the page file alone, without app.py's sidebar)."""
    signed_in("direccion", name="jefa")
    at = AppTest.from_function(_sign_out_script).run()
    assert [m.value for m in at.markdown] == ["fuera"]
    assert audit_rows(wh) == [("jefa", "direccion", "sign_out", "")]


def test_a_removed_user_is_signed_out_at_the_next_run(wh, signed_in, no_users_file):
    user = signed_in("analista", name="ana")
    at = open_page("calidad", user=user)
    assert any(t.value == "Calidad de datos" for t in at.title)
    remove_user(user, path=no_users_file)
    at.run()
    assert [w.value for w in at.warning] == ["Inicie sesión para ver el tablero."] and not at.dataframe
    assert "spsu_user" not in at.session_state


def test_an_unknown_session_user_sees_nothing(wh, signed_in):
    signed_in("analista", name="ana")
    at = page_direct("resumen", "alguien.mas")
    assert not at.dataframe and not at.get("plotly_chart")
    assert [w.value for w in at.warning] == ["Inicie sesión para ver el tablero."]


# --- roles -----------------------------------------------------------------------------------------
def test_direccion_cannot_upload(wh, signed_in):
    user = signed_in("direccion", name="jefa")
    at = page_direct("cargar", user)
    assert not at.get("file_uploader") and any("no permite cargar datos" in i.value for i in at.info)
    from ui.upload import commit
    csv = wh.parent / "m.csv"
    csv.write_text("Indicador,Código Municipio,Período,Valor\nCSR-BONO-04,0106,2014-W21,5\n")
    token = version_token(wh)
    with pytest.raises(PermissionDenied, match="no permite cargar datos"):
        commit(csv, "measurements", Viewer(name="jefa", role="direccion", municipality=None))
    assert version_token(wh) == token


def test_the_analista_reaches_the_upload_page_through_the_navigation(wh, signed_in):
    at = open_page("cargar", user=signed_in("analista", name="ana"))
    assert any(t.value == "Cargar datos" for t in at.title) and at.get("file_uploader")


def test_municipal_cannot_see_the_audit_and_direccion_can(wh, signed_in):
    jefa, muni = signed_in("direccion", name="jefa"), signed_in("municipal", "0101", name="muni")
    submit(sign_in_form(), "jefa", PASSWORD)                      # one audited event to show
    seen = page_direct("calidad", jefa)
    assert any(s.value == "Registro de auditoría" for s in seen.subheader)
    assert "sign_in" not in str(seen.dataframe[-1].value["acción"].to_list())
    assert seen.dataframe[-1].value["acción"].to_list()[0] == "inicio de sesión"
    hidden = page_direct("calidad", muni)
    assert not any(s.value == "Registro de auditoría" for s in hidden.subheader)
    assert trail(Viewer(name="muni", role="municipal", municipality="0101")).is_empty()
    assert trail(Viewer(name="jefa", role="direccion", municipality=None)).height == 1


def test_demo_mode_is_labelled_and_read_only(wh):
    home = open_page(None)                                        # no users file: demonstration mode
    assert any(w.value.startswith("**Modo de demostración**") and "users add admin --role admin" in w.value
               for w in home.warning)
    assert not home.sidebar.button                                 # nobody to sign out
    at = page_direct("acuerdos", None)
    assert not any(b.label == "Registrar acuerdo" for b in at.button)
    assert any("no registrarlos" in i.value for i in at.info)
    assert not page_direct("cargar", None).get("file_uploader")
    token = version_token(wh)
    with pytest.raises(PermissionDenied):
        create_agreement(week="2014-W20", action="x", responsible="y", due_date="2014-05-30", created_by="demo",
                         role="demo", scope_code="0101")
    assert version_token(wh) == token and audit_rows(wh) == []   # and nothing is audited in demo mode


def test_agreements_and_exports_are_audited(wh, signed_in):
    from ui.downloads import audited
    create_agreement(week="2014-W20", action="Revisar reportes", responsible="FISDL", due_date="2014-05-30",
                     created_by="ana", role="analista", scope_code="0101")
    data = audited(lambda: b"a,b\n", "tabla.csv", Viewer(name="ana", role="analista", municipality=None))()
    assert data == b"a,b\n"
    rows = audit_rows(wh)
    assert [r[2] for r in rows] == ["agreement_created", "export"]
    assert rows[0][3].startswith("acuerdo n.º 1 (2014-W20, -, 0101): Revisar reportes")
    assert rows[1] == ("ana", "analista", "export", "tabla.csv")


@pytest.mark.parametrize("role", ["direccion", "municipal", "admin", "demo", "", "nacional"])
def test_only_the_analista_records_or_changes_agreements(wh, role):
    from warehouse.agreements import update_status
    first = create_agreement(week="2014-W20", action="Revisar reportes", responsible="FISDL", due_date="2014-05-30",
                             created_by="ana", role="analista", scope_code="0101")
    token = version_token(wh)
    with pytest.raises(PermissionDenied, match="no permite registrar o cambiar acuerdos"):
        create_agreement(week="2014-W20", action="Otra acción", responsible="STP", due_date="2014-05-30",
                         created_by="x", role=role, scope_code="0101")
    with pytest.raises(PermissionDenied):
        update_status(first, "cumplido", "x", role)
    assert version_token(wh) == token


def test_command_line_loads_and_reverts_are_audited(wh, capsys):
    from loaders.cli import main as loaders_main
    csv = wh.parent / "semana21.csv"
    csv.write_text("Indicador,Código Municipio,Período,Valor\nCSR-BONO-04,0106,2014-W21,5\n", encoding="utf-8")
    assert loaders_main(["load", str(csv), "--kind", "measurements", "--warehouse", str(wh), "--user", "operador",
                         "--no-snapshots", "--json"]) == 0
    load_id = __import__("json").loads(capsys.readouterr().out)["load_id"]
    assert loaders_main(["revert", str(load_id), "--warehouse", str(wh), "--user", "operador"]) == 0
    rows = audit_rows(wh)
    assert [(r[0], r[1], r[2]) for r in rows] == [("operador", "linea_de_comandos", "load"),
                                                  ("operador", "linea_de_comandos", "revert")]
    assert rows[0][3].startswith(f"carga n.º {load_id}: semana21.csv (measurements), ok, 1 filas cargadas")


def test_admin_page_lists_adds_and_removes_users(wh, signed_in, no_users_file):
    from warehouse.users import load_users
    admin = signed_in("admin", name="admin")
    signed_in("analista", name="ana")
    at = page_direct("usuarios", admin)
    assert at.dataframe[0].value["usuario"].to_list() == ["admin", "ana"]
    assert "argon2" not in str(at.dataframe[0].value.to_dict())
    at.text_input[0].input("jefa")
    at.selectbox[0].select("direccion")
    at.text_input[2].input(PASSWORD)
    at = next(b for b in at.button if b.label == "Guardar usuario").click().run()
    assert load_users(no_users_file)["jefa"].role == "direccion"
    at.selectbox(key="usr_quitar").select("ana")
    at = at.button(key="usr_quitar_btn").click().run()
    assert set(load_users(no_users_file)) == {"admin", "jefa"}
    analista = signed_in("analista", name="otra")
    refused = page_direct("usuarios", analista)
    assert not refused.dataframe and [e.value for e in refused.error] == ["Esta página es solo para el rol Administración."]


@pytest.mark.parametrize("page, query", [("municipios", {"municipio": "0417"}), ("ficha", {"municipio": "0417"}),
                                         ("acuerdos", {"municipio": "0417"})])
def test_municipal_url_pointing_elsewhere_does_not_crash(wh, signed_in, page, query):
    at = open_page(page, query, user=signed_in("municipal", "0101", name="muni"))
    assert not at.exception, at.exception


OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 40, "client_id": "tablero",
        "client_secret": "x", "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}


def oidc_app(user: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=FORM_TIMEOUT)
    at.secrets["auth"] = OIDC
    at.user = user
    return at.run()


def test_oidc_identity_signs_in_as_the_user_named_by_its_email(wh, signed_in):
    signed_in("direccion", name="jefa@stp.gob.sv")
    at = oidc_app({"is_logged_in": True, "email": "Jefa@STP.gob.sv", "name": "Jefa"})
    assert not at.exception, at.exception
    assert at.session_state["spsu_user"] == {"name": "jefa@stp.gob.sv", "via": "oidc"}
    assert any(t.value == "Resumen ejecutivo" for t in at.title)
    assert audit_rows(wh) == [("jefa@stp.gob.sv", "direccion", "sign_in", "proveedor de identidad")]


def test_oidc_identity_without_a_user_is_refused_and_audited(wh, signed_in):
    signed_in("direccion", name="jefa@stp.gob.sv")
    at = oidc_app({"is_logged_in": True, "email": "otra@gmail.com"})
    assert "spsu_user" not in at.session_state and not at.dataframe
    assert "La cuenta otra@gmail.com no tiene acceso al tablero" in at.error[0].value
    assert audit_rows(wh) == [("otra@gmail.com", "", "sign_in_failed", "proveedor de identidad: correo sin usuario")]


def test_oidc_configured_offers_the_institutional_sign_in(wh, signed_in):
    signed_in("direccion", name="jefa")
    at = oidc_app({"is_logged_in": False})
    assert at.button(key="oidc_login").label == "Entrar con la cuenta institucional"
    assert [t.label for t in at.text_input] == ["Usuario", "Contraseña"]        # passwords still work
