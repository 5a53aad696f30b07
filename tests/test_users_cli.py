"""`python -m warehouse users add|list|remove`: the users file (argon2 hashes, 0600, atomic) and its refusals."""
from __future__ import annotations

import io
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.cli import main
from warehouse.users import load_users, user_for_email, verify

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "una-clave-larga-9"


def run(args: list[str], capsys, monkeypatch, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["users", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_list_remove_through_the_real_command(no_users_file):
    """The contract other tools call: a fresh process, the password on stdin, never on the command line."""
    env = {"SPSU_USERS": str(no_users_file), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "warehouse", "users"]
    added = subprocess.run([*cmd, "add", "admin", "--role", "admin", "--password-stdin"], input=PASSWORD + "\n",
                           capture_output=True, text=True, cwd=ROOT, env=env)
    assert added.returncode == 0, added.stderr
    assert stat.S_IMODE(no_users_file.stat().st_mode) == 0o600
    text = no_users_file.read_text()
    assert PASSWORD not in text and "$argon2id$" in text        # hashed, never in clear
    listed = subprocess.run([*cmd, "list"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert listed.returncode == 0 and listed.stdout.split("\t")[:2] == ["admin", "admin"]
    assert "argon2" not in listed.stdout and PASSWORD not in listed.stdout
    removed = subprocess.run([*cmd, "remove", "admin"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert removed.returncode == 0 and load_users(no_users_file) == {}


def test_password_verifies_and_wrong_one_does_not(no_users_file, capsys, monkeypatch):
    assert run(["add", "Ana.Perez", "--role", "analista", "--password-stdin"], capsys, monkeypatch, PASSWORD)[0] == 0
    user = verify("ana.perez", PASSWORD, path=no_users_file)          # names are case-insensitive
    assert (user.name, user.role, user.municipality) == ("ana.perez", "analista", None)
    assert verify("ana.perez", PASSWORD + "x", path=no_users_file) is None
    assert verify("nadie", PASSWORD, path=no_users_file) is None
    code, out, err = run(["list"], capsys, monkeypatch)
    assert code == 0 and out.startswith("ana.perez\tanalista\t-\t") and "argon2" not in out


@pytest.mark.parametrize("args, message", [
    (["add", "x", "--role", "jefe", "--password-stdin"], "El rol «jefe» no existe"),
    (["add", "m", "--role", "municipal", "--password-stdin"], "Un usuario municipal necesita el código"),
    (["add", "d", "--role", "direccion", "--municipality", "0101", "--password-stdin"], "Solo los usuarios municipales"),
    (["add", "con espacio", "--role", "analista", "--password-stdin"], "no es válido"),
    (["remove", "nadie"], "El usuario «nadie» no existe"),
])
def test_refusals_are_spanish_exit_2_and_write_nothing(no_users_file, capsys, monkeypatch, args, message):
    code, out, err = run(args, capsys, monkeypatch, PASSWORD)
    assert code == 2 and message in err and not out
    assert not no_users_file.exists()


def test_short_password_is_refused(no_users_file, capsys, monkeypatch):
    code, _, err = run(["add", "a", "--role", "analista", "--password-stdin"], capsys, monkeypatch, "corta")
    assert code == 2 and "demasiado corta" in err and not no_users_file.exists()


def test_municipal_user_needs_a_municipality_of_the_warehouse(sample_warehouse, no_users_file, capsys, monkeypatch):
    code, _, err = run(["add", "m", "--role", "municipal", "--municipality", "9999", "--password-stdin"],
                       capsys, monkeypatch, PASSWORD)
    assert code == 2 and "El municipio «9999» no existe en el almacén" in err
    code, out, _ = run(["add", "m", "--role", "municipal", "--municipality", "0101", "--password-stdin"],
                       capsys, monkeypatch, PASSWORD)
    assert code == 0 and "municipio 0101" in out
    assert load_users(no_users_file)["m"].municipality == "0101"


def test_an_oidc_email_maps_to_the_user_of_that_name(no_users_file, capsys, monkeypatch):
    run(["add", "Jefa@STP.gob.sv", "--role", "direccion", "--password-stdin"], capsys, monkeypatch, PASSWORD)
    assert user_for_email("jefa@stp.gob.sv", path=no_users_file).role == "direccion"
    assert user_for_email("otra@stp.gob.sv", path=no_users_file) is None
    assert user_for_email(None, path=no_users_file) is None
