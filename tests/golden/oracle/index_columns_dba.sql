-- index_columns: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT ic.index_owner AS index_owner, ic.index_name, ic.table_name, ic.column_name,
       TO_CHAR(ic.column_position) AS column_position, ic.descend, e.column_expression
  FROM DBA_IND_COLUMNS ic
  LEFT JOIN DBA_IND_EXPRESSIONS e ON e.index_owner = ic.index_owner AND e.index_name = ic.index_name AND e.column_position = ic.column_position
 WHERE 1 = 1
   AND ic.index_owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 2, ic.column_position
