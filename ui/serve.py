"""Start the dashboard: `python -m ui.serve [streamlit options]` (what `make run` does).

The same as `streamlit run app.py [options]`, plus the preload (ui/preload.py): the server imports its
libraries and opens the warehouse while it starts, not while the first visitor waits.
"""
from __future__ import annotations

import sys

from warehouse.paths import ROOT


def main(argv: list[str]) -> None:
    from streamlit.web import cli  # first: importing streamlit imports pandas and plotly itself

    from ui import preload

    preload.start()

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
