-- errors: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT e.owner AS owner, e.name, e.type, TO_CHAR(e.sequence) AS sequence, TO_CHAR(e.line) AS line,
       TO_CHAR(e.position) AS position, e.attribute, e.text
  FROM DBA_ERRORS e
 WHERE 1 = 1
   AND e.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 3, 2, e.sequence
