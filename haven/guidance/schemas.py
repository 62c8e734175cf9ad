"""Guidance's input models (every field rule of its writes) and the API's output schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, JsonValue, StringConstraints

from haven.core.operations import Input
from haven.core.permissions import Role
from haven.core.types import Line, Says, Text
from haven.guidance.choices import Kind, Place, Status

# A web address of the document or video (never the video itself): http(s), one line, no spaces.
WebAddress = Annotated[
    str,
    StringConstraints(pattern=r"^(https?://[^\s\x00-\x1f\x7f]+)?$", max_length=500),
    Says("the web address", invalid="Enter a web address starting with https://"),
]
FileReference = Annotated[str, Line(200), Says("the document store reference")]
WhatChanged = Annotated[str, Text(2_000, min_length=1), Says("what changed")]
ReviewDate = Field(description="After today, and no further off than force policy allows.")

# An item is found by its web address or its document store reference: at least one of them (the schema
# says so, so a client building a body from the document sends one).
ONE_SOURCE: list[JsonValue] = [
    {"required": ["url"], "properties": {"url": {"minLength": 1}}},
    {"required": ["file_reference"], "properties": {"file_reference": {"minLength": 1}}},
]


class ItemCreateIn(Input):
    """Add a document or video briefing to the library: its first version is published with it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "What to do when a child is reported missing",
                    "kind": "video",
                    "summary": "The first questions to ask, grading the risk and the searches to start at once.",
                    "places": ["reporting_missing", "missing_investigation"],
                    "review_date": "2099-06-30",
                    "url": "https://learning.example.police.uk/briefings/child-reported-missing",
                }
            ],
            "anyOf": ONE_SOURCE,
        }
    )

    title: Annotated[str, Line(200, min_length=1), Says("the title")]
    kind: Annotated[Kind, Says("whether it is a document or a video briefing")]
    summary: Annotated[str, Text(2_000, min_length=1), Says("the summary")]
    places: Annotated[
        list[Place],
        Field(min_length=1, max_length=len(Place)),
        Says("where it applies", required="Select where it applies"),
    ]
    review_date: Annotated[date, Says("the review date")] = ReviewDate
    url: WebAddress = ""
    file_reference: FileReference = ""
    owner: Annotated[str, Line(150), Says("the owner")] = Field(
        default="", description="The owner's username or collar number (by default, whoever adds it)."
    )
    team: Annotated[str, Line(32), Says("the owning team")] = Field(default="", description="The owning team's code.")


class VersionPublishIn(Input):
    """Publish a new version: everyone it is required of must read it again."""

    model_config = ConfigDict(json_schema_extra={"anyOf": ONE_SOURCE})

    what_changed: WhatChanged
    review_date: Annotated[date, Says("the next review date")] = ReviewDate
    url: WebAddress = ""
    file_reference: FileReference = ""


class RequiredRolesIn(Input):
    """The roles that must read the item (none: it is no longer required reading)."""

    roles: Annotated[list[Role], Field(max_length=len(Role)), Says("the roles")] = Field(default_factory=list)


class RetireIn(Input):
    reason: Annotated[str, Text(2_000, min_length=1), Says("why it is retired")]


class ReadIn(Input):
    """An officer read (or watched) the current version."""

    version: Annotated[int, Field(ge=1, le=2_147_483_647), Says("the version you read")]


# --- Output -----------------------------------------------------------------------------------------


class VersionOut(Schema):
    number: int
    published_on: date
    what_changed: str
    url: str
    file_reference: str


class ItemOut(Schema):
    id: str
    title: str
    kind: Kind
    summary: str
    places: list[Place]
    owner: str
    team: str | None
    review_date: date
    past_review: bool
    status: Status
    required_roles: list[str]
    current_version: int | None


class ItemDetailOut(ItemOut):
    versions: list[VersionOut]
    read_current: bool  # the caller read the current version
    retired_reason: str = ""


class ReadOut(Schema):
    item: str
    version: int
    read_at: datetime
