"""Pure functions from data to Plotly figures, shared by pages and exports."""
