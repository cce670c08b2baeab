-- 0001: documents with their facts, cross-document entities, and the lemma indexes.
-- Columns named after the contract (shared/CONTRACT.md); "end", "from" and "to" are quoted
-- because they are SQL keywords.  JSON is stored as TEXT.  One file for SQLite and PostgreSQL
-- (letopis.store.schema): {{id}} is a key the database assigns; -- [sqlite] / -- [postgresql]
-- sections are for one of them only.  On PostgreSQL, TEXT compares byte by byte as in SQLite.

CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL UNIQUE,  -- rowid of documents_fts: FTS5 rows need integer ids
    source       TEXT NOT NULL,
    item         TEXT,
    source_key   TEXT NOT NULL UNIQUE,     -- absolute path or URL, + "#item" for multi-document sources
    content_hash TEXT NOT NULL,            -- sha1 of the contract JSON (sorted keys, kb_id left null)
    url          TEXT,
    title        TEXT,
    published    TEXT,
    text         TEXT NOT NULL,
    text_offset  INTEGER NOT NULL DEFAULT 0,
    record       TEXT NOT NULL,            -- the full contract object, kb_id filled
    ingested_at  TEXT NOT NULL
);
CREATE INDEX documents_published ON documents (published);

CREATE TABLE entities (
    id            {{id}},
    type          TEXT NOT NULL,
    name          TEXT NOT NULL,
    key           TEXT NOT NULL,           -- lower-cased name, ё as е, single spaces
    mention_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (type, key)
);

CREATE TABLE aliases (
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    key       TEXT NOT NULL,               -- normalised like entities.key, for exact look-ups
    UNIQUE (entity_id, alias)
);
CREATE INDEX aliases_key ON aliases (key);

CREATE TABLE mentions (
    id           {{id}},
    doc_id       TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    text         TEXT NOT NULL,
    type         TEXT NOT NULL,
    normal       TEXT,
    local_entity TEXT,                     -- the document's own entity id ("e1")
    entity_id    INTEGER REFERENCES entities (id)
);
CREATE INDEX mentions_doc ON mentions (doc_id);
CREATE INDEX mentions_entity ON mentions (entity_id);

CREATE TABLE doc_entities (
    doc_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    local_id  TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities (id),
    mentions  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, local_id)
);
CREATE INDEX doc_entities_entity ON doc_entities (entity_id);

CREATE TABLE positions (
    id                     {{id}},
    doc_id                 TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    person                 TEXT NOT NULL,
    person_entity_id       INTEGER REFERENCES entities (id),
    title                  TEXT NOT NULL,
    organization           TEXT,
    organization_entity_id INTEGER REFERENCES entities (id),
    as_of                  TEXT,
    start                  INTEGER NOT NULL,
    "end"                  INTEGER NOT NULL
);
CREATE INDEX positions_doc ON positions (doc_id);
CREATE INDEX positions_person ON positions (person_entity_id);

CREATE TABLE quotes (
    id                {{id}},
    doc_id            TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    speaker           TEXT,
    speaker_entity_id INTEGER REFERENCES entities (id),
    speaker_text      TEXT,
    text              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    start             INTEGER NOT NULL,
    "end"             INTEGER NOT NULL
);
CREATE INDEX quotes_doc ON quotes (doc_id);
CREATE INDEX quotes_speaker ON quotes (speaker_entity_id);

CREATE TABLE dates (
    id        {{id}},
    doc_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT NOT NULL,
    "from"    TEXT,
    "to"      TEXT,
    precision TEXT NOT NULL,
    partial   TEXT
);
CREATE INDEX dates_doc ON dates (doc_id);

CREATE TABLE events (
    id              {{id}},
    doc_id          TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    local_id        TEXT NOT NULL,         -- the contract's event id ("v1")
    type            TEXT NOT NULL,
    name            TEXT NOT NULL,
    status          TEXT NOT NULL,
    "from"          TEXT,
    "to"            TEXT,
    place           TEXT,
    place_entity_id INTEGER REFERENCES entities (id),
    participants    TEXT NOT NULL,         -- JSON list of local entity ids
    organizations   TEXT NOT NULL,         -- JSON list of local entity ids
    outcome         TEXT,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    partial         TEXT
);
CREATE INDEX events_doc ON events (doc_id);

CREATE TABLE topics (
    id     {{id}},
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    scheme TEXT NOT NULL,
    code   TEXT NOT NULL,
    label  TEXT NOT NULL,
    score  DOUBLE PRECISION NOT NULL,
    start  INTEGER NOT NULL,
    "end"  INTEGER NOT NULL
);
CREATE INDEX topics_doc ON topics (doc_id);

-- Lemmas, not words, are indexed (letopis.nlp.lemmas), so any word form finds the others.
-- rowid = documents.seq and entities.id; Cyrillic diacritics matter (й is not и).
-- [sqlite]
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    doc_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE entities_fts USING fts5 (
    entity_id UNINDEXED, names, tokenize = 'unicode61 remove_diacritics 0'
);
-- [postgresql]
-- The same tables with a tsvector of the lemmas ('simple': taken as they are), weighted as FTS5's
-- bm25 weights them: the title (A) twice the body (B).
CREATE TABLE documents_fts (
    rowid  INTEGER PRIMARY KEY,
    doc_id TEXT,
    title  TEXT,
    body   TEXT,
    lemmas tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(body, '')), 'B')
    ) STORED
);
CREATE INDEX documents_fts_lemmas ON documents_fts USING gin (lemmas);
CREATE TABLE entities_fts (
    rowid     INTEGER PRIMARY KEY,
    entity_id INTEGER,
    names     TEXT,
    lemmas    tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(names, ''))) STORED
);
CREATE INDEX entities_fts_lemmas ON entities_fts USING gin (lemmas);

-- SQLite functions the store's SQL uses that PostgreSQL lacks: instr, json_each over a JSON list
-- held as text, group_concat.
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT strpos(haystack, needle)';
CREATE FUNCTION json_each(items text) RETURNS TABLE (value text)
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT jsonb_array_elements_text(items::jsonb)';
-- Strict: the first value starts the list and NULLs are skipped, as in SQLite.
CREATE FUNCTION group_concat_step(joined text, item text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT joined || '','' || item';
CREATE AGGREGATE group_concat(text) (SFUNC = group_concat_step, STYPE = text);
-- [both]
