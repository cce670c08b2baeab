-- 0005: on PostgreSQL, the long values a document brings (its text, its contract record, the lemmas
-- of its full-text row and their tsvector) are compressed with lz4 instead of pglz. pglz was half
-- the time the server spent writing a documents row: COPY of 10,000 documents 2.1 -> 1.0 s, of their
-- full-text rows 2.9 -> 2.4 s (a bulk load onto an empty store), for a database 7% larger.
-- Rows written before keep pglz (each value says how it is compressed). A server built without lz4,
-- or older than PostgreSQL 14, keeps pglz. SQLite: nothing to do.
-- [postgresql]
DO $$
BEGIN
    ALTER TABLE documents ALTER COLUMN text SET COMPRESSION lz4, ALTER COLUMN record SET COMPRESSION lz4;
    ALTER TABLE documents_fts
        ALTER COLUMN title SET COMPRESSION lz4,
        ALTER COLUMN body SET COMPRESSION lz4,
        ALTER COLUMN lemmas SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
    RAISE NOTICE 'lz4 compression is not available: long values stay compressed with pglz';
END
$$;
-- [both]
