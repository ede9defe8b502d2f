-- the DDL of one secondary index (plan, ddl indexes)
-- binds: :1="emp name ix" :2="HR"
SELECT DBMS_METADATA.GET_DDL('INDEX', :1, :2) FROM DUAL
