-- charmig audit tables (PostgreSQL). charmig creates them itself when absent (in its own
-- schema, charmig, unless --audit-schema says otherwise); this script is for DBAs who prefer
-- to create them by hand:
--   psql -v audit_schema=charmig -f audit_tables_postgres.sql
-- One row per changed cell. original_bytes holds the exact stored bytes (server encoding),
-- original_value the same as text, for reading; new_bytes what charmig wrote (a restore puts
-- the original back only where the cell still holds exactly these bytes). key_columns names
-- the row's key (primary key, or a unique key of NOT NULL columns); row_id holds those
-- columns' stored bytes in hex, comma-separated, or for a table without a key 'md5:' and the
-- md5 of the whole row as charmig left it.
CREATE SCHEMA IF NOT EXISTS :"audit_schema";

CREATE TABLE IF NOT EXISTS :"audit_schema".charmig_truncated (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner          text        NOT NULL,
  table_name     text        NOT NULL,
  column_name    text        NOT NULL,
  key_columns    text[]      NOT NULL,
  row_id         text        NOT NULL,
  original_value text,
  original_bytes bytea       NOT NULL,
  new_bytes      bytea       NOT NULL,
  kept_chars     integer     NOT NULL,
  charset        text        NOT NULL,
  truncated_at   timestamptz NOT NULL DEFAULT now(),
  run_id         text        NOT NULL
);

CREATE TABLE IF NOT EXISTS :"audit_schema".charmig_repaired (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner          text        NOT NULL,
  table_name     text        NOT NULL,
  column_name    text        NOT NULL,
  key_columns    text[]      NOT NULL,
  row_id         text        NOT NULL,
  original_value text,
  original_bytes bytea       NOT NULL,
  new_bytes      bytea       NOT NULL,
  mode_used      text        NOT NULL,
  charset        text        NOT NULL,
  repaired_at    timestamptz NOT NULL DEFAULT now(),
  run_id         text        NOT NULL
);
