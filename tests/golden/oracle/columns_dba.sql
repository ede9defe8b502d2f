-- columns: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT c.owner AS owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,
       TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,
       c.nullable, c.virtual_column
  FROM DBA_TAB_COLS c
  JOIN DBA_TABLES t ON t.owner = c.owner AND t.table_name = c.table_name
 WHERE c.hidden_column = 'NO'
   AND c.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 2, c.column_id
