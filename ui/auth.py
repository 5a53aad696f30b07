"""Sign-in, sign-out, demonstration mode and the audit hook of the dashboard.

With no users file ($SPSU_USERS, default data/users.toml) the dashboard runs in demonstration mode:
viewer role `demo`, read-only over the sample. With one, nothing but the sign-in page shows until a
user signs in, with a password (argon2, warehouse/users.py) or, when `[auth]` is configured in
.streamlit/secrets.toml, through the organisation's identity provider (st.login, OIDC): that
identity's e-mail must be the name of a user of the file, which gives its role. The session keeps the
user's name only; every run re-reads the file, so a removed user or a changed role takes effect at once.
"""
from __future__ import annotations

import streamlit as st

from warehouse.permissions import ROLE_LABELS
from warehouse.query import Viewer
from warehouse.users import user_for_email, users_file_exists, verify, load_users

SESSION_KEY = "spsu_user"            # {"name": ..., "via": "password" | "oidc"}
DEMO = Viewer(name="demostración", role="demo", municipality=None)
FIRST_USER = "python -m warehouse users add admin --role admin --password-stdin"


def demo_mode() -> bool:
    """No users file yet: the dashboard shows the sample read-only to anyone."""
    return not users_file_exists()


def oidc_configured() -> bool:
    """An `[auth]` section in .streamlit/secrets.toml (st.login with the organisation's provider)."""
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def audit(action: str, user: str, role: str, detail: str = "") -> None:
    """Record an audit event (warehouse/audit.py); a busy or missing warehouse is logged, never a crash."""
    from warehouse.audit import try_record
    try_record(action, user=user, role=role, detail=detail)


def _viewer_of(name: str | None) -> Viewer | None:
    user = load_users().get(name) if name else None
    if user is None:
        return None
    return Viewer(name=user.name, role=user.role, municipality=user.municipality if user.role == "municipal" else None)


def signed_in_viewer() -> Viewer | None:
    """The signed-in user's viewer as the users file says now, or None (and the session forgets a
    user the file no longer holds)."""
    entry = st.session_state.get(SESSION_KEY)
    if not entry:
        return None
    viewer = _viewer_of(entry.get("name"))
    if viewer is None:
        st.session_state.pop(SESSION_KEY, None)
    return viewer


def session_viewer() -> Viewer:
    """The viewer of this run: demo without a users file, the signed-in user, or the page stops."""
    if demo_mode():
        return DEMO
    viewer = signed_in_viewer()
    if viewer is None:
        st.warning("Inicie sesión para ver el tablero.", icon=":material/lock:")
        st.stop()
    return viewer


def _sign_in(name: str, via: str) -> None:
    st.session_state[SESSION_KEY] = {"name": name, "via": via}
    viewer = _viewer_of(name)
    audit("sign_in", viewer.name, viewer.role, "contraseña" if via == "password" else "proveedor de identidad")


def _oidc_identity() -> None:
    """A session signed in with the identity provider: map its e-mail to a user of the file."""
    email = st.user.get("email")
    user = user_for_email(email)
    if user is not None:
        _sign_in(user.name, "oidc")
        st.rerun()
    if not st.session_state.get("spsu_oidc_refused"):
        st.session_state["spsu_oidc_refused"] = True
        audit("sign_in_failed", email or "sin correo", "", "proveedor de identidad: correo sin usuario")
    st.error(f"La cuenta {email or '(sin correo)'} no tiene acceso al tablero. Pida a un administrador que la "
             "registre con su correo como nombre de usuario.")
    if st.button("Cerrar sesión del proveedor", key="oidc_logout"):
        st.logout()


def sign_in_page() -> None:
    """The sign-in form (and the identity provider's button when configured)."""
    st.title("Tablero SPSU")
    st.subheader("Iniciar sesión")
    if oidc_configured():
        if st.user.is_logged_in:
            _oidc_identity()
            return
        if st.button("Entrar con la cuenta institucional", key="oidc_login", icon=":material/badge:"):
            st.login()
        st.caption("O con usuario y contraseña del tablero:")
    with st.form("ingreso", clear_on_submit=False):
        name = st.text_input("Usuario", key="login_usuario", autocomplete="username")
        password = st.text_input("Contraseña", type="password", key="login_clave", autocomplete="current-password")
        submitted = st.form_submit_button("Entrar", type="primary")
    if submitted:
        user = verify(name, password)
        if user is None:
            audit("sign_in_failed", (name or "").strip() or "(vacío)", "", "usuario o contraseña incorrectos")
            st.error("Usuario o contraseña incorrectos.")
            return
        _sign_in(user.name, "password")
        st.session_state.pop("login_clave", None)
        st.rerun()


def sign_out() -> None:
    """Forget the session's user (and the identity provider's cookie when it was used)."""
    entry = st.session_state.pop(SESSION_KEY, None) or {}
    viewer = _viewer_of(entry.get("name"))
    if viewer is not None:
        audit("sign_out", viewer.name, viewer.role)
    if entry.get("via") == "oidc":
        st.logout()


def role_label(viewer: Viewer) -> str:
    label = ROLE_LABELS.get(viewer.role, viewer.role)
    return f"{label} ({viewer.municipality})" if viewer.municipality else label


def sidebar_identity(viewer: Viewer) -> None:
    """Who is signed in, with which role, and the sign-out button."""
    with st.sidebar:
        st.caption(f"Sesión: **{viewer.name}** · {role_label(viewer)}")
        if st.button("Cerrar sesión", key="sign_out", icon=":material/logout:"):
            sign_out()
            st.rerun()


def demo_banner() -> None:
    st.warning("**Modo de demostración**: nadie ha iniciado sesión porque aún no existe el archivo de usuarios; "
               "el tablero muestra los datos de muestra en solo lectura (sin cargas ni acuerdos). Para crear el "
               f"primer usuario: `{FIRST_USER}` (la contraseña se lee de la entrada estándar).",
               icon=":material/visibility:")
