"""The users file: who may sign in, with which role, and their argon2 password hash.

It lives outside git ($SPSU_USERS, default data/users.toml), is written atomically (temporary file,
fsync, rename) with 0600 permissions, and never holds a clear-text password. A user's name may be an
e-mail address: an OIDC identity (st.login) signs in as the user whose name is its e-mail.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from warehouse.paths import ROOT
from warehouse.permissions import USER_ROLES

DEFAULT_USERS = ROOT / "data" / "users.toml"
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@+-]{0,99}")
MIN_PASSWORD = 8
_hasher = PasswordHasher()
_dummy_hash: list[str] = []     # verified when the name is unknown (same cost either way); made on first use,
                                # not at import (an argon2 hash costs 0.2-0.3 s of every page's cold start)


def _dummy() -> str:
    if not _dummy_hash:
        _dummy_hash.append(_hasher.hash("tablero-spsu-no-user"))
    return _dummy_hash[0]


class UserError(ValueError):
    """A refused users-file change; the message is Spanish, for the person at the terminal."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    municipality: str | None = None
    created_at: str | None = None


def users_path(explicit: str | os.PathLike | None = None) -> Path:
    """--users, else $SPSU_USERS, else data/users.toml."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("SPSU_USERS")
    return Path(env) if env else DEFAULT_USERS


def normalize_name(name: str) -> str:
    return (name or "").strip().lower()


def _read(path: Path) -> dict:
    """{name: entry dict} from the file ({} when it does not exist)."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"El archivo de usuarios {path} está dañado: {exc}") from None
    return data.get("users", {})


def load_users(path=None) -> dict[str, User]:
    """Every user of the file by name (no hashes)."""
    return {name: User(name, e.get("role", ""), e.get("municipality") or None, e.get("created_at"))
            for name, e in _read(users_path(path)).items()}


def users_file_exists(path=None) -> bool:
    return users_path(path).is_file()


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)   # a JSON string is a valid TOML basic string


def _write(path: Path, entries: dict) -> None:
    """Write the whole file atomically, readable by its owner only."""
    lines = ["# Usuarios del Tablero SPSU. Gestionar con: python -m warehouse users add|list|remove",
             "# Las contraseñas están cifradas con argon2; no edite las claves a mano.", ""]
    for name in sorted(entries):
        lines.append(f"[users.{_toml_string(name)}]")
        for key in ("role", "municipality", "created_at", "password_hash"):
            if entries[name].get(key):
                lines.append(f"{key} = {_toml_string(str(entries[name][key]))}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def _locked(path: Path):
    """Serialise changes to the users file (two terminals adding users at once lose nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(str(path) + ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def municipality_exists(code: str, warehouse=None) -> bool:
    """Whether the warehouse's municipalities table holds `code` (raises WarehouseMissing without one)."""
    from warehouse.paths import warehouse_path
    from warehouse.store import read_connection
    with read_connection(warehouse_path(warehouse)) as con:
        return bool(con.execute("SELECT 1 FROM municipalities WHERE code = ?", [code]).fetchall())


def add_user(name: str, role: str, password: str, municipality: str | None = None, *, path=None,
             warehouse=None) -> User:
    """Add a user (or replace that user's role and password); raises UserError with the reason."""
    name = normalize_name(name)
    if not NAME_PATTERN.fullmatch(name):
        raise UserError(f"El nombre «{name}» no es válido: use letras sin tildes, números y . _ @ + - "
                        "(hasta 100 caracteres; p. ej. ana.perez o ana.perez@stp.gob.sv).")
    if role not in USER_ROLES:
        raise UserError(f"El rol «{role}» no existe; use uno de: {', '.join(USER_ROLES)}.")
    municipality = (municipality or "").strip() or None
    if role == "municipal" and not municipality:
        raise UserError("Un usuario municipal necesita el código de su municipio: --municipality 0101.")
    if role != "municipal" and municipality:
        raise UserError(f"Solo los usuarios municipales tienen municipio; el rol «{role}» ve todo el país.")
    if municipality and not municipality_exists(municipality, warehouse):
        raise UserError(f"El municipio «{municipality}» no existe en el almacén (use el código DIGESTYC de "
                        "4 dígitos, p. ej. 0101).")
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"La contraseña es demasiado corta: use al menos {MIN_PASSWORD} caracteres.")
    path = users_path(path)
    created = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with _locked(path):
        entries = _read(path)
        entries[name] = {"role": role, "municipality": municipality, "created_at": created,
                         "password_hash": _hasher.hash(password)}
        _write(path, entries)
    return User(name, role, municipality, created)


def remove_user(name: str, *, path=None) -> None:
    name = normalize_name(name)
    path = users_path(path)
    with _locked(path):
        entries = _read(path)
        if name not in entries:
            raise UserError(f"El usuario «{name}» no existe en {path}.")
        del entries[name]
        _write(path, entries)


def verify(name: str, password: str, *, path=None) -> User | None:
    """The user if the password is right, else None (an unknown name costs the same time)."""
    name = normalize_name(name)
    entry = _read(users_path(path)).get(name)
    try:
        _hasher.verify(entry["password_hash"] if entry else _dummy(), password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not entry or entry.get("role") not in USER_ROLES:
        return None
    return User(name, entry["role"], entry.get("municipality") or None, entry.get("created_at"))


def user_for_email(email: str | None, *, path=None) -> User | None:
    """The user whose name is this OIDC identity's e-mail (case-insensitive), with a valid role."""
    user = load_users(path).get(normalize_name(email or ""))
    return user if email and user and user.role in USER_ROLES else None
