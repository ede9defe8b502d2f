-- index_columns: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS index_owner, ic.index_name, ic.table_name, ic.column_name,
       TO_CHAR(ic.column_position) AS column_position, ic.descend, e.column_expression
  FROM USER_IND_COLUMNS ic
  LEFT JOIN USER_IND_EXPRESSIONS e ON e.index_name = ic.index_name AND e.column_position = ic.column_position
 WHERE 1 = 1
 ORDER BY 1, 2, ic.column_position
