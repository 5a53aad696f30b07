-- Reference data: territory, interventions, ejes and programs.
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS departments (
    department_code VARCHAR PRIMARY KEY,   -- '01'..'14'
    department VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS municipalities (
    code VARCHAR PRIMARY KEY,              -- DDMM, e.g. '0101'
    department_code VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    municipality VARCHAR NOT NULL,
    lat DOUBLE, lon DOUBLE, coord_source VARCHAR,
    intervention VARCHAR NOT NULL DEFAULT 'none',   -- CSU, CSR or none
    csr_group VARCHAR,                     -- severa / alta (CSR only)
    entry_order INTEGER, entry_year INTEGER,
    iimm DOUBLE, settlements INTEGER, violence_index DOUBLE,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    source_note VARCHAR,
    load_id BIGINT
);

CREATE TABLE IF NOT EXISTS ejes (eje_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR);

CREATE TABLE IF NOT EXISTS programs (
    program_code VARCHAR PRIMARY KEY,
    eje_id INTEGER,                        -- NULL for the umbrella logframes (CS, ODM1)
    intervention VARCHAR,                  -- CSU, CSR or NULL
    name VARCHAR NOT NULL,
    institution VARCHAR,
    institution_is_sample BOOLEAN DEFAULT FALSE,
    description VARCHAR
);

CREATE TABLE IF NOT EXISTS boundaries (
    code VARCHAR PRIMARY KEY,              -- municipality code
    geometry_json VARCHAR NOT NULL,        -- GeoJSON geometry
    load_id BIGINT
);
