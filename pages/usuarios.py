"""Usuarios (admin only): who may sign in, with which role; add, change or remove a user."""
import polars as pl
import streamlit as st

from ui.context import current_viewer, page_header
from warehouse.permissions import ROLE_LABELS, USER_ROLES, PermissionDenied, allowed, require
from warehouse.store import WarehouseMissing
from warehouse.users import UserError, add_user, load_users, remove_user, users_path

page_header("Usuarios", "quién puede entrar al tablero y con qué rol")
viewer = current_viewer()
if not allowed(viewer.role, "users"):
    st.error("Esta página es solo para el rol Administración.")
    st.stop()

st.caption(f"Archivo de usuarios: `{users_path()}` (fuera de git, permisos 0600). También se gestiona con "
           "`python -m warehouse users add|list|remove`.")
users = load_users()
frame = pl.DataFrame([(u.name, ROLE_LABELS.get(u.role, u.role), u.municipality or "—", u.created_at or "—")
                      for u in sorted(users.values(), key=lambda u: u.name)],
                     schema={"usuario": pl.String, "rol": pl.String, "municipio": pl.String, "creado": pl.String},
                     orient="row")
st.dataframe(frame, hide_index=True, width="stretch")

if message := st.session_state.pop("usr_done", None):
    st.success(message)

st.subheader("Agregar o cambiar un usuario")
with st.form("usuario_nuevo", clear_on_submit=True):
    cols = st.columns(3)
    name = cols[0].text_input("Usuario", help="Letras sin tildes, números y . _ @ + -; para el proveedor de "
                                             "identidad, el correo institucional.")
    role = cols[1].selectbox("Rol", USER_ROLES, format_func=ROLE_LABELS.get)
    municipality = cols[2].text_input("Municipio (solo rol municipal)", placeholder="0101")
    password = st.text_input("Contraseña (mínimo 8 caracteres)", type="password")
    submitted = st.form_submit_button("Guardar usuario", type="primary")
if submitted:
    try:
        require(viewer, "users")
        user = add_user(name, role, password, municipality or None)
    except (UserError, PermissionDenied, WarehouseMissing) as exc:
        st.error(f"No se guardó el usuario: {exc}")
    else:
        st.session_state["usr_done"] = f"Usuario «{user.name}» guardado con rol {ROLE_LABELS[user.role]}."
        st.rerun()

st.subheader("Quitar un usuario")
others = [n for n in sorted(users) if n != viewer.name]
if not others:
    st.info("No hay otros usuarios que quitar (nadie puede quitarse a sí mismo).")
else:
    cols = st.columns([3, 1])
    chosen = cols[0].selectbox("Usuario", others, key="usr_quitar")
    with cols[1]:
        st.write("")
        if st.button("Quitar usuario", key="usr_quitar_btn"):
            try:
                require(viewer, "users")
                remove_user(chosen)
            except (UserError, PermissionDenied) as exc:
                st.error(str(exc))
            else:
                st.session_state["usr_done"] = f"Usuario «{chosen}» quitado: ya no puede entrar."
                st.rerun()
