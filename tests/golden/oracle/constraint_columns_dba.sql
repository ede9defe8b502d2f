-- constraint_columns: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT cc.owner, cc.constraint_name, cc.table_name, cc.column_name, TO_CHAR(cc.position) AS position
  FROM DBA_CONS_COLUMNS cc
 WHERE (cc.owner, cc.constraint_name) IN (
       SELECT k.owner, k.constraint_name FROM DBA_CONSTRAINTS k WHERE k.constraint_type IN ('P', 'U', 'R')
   AND k.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
       UNION
       SELECT k.r_owner, k.r_constraint_name FROM DBA_CONSTRAINTS k WHERE k.constraint_type = 'R'
   AND k.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y'))
 ORDER BY 1, 2, cc.position
