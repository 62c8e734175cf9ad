"""Custody pages. Thin: selectors in, forms in, writes out through the operations
(``haven.custody.operations``), each page submitting its form through the write's input model."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from haven.accounts.http import AuthenticatedRequest
from haven.audit.choices import Operation as S62
from haven.core import clock
from haven.core.errors import NotFound
from haven.core.operations import Operation
from haven.core.permissions import Perm
from haven.custody import exports, operations, s62, selectors
from haven.custody import forms as f
from haven.custody.choices import DetentionState
from haven.custody.models import Detention
from haven.custody.rules import NO_BED_FLAG
from haven.people.selectors import person_get, person_search
from haven.ui.decorators import permission_required
from haven.ui.operations import InputForm, page, submit


def _detention(request: AuthenticatedRequest, public_id: str, *, log: bool | None = None) -> Detention:
    """The detention if the user may see it; a page shown is a consultation, a write logs itself."""
    try:
        return selectors.detention_get(
            user=request.user, public_id=public_id, log=request.method != "POST" if log is None else log
        )
    except NotFound:
        raise Http404 from None


@login_required
@permission_required(Perm.CUSTODY_DETENTION_VIEW)
def detention_list(request: AuthenticatedRequest) -> HttpResponse:
    rows, total = selectors.in_custody(user=request.user)
    context = {
        "rows": rows,
        "total": total,
        "now": clock.now(),
        "can_record": request.user.has_perm(Perm.CUSTODY_DETENTION_RECORD),
    }
    return render(request, "custody/list.html", context)


@page(operations.detention_record)
def new(request: AuthenticatedRequest) -> HttpResponse:
    """Book in a child: find them on the register, then the detention's facts."""
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    child = None
    if source.get("child"):
        try:
            child = person_get(user=user, public_id=source["child"])
        except NotFound:
            raise Http404 from None
    find = f.FindChildForm(request.GET if "q" in request.GET else None)
    hits: list[Any] = []
    if find.is_bound and find.is_valid() and find.cleaned_data["q"]:
        hits = person_search(user=user, query=find.cleaned_data["q"])
    form = f.DetentionForm(
        request.POST if request.method == "POST" else None, initial={"child": child.public_id if child else ""}
    )
    if request.method == "POST":
        done = submit(request, operations.detention_record, form)
        if done:
            messages.success(request, f"{done.value.child.full_name} is recorded in custody.")
            return redirect("custody:detail", public_id=done.value.public_id)
    context = {"find": find, "hits": hits, "child": child, "form": form}
    return render(request, "custody/new.html", context, status=422 if form.errors else 200)


@login_required
@permission_required(Perm.CUSTODY_DETENTION_VIEW)
def detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    d = _detention(request, public_id)
    cert = getattr(d, "certificate", None)
    detained = d.state == DetentionState.DETAINED
    charged = d.state == DetentionState.CHARGED
    record = user.has_perm(Perm.CUSTODY_DETENTION_RECORD)
    context = {
        "d": d,
        "cert": cert,
        "now": clock.now(),
        "detained_for": clock.duration_words((d.ended_at or clock.now()) - d.relevant_time),
        "aa_status": selectors.aa_status(d),
        "transfer": selectors.transfer_status(d),
        "warnings": operations.warnings(d),
        "no_bed_flag": NO_BED_FLAG,
        "reviews": list(d.reviews.all()),
        "extensions": list(d.extensions.all()),
        "interviews": list(d.interviews.all()),
        "detained": detained,
        "charged": charged,
        "can": {
            "record": record and d.state in (DetentionState.DETAINED, DetentionState.CHARGED),
            "review": detained and user.has_perm(Perm.CUSTODY_REVIEW_RECORD),
            "extend": detained and user.has_perm(Perm.CUSTODY_EXTENSION_AUTHORISE),
            "charge": detained and record,
            "la_request": charged and record and d.la_requested_at is None,
            "la_response": charged and record and d.la_requested_at is not None,
            "certificate": charged and record and cert is None,
            "certificate_review": cert is not None
            and cert.flagged
            and cert.flag_reviewed_at is None
            and user.has_perm(Perm.CUSTODY_REVIEW_RECORD),
        },
    }
    return render(request, "custody/detail.html", context)


STEPS: dict[str, tuple[Operation, type[InputForm], str, str, str]] = {
    # name: (operation, form, title, button, success message)
    "aa": (
        operations.aa_record,
        f.AaForm,
        "Appropriate adult",
        "Save the appropriate adult",
        "Appropriate adult saved.",
    ),
    "welfare": (
        operations.welfare_record,
        f.WelfareForm,
        "Person responsible for the child's welfare",
        "Save",
        "Saved who was told.",
    ),
    "cell": (operations.cell_record, f.CellForm, "Where the child is held", "Save", "Cell saved."),
    "interview": (
        operations.interview_record,
        f.InterviewForm,
        "Record an interview",
        "Save the interview",
        "Interview saved.",
    ),
    "review": (
        operations.review_record,
        f.ReviewForm,
        "Record a review of detention",
        "Save the review",
        "Review saved.",
    ),
    "extension": (
        operations.extension_record,
        f.ExtensionForm,
        "Extend detention",
        "Save the extension",
        "Extension saved.",
    ),
    "charge": (operations.charge_record, f.ChargeForm, "Charge and bail", "Save the charge", "Charge saved."),
    "la-request": (
        operations.la_request_record,
        f.LaRequestForm,
        "Request local authority accommodation",
        "Save the request",
        "Request saved.",
    ),
    "la-response": (
        operations.la_response_record,
        f.LaResponseForm,
        "The local authority's response",
        "Save the response",
        "Response saved.",
    ),
    "certificate": (
        operations.certificate_record,
        f.CertificateForm,
        "Certify why the child stays at the police station",
        "Save the certificate",
        "Certificate saved. Print it for the court.",
    ),
    "certificate-review": (
        operations.certificate_review,
        f.CertificateReviewForm,
        "Review the certificate",
        "Save your review",
        "Review of the certificate saved.",
    ),
    "end": (operations.detention_end, f.EndForm, "The child leaves custody", "Save", "The detention is closed."),
}


def _step_view(name: str) -> Any:
    operation, form_class, title, button, done_words = STEPS[name]

    @page(operation)
    def view(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
        d = _detention(request, public_id)
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and submit(request, operation, form, target=d):
            messages.success(request, done_words)
            return redirect("custody:detail", public_id=d.public_id)
        context = {"d": d, "form": form, "title": title, "button": button, "testid": name}
        return render(request, "custody/step.html", context, status=422 if form.errors else 200)

    view.__name__ = re.sub(r"\W", "_", name)
    return view


aa = _step_view("aa")
welfare = _step_view("welfare")
cell = _step_view("cell")
interview = _step_view("interview")
review = _step_view("review")
extension = _step_view("extension")
charge = _step_view("charge")
la_request = _step_view("la-request")
la_response = _step_view("la-response")
certificate = _step_view("certificate")
certificate_review = _step_view("certificate-review")
end = _step_view("end")


@login_required
@permission_required(Perm.CUSTODY_DETENTION_VIEW)
def certificate_pdf(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """The s38(7) certificate for production to court (C-08), printed from Haven: a disclosure, logged."""
    from weasyprint import HTML

    d = _detention(request, public_id, log=False)
    cert = getattr(d, "certificate", None)
    if cert is None:
        raise Http404
    s62.record(actor=request.user, detention=d, operation=S62.CONSULTATION, detail={"read": "certificate for court"})
    html = render_to_string(
        "custody/certificate.html",
        {"d": d, "cert": cert, "printed_at": timezone.localtime(clock.now()), "printed_by": request.user},
    )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="s38-certificate-{d.case.reference}.pdf"'
    return response


# --- The Concordat report (C-10) --------------------------------------------------------------------------


def _month(value: str) -> date | None:
    match = re.fullmatch(r"(\d{4})-(\d{2})", value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 2000 <= year <= 2999):
        return None
    return date(year, month, 1)


def _month_choices(today: date, count: int = 36) -> list[date]:
    """The months a reader may end the report on, this month first (a list, not a "2026-11" to type)."""
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


@login_required
@permission_required(Perm.CUSTODY_REPORT_VIEW)
def report(request: AuthenticatedRequest) -> HttpResponse:
    """The Concordat report: by month, children charged and kept in custody, transfers requested and made,
    certificates and their reasons, the time from charge to transfer; CSV (``?format=csv``) and XLSX."""
    found = selectors.concordat_report(user=request.user, month=_month(request.GET.get("month", "")))
    fmt = request.GET.get("format")
    stamp = f"{found.month:%Y-%m}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(found), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="concordat-report-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(found), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="concordat-report-{stamp}.xlsx"'
        return response
    labels = [f"{m.month:%b %Y}" for m in found.months]
    chart = {
        "type": "bar",
        "labels": labels,
        "series": [
            {"label": "Charged and kept in custody", "values": [m.charged_and_detained for m in found.months]},
            {"label": "Transfers requested", "values": [m.transfers_requested for m in found.months]},
            {"label": "Transferred", "values": [m.transferred for m in found.months]},
            {"label": "Certificates", "values": [m.certificates for m in found.months]},
        ],
    }
    context = {
        "report": found,
        "chart": chart,
        "months": list(reversed(found.months)),
        "rows": exports.rows(found),
        "choices": _month_choices(clock.now().date()),
    }
    return render(request, "custody/report.html", context)
