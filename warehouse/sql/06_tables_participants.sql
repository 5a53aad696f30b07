-- RUP (Registro Único de Participantes) extract: anonymized households (loader kind `participants`).
-- No personal data ever reaches this table: loaders/pii.py refuses such files before any write.
CREATE TABLE IF NOT EXISTS participants (
    household_id VARCHAR PRIMARY KEY,      -- pseudonymous id
    municipality_code VARCHAR NOT NULL,
    intervention VARCHAR NOT NULL,         -- CSU or CSR
    area VARCHAR NOT NULL,                 -- urbana or rural
    territory VARCHAR,                     -- AUP (CSU) or cantón (CSR)
    vulnerability_score DOUBLE NOT NULL,   -- 0..100, higher = more vulnerable
    registered_at DATE NOT NULL,           -- entry into the RUP
    programs STRUCT(program_code VARCHAR, received_at DATE)[],   -- programs received, first date of each
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    load_id BIGINT
);

-- Eligibility: a household registered in the RUP is eligible for a program of its intervention when
-- its vulnerability score reaches the program's minimum ('*' = default for every program).
CREATE TABLE IF NOT EXISTS coverage_eligibility (
    program_code VARCHAR PRIMARY KEY,
    min_score DOUBLE NOT NULL,
    is_sample BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT OR IGNORE INTO coverage_eligibility VALUES ('*', 50, true);
