-- database identity before 12.1: V$DATABASE (needs SELECT_CATALOG_ROLE)
-- binds: (none)
SELECT TO_CHAR(dbid) AS dbid, name FROM v$database
