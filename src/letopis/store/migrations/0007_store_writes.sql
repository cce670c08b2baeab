-- 0007: on PostgreSQL, a counter every write transaction moves (PostgresDialect.begin_write): a bulk
-- load keeps what it read (letopis.kb.memo) from one chunk to the next only while no other write
-- came in between (Store.add_many). A sequence, not a table: nextval waits for no other transaction
-- and is no row of the knowledge base. SQLite: nothing to do (PRAGMA data_version tells).
-- [postgresql]
CREATE SEQUENCE store_writes;
-- [both]
