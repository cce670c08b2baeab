-- 0002: the cross-document knowledge base (letopis.kb): why each document entity is linked to its
-- store entity, the keys entities are matched by, reviews of facts, and curation (an audit log
-- plus the curated state it left, keyed by names and sources so that it survives re-ingest).

-- How each document's entity was linked: the document's name for it and the rule that decided.
ALTER TABLE doc_entities ADD COLUMN name TEXT;            -- the document entity's name
ALTER TABLE doc_entities ADD COLUMN name_key TEXT;        -- that name, normalised (kb.names.entity_key)
ALTER TABLE doc_entities ADD COLUMN names TEXT;           -- JSON: its name and aliases in that document
ALTER TABLE doc_entities ADD COLUMN rule TEXT;            -- "new", "same_name", "person_initials", "curated", …
ALTER TABLE doc_entities ADD COLUMN evidence TEXT;        -- what the rule saw, in words
CREATE INDEX doc_entities_name_key ON doc_entities (name_key);

CREATE VIEW entity_links AS
SELECT de.doc_id, de.local_id, de.entity_id, de.name, de.rule, de.evidence, de.mentions
FROM doc_entities AS de;

-- Every alias of an entity as the keys it can be matched by (kb.names.keys_for).
CREATE TABLE entity_keys (
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    type       TEXT NOT NULL,
    space      TEXT NOT NULL,          -- "name", "initials", "abbreviation", "person", "person_name"
    key        TEXT NOT NULL,
    alias      TEXT NOT NULL,
    derivation TEXT NOT NULL,          -- how the key was made from the alias
    UNIQUE (entity_id, space, key, alias)
);
CREATE INDEX entity_keys_lookup ON entity_keys (type, space, key);

-- Positions: a key to compare titles by, whether the title heads an organisation, and the key of
-- the organisation it names ("министр иностранных дел РК" -> министерство иностранный дело казахстан).
ALTER TABLE positions ADD COLUMN title_key TEXT;
ALTER TABLE positions ADD COLUMN head INTEGER NOT NULL DEFAULT 0;
ALTER TABLE positions ADD COLUMN office_key TEXT;
CREATE INDEX positions_organization ON positions (organization_entity_id);

-- A curator's verdict on a fact: NULL (not reviewed), 'confirmed' or 'rejected'.
ALTER TABLE positions ADD COLUMN review TEXT;
ALTER TABLE quotes ADD COLUMN review TEXT;
ALTER TABLE events ADD COLUMN review TEXT;

-- Every curation edit: who, when, what, before and after (JSON).
CREATE TABLE curation_log (
    id       {{id}},
    at       TEXT NOT NULL,
    by       TEXT NOT NULL,
    action   TEXT NOT NULL,            -- "merge", "split", "rename", "confirm", "reject"
    group_id INTEGER,                  -- the curated group an entity edit changed
    target   TEXT NOT NULL,
    before   TEXT NOT NULL,
    after    TEXT NOT NULL
);

-- The state curation left, re-applied whenever a document is (re)written: names that belong
-- together (a group) follow one entity, with the group's name if it was renamed.
CREATE TABLE curated_groups (
    id        {{id}},
    type      TEXT NOT NULL,
    name      TEXT,                    -- set by rename
    entity_id INTEGER REFERENCES entities (id) ON DELETE SET NULL,
    edit_id   INTEGER NOT NULL         -- the last edit that changed the group
);
CREATE TABLE curated_names (
    type     TEXT NOT NULL,
    key      TEXT NOT NULL,            -- a document entity's name key
    scope    TEXT NOT NULL,            -- '' everywhere, else only in the document from this source key
    group_id INTEGER NOT NULL REFERENCES curated_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (type, key, scope)
);
CREATE INDEX curated_names_group ON curated_names (group_id);

-- Reviews of facts, keyed by source and content (not by row id), applied again on re-ingest.
CREATE TABLE fact_reviews (
    kind       TEXT NOT NULL,          -- "position", "quote", "event"
    source_key TEXT NOT NULL,
    signature  TEXT NOT NULL,          -- kb.curation.*_signature
    status     TEXT NOT NULL,          -- 'confirmed' or 'rejected'
    edit_id    INTEGER NOT NULL,
    PRIMARY KEY (kind, source_key, signature)
);
