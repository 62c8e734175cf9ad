"""The force's training report (T-02, for the learning and development lead) with its CSV and XLSX
exports, and the capacity view (a detective inspector's; a supervisor's own team) with the form that
sets a team's establishment. Thin: ``reports`` in, templates out; the write goes through its operation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from haven.accounts.http import AuthenticatedRequest
from haven.accounts.selectors import team_get
from haven.core.errors import NotFound
from haven.core.permissions import Perm
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, page, submit
from haven.workforce import exports, operations, reports
from haven.workforce.models import Establishment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _trend_chart(report: reports.ForceReport) -> dict[str, Any]:
    return {
        "type": "line",
        "percent": True,
        "labels": [f"{p.month:%b %Y}" for p in report.trend],
        "series": [{"label": "Percent complete, whole force", "values": [p.cell.percent for p in report.trend]}],
    }


@login_required
@permission_required(Perm.WORKFORCE_REPORT_VIEW)
def force_report(request: AuthenticatedRequest) -> HttpResponse:
    report = reports.force_report(user=request.user)
    context = {"report": report, "chart": _trend_chart(report), "tables": exports.TABLES}
    return render(request, "workforce/report.html", context)


@login_required
@permission_required(Perm.WORKFORCE_REPORT_VIEW)
def force_report_csv(request: AuthenticatedRequest, table: str) -> HttpResponse:
    if table not in exports.TABLES:
        raise Http404
    report = reports.force_report(user=request.user)
    response = HttpResponse(exports.as_csv(report, table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{table}-{report.on.isoformat()}.csv"'
    return response


@login_required
@permission_required(Perm.WORKFORCE_REPORT_VIEW)
def force_report_xlsx(request: AuthenticatedRequest) -> HttpResponse:
    report = reports.force_report(user=request.user)
    response = HttpResponse(exports.as_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="training-report-{report.on.isoformat()}.xlsx"'
    return response


def _capacity_charts(view: reports.Capacity) -> list[dict[str, Any]]:
    """One chart per team: each officer's open work, a bar per officer, stacked by kind."""
    return [
        {
            "type": "bar",
            "stacked": True,
            "labels": [o.officer.display_name for o in team.officers],
            "series": [
                {"label": column.label, "values": [o.counts[i] for o in team.officers]}
                for i, column in enumerate(view.columns)
            ],
        }
        for team in view.teams
    ]


@login_required
def capacity(request: AuthenticatedRequest) -> HttpResponse:
    if not reports.may_view_capacity(request.user):
        raise NotFound("Not found.")
    view = reports.capacity(user=request.user)
    teams = [
        {"capacity": team, "chart": chart, "chart_id": f"capacity-chart-{n}"}
        for n, (team, chart) in enumerate(zip(view.teams, _capacity_charts(view), strict=True))
    ]
    context = {
        "view": view,
        "teams": teams,
        "establishment": {
            "labels": [t.team.name for t in view.teams],
            "type": "bar",
            "series": [
                {"label": "Posts", "values": [t.posts or 0 for t in view.teams]},
                {"label": "In post", "values": [t.in_post for t in view.teams]},
                {"label": "Signed off", "values": [t.signed_off for t in view.teams]},
            ],
        },
        "can_set": request.user.has_perm(Perm.ACCOUNTS_TEAM_MANAGE),
    }
    return render(request, "workforce/capacity.html", context)


class EstablishmentForm(InputForm):
    operation = operations.establishment_set

    posts = forms.IntegerField(
        label="Number of posts", min_value=0, help_text="How many officers the team should have, in whole posts."
    )


@page(operations.establishment_set)
def establishment_set(request: AuthenticatedRequest, team_id: str) -> HttpResponse:
    team = team_get(actor=request.user, public_id=team_id)
    current = Establishment.objects.filter(team=team).values_list("posts", flat=True).first()
    form = EstablishmentForm(request.POST if request.method == "POST" else None, initial={"posts": current})
    if request.method == "POST":
        done = submit(request, operations.establishment_set, form, target=team)
        if done:
            messages.success(request, f"{team.name} has {done.value.posts} posts.")
            return redirect("workforce:capacity")
    return render(
        request, "workforce/establishment.html", {"team": team, "form": form}, status=422 if form.errors else 200
    )
