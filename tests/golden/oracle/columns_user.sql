-- columns: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,
       TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,
       c.nullable, c.virtual_column
  FROM USER_TAB_COLS c
  JOIN USER_TABLES t ON t.table_name = c.table_name
 WHERE c.hidden_column = 'NO'
 ORDER BY 1, 2, c.column_id
