"""letopis.kb: the cross-document knowledge base.

- names.py       how names are compared across documents (keys, abbreviations, people's names)
- titles.py      title keys and which titles head an organisation
- entities.py    writing store entities: create, name, aliases and keys, relink, drop
- resolution.py  linking a new document's entities to stored ones, with rule and evidence
- parentheses.py "X (Y)" within one document: Y another name of X (abbreviation, other script)
- curation.py    merge/split/rename entities, confirm/reject facts; logged; re-applied on re-ingest
- timelines.py   posts of a person over time, heads of an organisation over time
- conflicts.py   facts that cannot both hold (two heads of one organisation on one day)
- transfer.py    export to JSON lines / CSV / Parquet and import back
- connection.py  the database connection they work on, as a type

The modules that write work on the store's connection (connection.py: SQL written once for
SQLite and PostgreSQL) inside the store's transaction (store/store.py calls them); they never open,
commit or roll back.
"""
