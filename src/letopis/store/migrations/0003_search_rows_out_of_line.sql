-- 0003: on PostgreSQL, the lemma text and tsvector of each full-text row are kept out of line (TOAST),
-- so the table's own rows are small: a search that finds the newest of many matches through the GIN
-- index reads ~100 bytes a match, not ~1.3 kB (130 MB of rows at 100,000 documents, 11 MB after).
-- Rows written before keep their layout until `VACUUM FULL documents_fts`. SQLite: nothing to do.
-- [postgresql]
ALTER TABLE documents_fts SET (toast_tuple_target = 128);
-- [both]
