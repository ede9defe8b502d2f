-- database charset, national charset, length semantics
-- binds: (none)
SELECT parameter, value
  FROM nls_database_parameters
 WHERE parameter IN ('NLS_CHARACTERSET', 'NLS_NCHAR_CHARACTERSET', 'NLS_LENGTH_SEMANTICS', 'NLS_RDBMS_VERSION')
