"""Streamlit building blocks shared by the pages: context, filter bar, tables, downloads."""
