-- sequences: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT s.sequence_owner AS sequence_owner, s.sequence_name, TO_CHAR(s.last_number) AS last_number,
       TO_CHAR(s.increment_by) AS increment_by, TO_CHAR(s.min_value) AS min_value,
       TO_CHAR(s.max_value) AS max_value, s.cycle_flag
  FROM DBA_SEQUENCES s
 WHERE 1 = 1
   AND s.sequence_owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 2
