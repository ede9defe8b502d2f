-- columns: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT c.owner AS owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,
       TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,
       c.nullable, c.virtual_column, c.hidden_column, c.identity_column, id.generation_type, c.default_on_null
  FROM DBA_TAB_COLS c
  JOIN DBA_TABLES t ON t.owner = c.owner AND t.table_name = c.table_name
  LEFT JOIN DBA_TAB_IDENTITY_COLS id ON id.owner = c.owner AND id.table_name = c.table_name AND id.column_name = c.column_name
 WHERE c.user_generated = 'YES'
   AND c.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 2, c.column_id
