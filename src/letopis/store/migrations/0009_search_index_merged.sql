-- 0009: SQLite: the full-text indexes merged into one segment each after 0008 wrote every row again.
-- FTS5 keeps each rewrite as new segments that every search then reads: at 100,000 documents the
-- search p95 was 13.8-17.8 ms after 0008 and 11-12 ms once merged (3.6 s). PostgreSQL's GIN index
-- needs nothing here (autovacuum merges its pending list; Store.optimize does at once).
-- [sqlite]
INSERT INTO documents_fts (documents_fts) VALUES ('optimize');
INSERT INTO entities_fts (entities_fts) VALUES ('optimize');
-- [both]
