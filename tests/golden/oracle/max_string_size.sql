-- MAX_STRING_SIZE from V$PARAMETER
-- binds: (none)
SELECT value FROM v$parameter WHERE name = 'max_string_size'
