-- charmig audit tables (PostgreSQL). charmig creates them itself when absent; this script is
-- for DBAs who prefer to create them by hand:
--   psql -v audit_schema=charmig_audit -f audit_tables_postgres.sql
-- original_bytes holds the exact stored bytes (server encoding); original_value the same as
-- text, for reading.
CREATE SCHEMA IF NOT EXISTS :"audit_schema";

CREATE TABLE IF NOT EXISTS :"audit_schema".charmig_truncated (
  owner          text        NOT NULL,
  table_name     text        NOT NULL,
  column_name    text        NOT NULL,
  row_id         text        NOT NULL,
  original_value text,
  original_bytes bytea       NOT NULL,
  kept_chars     integer     NOT NULL,
  charset        text        NOT NULL,
  truncated_at   timestamptz NOT NULL DEFAULT now(),
  run_id         text        NOT NULL,
  PRIMARY KEY (owner, table_name, column_name, row_id)
);

CREATE TABLE IF NOT EXISTS :"audit_schema".charmig_repaired (
  owner          text        NOT NULL,
  table_name     text        NOT NULL,
  column_name    text        NOT NULL,
  row_id         text        NOT NULL,
  original_value text,
  original_bytes bytea       NOT NULL,
  mode_used      text        NOT NULL,
  charset        text        NOT NULL,
  repaired_at    timestamptz NOT NULL DEFAULT now(),
  run_id         text        NOT NULL,
  PRIMARY KEY (owner, table_name, column_name, row_id)
);
