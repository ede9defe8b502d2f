-- constraint_columns: USER_ views (own schema only)
-- binds: (none)
SELECT cc.owner, cc.constraint_name, cc.table_name, cc.column_name, TO_CHAR(cc.position) AS position
  FROM USER_CONS_COLUMNS cc
 WHERE (cc.owner, cc.constraint_name) IN (
       SELECT k.owner, k.constraint_name FROM USER_CONSTRAINTS k WHERE k.constraint_type IN ('P', 'U', 'R')
       UNION
       SELECT k.r_owner, k.r_constraint_name FROM USER_CONSTRAINTS k WHERE k.constraint_type = 'R')
 ORDER BY 1, 2, cc.position
