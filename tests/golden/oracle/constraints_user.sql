-- constraints: USER_ views (own schema only)
-- binds: (none)
SELECT c.owner, c.constraint_name, c.constraint_type, c.table_name, c.r_owner, c.r_constraint_name,
       c.status, c.validated, c.delete_rule, c.index_owner, c.index_name, c.generated, c.search_condition_vc
  FROM USER_CONSTRAINTS c
 WHERE c.constraint_type IN ('P', 'U', 'R', 'C')
   AND c.table_name NOT LIKE 'BIN$%'
 ORDER BY 1, 4, 2
