-- orphans of an enabled NOT VALIDATED two-column foreign key (NULL keys are not checked)
-- binds: (none)
SELECT COUNT(*)
  FROM "HR"."order lines" c
 WHERE c."ORDER_ID" IS NOT NULL AND c."line no" IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM "HR"."ORDERS" p WHERE p."ID" = c."ORDER_ID" AND p."LINE_NO" = c."line no")
