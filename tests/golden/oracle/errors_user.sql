-- errors: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS owner, e.name, e.type, TO_CHAR(e.sequence) AS sequence, TO_CHAR(e.line) AS line,
       TO_CHAR(e.position) AS position, e.attribute, e.text
  FROM USER_ERRORS e
 WHERE 1 = 1
 ORDER BY 1, 3, 2, e.sequence
