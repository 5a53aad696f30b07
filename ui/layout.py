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
  [class*="st-key-headline"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap !important; gap: 0.4rem !important; }}
  [class*="st-key-headline"] [data-testid="stColumn"] {{ min-width: 30% !important; flex: 1 1 30% !important;
      width: 30% !important; }}
  [class*="st-key-headline"] [data-testid="stMetricValue"] {{ font-size: 1.4rem !important; }}
  [class*="st-key-headline"] [data-testid="stMetricLabel"] p {{ font-size: 0.75rem !important; }}
  [class*="st-key-headline"] [data-testid="stCaptionContainer"] {{ display: none; }}
  h1 {{ font-size: 1.7rem !important; padding-top: 0 !important; }}
  h3 {{ font-size: 1.2rem !important; }}
  [data-testid="stMainBlockContainer"] {{ padding-top: 4rem !important; }}
}}
</style>"""


def phone_css() -> None:
    """The CSS above, once per page run."""
    st.html(_CSS)
