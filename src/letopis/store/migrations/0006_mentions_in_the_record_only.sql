-- 0006: a document's mentions are kept in its record only (documents.record, the contract JSON with
-- their offsets, normal forms and entities), no longer also one row each. Nothing read the rows but
-- what the links hold too: how many mentions an entity has (doc_entities.mentions) and the names in
-- its first document (the record). At 100,000 documents they were 2.45 million rows, 272 MB with their
-- two indexes (11% of the store), and writing them 12% of a bulk load's time.
-- [both]
DROP TABLE mentions;
