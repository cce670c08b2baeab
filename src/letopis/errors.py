"""The few exceptions users see, each with a clear message."""


class LetopisError(Exception):
    """Base class for errors shown to users as one line, without a traceback."""


class SourceError(LetopisError):
    """A source (file, feed item, table row) cannot be read."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(LetopisError):
    """The store cannot be opened or written."""


class QueryError(LetopisError):
    """A search query cannot be understood."""


class ExtractionTimeout(LetopisError):
    """Extracting facts from one document took longer than the per-document time limit."""

    def __init__(self, source: str, seconds: float) -> None:
        super().__init__(f"{source}: extraction stopped after {seconds:g} s (time limit per document)")
        self.source = source
        self.seconds = seconds


class DocumentConflict(StoreError):
    """A document that would replace another text: its id is taken by another source's document, or
    its source gave another text for it earlier in the same run."""
