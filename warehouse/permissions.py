"""Roles and what each may do: the one table the UI and the action code paths both consult.

direccion: every page, read-only. analista: every page, upload, revert and agreements.
municipal: its municipality's rows plus department and national aggregates, read-only.
admin: every page read-only, the users page and the audit trail. demo: no one signed in (no users
file yet): read-only over the sample data. Anything else (a missing or unknown role) may do nothing.
"""
from __future__ import annotations

USER_ROLES = ("direccion", "analista", "municipal", "admin")    # roles a users file may hold
ROLE_LABELS = {"direccion": "Dirección", "analista": "Analista", "municipal": "Municipal",
               "admin": "Administración", "demo": "Demostración",
               "linea_de_comandos": "Línea de comandos"}   # loads and reverts run on the server's shell

CAPABILITIES = {
    "upload": {"analista"},
    "revert": {"analista"},
    "agreements": {"analista"},
    "audit": {"analista", "direccion", "admin"},
    "users": {"admin"},
}
ACTION_TEXT = {"upload": "cargar datos", "revert": "revertir cargas", "agreements": "registrar o cambiar acuerdos",
               "audit": "ver el registro de auditoría", "users": "administrar usuarios"}


class PermissionDenied(PermissionError):
    """The viewer's role may not do this; the message says so in Spanish."""


def allowed(role: str | None, action: str) -> bool:
    """True only for a known action and a role listed for it (fails closed)."""
    return role in CAPABILITIES.get(action, ())


def require(who, action: str) -> None:
    """Raise PermissionDenied unless `who` (a role, or anything with .role such as a Viewer) may do `action`."""
    role = who if isinstance(who, str) else getattr(who, "role", None)
    if not allowed(role, action):
        raise PermissionDenied(f"El rol «{ROLE_LABELS.get(role, role or 'sin rol')}» no permite "
                               f"{ACTION_TEXT.get(action, action)}.")
