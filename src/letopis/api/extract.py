"""`POST /extract`: run the pipeline on a text sent as JSON and answer with the contract JSON."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, ValidationError

from letopis.api.deps import ISO_DAY, read_limited_body
from letopis.api.errors import validation_message
from letopis.errors import ExtractionTimeout
from letopis.model import Document, document_id

MAX_BODY_BYTES = 1024 * 1024

router = APIRouter(tags=["extract"])
_pipeline_lock = threading.Lock()


class ExtractRequest(BaseModel):
    """A text to run through the pipeline; `published` helps resolve dates without a year."""

    text: str = Field(description="The article's text.")
    published: str | None = Field(default=None, pattern=ISO_DAY, description="YYYY-MM-DD")
    title: str | None = None
    url: str | None = None


def parse_request(body: bytes) -> ExtractRequest:
    """The JSON body as an `ExtractRequest`; 422 with a readable message when it is not one."""
    try:
        payload = ExtractRequest.model_validate_json(body)
    except ValidationError as error:
        raise HTTPException(status_code=422, detail=validation_message(error.errors())) from error
    if not payload.text.strip():
        raise HTTPException(status_code=422, detail='text is empty: send the article in the "text" field')
    return payload


def run_pipeline(payload: ExtractRequest) -> dict[str, Any]:
    """The contract JSON of the text; one extraction at a time, as the models are shared, each within
    the per-document time limit (a 422 naming it when over)."""
    from letopis.nlp.pipeline import default_stages, extract_within

    doc = Document(
        id=document_id("api", payload.text),
        source="api",
        text=payload.text,
        url=payload.url,
        title=payload.title,
        published=payload.published,
    )
    with _pipeline_lock:
        try:
            return extract_within(doc, default_stages()).to_dict()
        except ExtractionTimeout as error:
            raise HTTPException(status_code=422, detail=str(error)) from error


@router.post(
    "/extract",
    summary="Extract facts from a text",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ExtractRequest.model_json_schema()}},
        }
    },
    responses={413: {"description": "Body larger than 1 MB"}, 422: {"description": "No text, or bad JSON"}},
)
async def extract_text(request: Request) -> dict[str, Any]:
    """The contract JSON (mentions, entities, positions, quotes, dates, events, topics) of one text.

    Example: `curl -d '{"text": "Аида Балаева встретилась с послом."}' http://127.0.0.1:8000/extract`
    """
    payload = parse_request(await read_limited_body(request, MAX_BODY_BYTES))
    return await run_in_threadpool(run_pipeline, payload)
