"""Fixtures of the partners tests: agencies, their users, and something shared with them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haven.partners import services
from haven.partners.choices import AgencyKind, ItemKind
from haven.partners.models import Agency, Membership

PROJECTION = {
    "children": ["Ava Testchild, born 3 March 2014"],
    "concerns": ["Neglect", "Missing"],
    "narrative": "Found alone at home at 23:00, no food in the house.",
    "voice_of_child": "Seen and spoken to: 'Mum goes out at night.'",
    "risk": "Medium",
    "research": "Police research notes: previous domestic incidents at the address.",
    "health": "Asthma; no inhaler in the house.",
    "school": "Hillside Primary",
    "officer": "PC Test, 0113 000 0000",
}


@pytest.fixture
def make_agency(db: Any) -> Callable[..., Agency]:
    def make(
        name: str = "Leeds Children's Services", *, kind: str = AgencyKind.CHILDRENS_SERVICES, **data: Any
    ) -> Agency:
        data.setdefault("local_authority", "Leeds City Council" if kind == AgencyKind.CHILDRENS_SERVICES else "")
        data.setdefault("notice_email", "front.door@leeds.example")
        return Agency.objects.create(name=name, kind=kind, **data)

    return make


@pytest.fixture
def make_partner(make_user: Callable[..., Any]) -> Callable[..., Any]:
    def make(agency: Agency, username: str | None = None, **kwargs: Any) -> Any:
        user = make_user(username, roles=("partner",), team=None, rank=None, **kwargs)
        Membership.objects.create(user=user, agency=agency)
        return user

    return make


@pytest.fixture
def make_share(make_user: Callable[..., Any], make_case: Callable[..., Any]) -> Callable[..., Any]:
    counter = {"n": 0}

    def make(
        agency: Agency, *, sharer: Any = None, restricted: bool = False, kind: str = ItemKind.REFERRAL, **kw: Any
    ) -> Any:
        counter["n"] += 1
        sharer = sharer or make_user(roles=("crsu_officer",))
        case = kw.pop("case", None) or make_case(sharer)
        return services.share(
            actor=sharer,
            agency=agency,
            kind=kind,
            reference=kw.pop("reference", f"CCR-{counter['n']:04d}"),
            subject_summary=kw.pop("subject_summary", "Ava Testchild, 12"),
            projection=kw.pop("projection", PROJECTION),
            restricted=restricted,
            case=case,
            lawful_basis="DPA 2018 Sch 8 para 4 (safeguarding of children)",
            **kw,
        )

    return make


@pytest.fixture
def make_token() -> Callable[..., str]:
    """``make_token(user)`` → a token with every scope the user's roles give, as shown once."""
    from haven.accounts import services as accounts
    from haven.accounts.schemas import TokenIn

    def make(user: Any) -> str:
        data = TokenIn.model_validate({"name": "Integration", "scopes": sorted(user.permissions)})
        return accounts.api_token_create(actor=user, data=data)[1]

    return make
