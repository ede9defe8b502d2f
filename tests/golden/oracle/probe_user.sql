-- is this view family readable (ORA-00942 -> next)
-- binds: (none)
SELECT 1 FROM USER_TAB_COLS WHERE ROWNUM = 1
