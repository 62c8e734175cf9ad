"""DP-03 (DPA 2018 s38): notes are classed fact or assessment; people's parts in a case are kept apart."""

from __future__ import annotations

import pytest

from haven.cases import operations, services
from haven.cases.choices import EntryKind, InvolvementRole
from haven.cases.models import Involvement, TimelineEntry
from haven.cases.schemas import NoteIn
from haven.core.errors import ValidationFailed
from haven.core.operations import run


def test_dp03_a_note_must_say_whether_it_is_fact_or_assessment(make_user, make_person):
    officer = make_user("officer", roles=("response_officer",), team="RESP")
    case = services.case_open(actor=officer, subject=make_person(), summary="Missing overnight")

    with pytest.raises(ValidationFailed) as refused:
        run(
            operations.case_note_add,
            actor=officer,
            target=case,
            data={"kind": "", "text": "Likely with older associates."},
        )
    assert refused.value.fields == {"kind": ["Say whether the note records fact or assessment"]}
    assert not TimelineEntry.objects.filter(case=case, text__startswith="Likely").exists()

    entry = services.case_note_add(
        actor=officer, case=case, data=NoteIn(kind=EntryKind.ASSESSMENT, text="Likely with older associates.")
    )
    assert entry.kind == "assessment"


def test_dp03_one_person_in_two_roles_is_recorded_as_two_separate_involvements(make_user, make_person):
    officer = make_user("officer", roles=("response_officer",), team="RESP")
    case = services.case_open(actor=officer, subject=make_person(), summary="Assault on a child")
    adult = make_person()

    services.involvement_add(actor=officer, case=case, person=adult, role=InvolvementRole.WITNESS)
    services.involvement_add(actor=officer, case=case, person=adult, role=InvolvementRole.SUSPECT)

    roles = set(Involvement.objects.filter(case=case, person=adult).values_list("role", flat=True))
    assert roles == {InvolvementRole.WITNESS, InvolvementRole.SUSPECT}
    with pytest.raises(ValidationFailed):
        services.involvement_add(actor=officer, case=case, person=adult, role="offender-ish")
