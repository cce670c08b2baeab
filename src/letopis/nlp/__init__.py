"""Natural-language stages: each `stage(doc) -> doc` adds one kind of fact."""
