"""`build --sample` (warehouse/build.py): the sample files are written by a child process while this
one loads them; a generator that dies ends the build with an error instead of a wait."""
from __future__ import annotations

import pytest

from warehouse.build import BuildError, _SampleFiles


def test_a_generator_that_dies_ends_the_build_with_an_error(tmp_path):
    files = _SampleFiles(tmp_path)
    files.child.kill()                       # killed before writing its first file
    with pytest.raises(BuildError, match="generador de la muestra terminó"):
        list(files)
    assert not files.child.is_alive()


def test_a_generator_error_is_reported_with_its_cause(tmp_path):
    blocked = tmp_path / "not_a_folder"
    blocked.write_text("x")                  # the sample's folders cannot be made under a file
    with pytest.raises(BuildError, match="generador de la muestra falló"):
        list(_SampleFiles(blocked))
