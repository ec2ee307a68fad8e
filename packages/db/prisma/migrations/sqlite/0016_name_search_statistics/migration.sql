-- Name search at a million people (issue 15): the PostgreSQL migration of this number gives the
-- name-word column finer statistics. SQLite plans a statement before it sees the typed words, so
-- the issuer tells it which table to start from (issuer/src/server/beneficiaries/name-words.ts);
-- nothing changes in the database here.
SELECT 1;
