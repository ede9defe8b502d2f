-- database identity: container DBID and name (12.1+, no grant needed)
-- binds: (none)
SELECT SYS_CONTEXT('USERENV', 'CON_DBID') AS dbid, SYS_CONTEXT('USERENV', 'CON_NAME') AS name
  FROM dual
