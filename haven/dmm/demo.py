"""Demo data for the daily management meeting (called by haven.demo.seed.seed_demo): yesterday's meeting,
closed, with a decision and actions, one still open and so carried into today's meeting (D-02)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.core import clock


def seed_dmm() -> int:
    """Create the demo meetings if there are none; return how many records were created."""
    from haven.accounts.models import User
    from haven.cases.choices import CaseKind, CaseState
    from haven.cases.selectors import case_visible_to
    from haven.dmm import services
    from haven.dmm.models import Meeting
    from haven.dmm.schemas import ActionDoneIn, ActionIn, DecisionIn, MeetingCloseIn, MeetingStartIn

    if Meeting.objects.exists():
        return 0
    chair = User.objects.filter(username="inspector", is_active=True).first()
    if chair is None:
        return 0
    visible = case_visible_to(chair).filter(state=CaseState.OPEN).select_related("owner", "subject")
    cases = list(visible.filter(kind=CaseKind.MISSING)[:2]) or list(visible[:2])
    if not cases:
        return 0
    attendees = list(User.objects.filter(username="sergeant", is_active=True).values_list("username", flat=True))
    now = clock.now()
    yesterday = services.meeting_start(
        actor=chair,
        data=MeetingStartIn(
            held_on=timezone.localdate(now) - timedelta(days=1),
            attendees=attendees,
            other_attendees="Children's services duty manager",
        ),
    )
    created = 1
    for number, case in enumerate(cases):
        owner = case.owner if case_visible_to(case.owner).filter(pk=case.pk).exists() else chair
        decision = services.decision_record(
            actor=chair,
            meeting=yesterday,
            data=DecisionIn(
                case=case.public_id,
                section="missing",
                text="Risk reviewed at the DMM. Owner to chase the outstanding enquiries and update the grade.",
                actions=[
                    ActionIn(
                        what="Chase the outstanding enquiries",
                        owner=owner.username,
                        due_at=now + timedelta(hours=6 + number),
                    ),
                    ActionIn(
                        what="Speak to the school about the child's friends",
                        owner=owner.username,
                        due_at=now + timedelta(days=1),
                    ),
                ],
            ),
        )
        created += 1 + decision.actions.count()
    first = yesterday.actions_raised.order_by("id").first()
    if first is not None:
        done = ActionDoneIn(outcome="Enquiries chased: two completed, one reallocated.")
        services.action_complete(actor=chair, action=first, data=done)
    services.meeting_close(actor=chair, meeting=yesterday, data=MeetingCloseIn())
    services.meeting_start(actor=chair, data=MeetingStartIn(attendees=attendees))
    return created + 1


__all__ = ["seed_dmm"]
