"""Layout rules a page cannot say through Streamlit's API: how the filter bar folds on a phone."""
from __future__ import annotations

import streamlit as st

PHONE_MAX_PX = 700

# On a wide screen the filter expander is drawn open without its header (a plain row of filters);
# on a phone it stays a folded "Filtros · …" line, so the first screen shows the week and the figures.
# Headline metrics sit three to a row on a phone instead of one under the other.
_CSS = f"""<style>
@media (min-width: {PHONE_MAX_PX + 1}px) {{
  .st-key-filter_bar details::details-content {{ content-visibility: visible !important;
      block-size: auto !important; height: auto !important; }}
  .st-key-filter_bar details > summary {{ display: none !important; }}
  .st-key-filter_bar details, .st-key-filter_bar [data-testid="stExpander"] {{ border: none !important; }}
}}
@media (max-width: {PHONE_MAX_PX}px) {{
  .st-key-headline_tiles [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap !important; gap: 0.5rem !important; }}
  .st-key-headline_tiles [data-testid="stColumn"] {{ min-width: 30% !important; flex: 1 1 30% !important; }}
  .st-key-headline_tiles [data-testid="stMetricValue"] {{ font-size: 1.5rem !important; }}
  .st-key-headline_tiles [data-testid="stCaptionContainer"] {{ display: none; }}
}}
</style>"""


def phone_css() -> None:
    """The CSS above, once per page run."""
    st.html(_CSS)
