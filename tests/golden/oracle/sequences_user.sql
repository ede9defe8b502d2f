-- sequences: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS sequence_owner, s.sequence_name, TO_CHAR(s.last_number) AS last_number,
       TO_CHAR(s.increment_by) AS increment_by, TO_CHAR(s.min_value) AS min_value,
       TO_CHAR(s.max_value) AS max_value, s.cycle_flag
  FROM USER_SEQUENCES s
 WHERE 1 = 1
 ORDER BY 1, 2
