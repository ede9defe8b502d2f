-- charsets
SELECT parameter, value FROM nls_database_parameters WHERE parameter IN ('NLS_CHARACTERSET', 'NLS_NCHAR_CHARACTERSET') ORDER BY parameter;
-- protocol
SELECT sys_context('USERENV', 'NETWORK_PROTOCOL'), sys_context('USERENV', 'SESSION_USER') FROM dual;
-- privileges
SELECT privilege FROM session_privs ORDER BY privilege;
-- roles
SELECT role FROM session_roles ORDER BY role;
-- dbms_lock
SELECT COUNT(*) FROM all_procedures WHERE owner = 'SYS' AND object_name = 'DBMS_LOCK';
