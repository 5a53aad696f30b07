"""DuckDB warehouse of Tablero SPSU: schema, method views, file access and the query layer."""
