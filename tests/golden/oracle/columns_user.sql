-- columns: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,
       TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,
       c.nullable, c.virtual_column, c.hidden_column, c.identity_column, id.generation_type, c.default_on_null
  FROM USER_TAB_COLS c
  JOIN USER_TABLES t ON t.table_name = c.table_name
  LEFT JOIN USER_TAB_IDENTITY_COLS id ON id.table_name = c.table_name AND id.column_name = c.column_name
 WHERE c.user_generated = 'YES'
 ORDER BY 1, 2, c.column_id
