"""Server-rendered FOS pages. Thin: scope and fetch (404 for another firm), validate the form,
call the service, show its refusal."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from common.dates import london_date
from common.errors import DomainError
from complaints import access
from complaints.access import Perm, current_membership, require_perm
from complaints.models import Complaint

from . import guards, selectors, services
from .awards import award_limit_for, interest_basis_for, late_payment_interest_basis
from .choices import InterestBasis, Stage
from .exports import build_case_file
from .fees import fee_for, firm_ledger
from .forms import (
    AwardForm,
    ChargeableForm,
    ConsentForm,
    DeadlineForm,
    LogReferralForm,
    ReferenceForm,
    StageActionForm,
)
from .models import FosDeadline, Referral

# Access is declared per view with complaints.access.require_perm: reading needs
# view_complaints, acting manage_fos; a referral of another firm is a 404.
READ = {"read": Perm.VIEW_COMPLAINTS}
MANAGE = {"POST": Perm.MANAGE_FOS}
_REFERRAL = Referral.objects.select_related(
    "firm", "complaint", "complaint__complainant", "complaint__firm"
)


def _can_manage(user, firm_id: int) -> bool:
    return access.has_perm(user, firm_id, Perm.MANAGE_FOS)


def _selected_firm_id(request) -> int:
    """?firm=<id> among the user's firms, else the firm chosen in the switcher."""
    allowed = request.firm_ids
    raw = request.GET.get("firm")
    if raw:
        if not raw.isdigit() or int(raw) not in allowed:
            raise Http404("No such firm.")
        return int(raw)
    membership = current_membership(request)
    if membership is not None and membership.firm_id in allowed:
        return membership.firm_id
    if not allowed:
        raise Http404("No firm.")
    return allowed[0]


@require_GET
@require_perm(READ, any_firm=True)
def referral_list(request):
    firm_ids = request.firm_ids
    stage = request.GET.get("stage") or None
    if stage and stage not in Stage.values:
        stage = None
    today = london_date(timezone.now())
    page = Paginator(selectors.referral_list(firm_ids, stage=stage), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "fos/referral_list.html",
        {
            "page": page,
            "stage": stage,
            "stages": Stage.choices,
            "deadlines": selectors.open_fos_deadlines(firm_ids, today),
            "overdue": list(selectors.overdue_compliance(firm_ids, today)),
            "today": today,
            "many_firms": len(firm_ids) > 1,
        },
    )


def _detail_context(request, referral, **forms) -> dict:
    today = london_date(timezone.now())
    can_manage = _can_manage(request.user, referral.firm_id)
    actions = []
    if can_manage:
        for available in guards.available_actions(referral, today):
            form = forms.pop(f"action_{available.spec.name}", None) or StageActionForm(
                spec=available.spec, initial={"expected_version": referral.version}
            )
            actions.append((available, form))
    limit = award_limit_for(referral.referred_on, referral.complaint.event_date)
    initial = {"expected_version": referral.version}
    return {
        "referral": referral,
        "complaint": referral.complaint,
        "stages": list(referral.stages.select_related("recorded_by")),
        "deadlines": list(referral.deadlines.select_related("done_by")),
        "actions": actions,
        "can_manage": can_manage,
        "today": today,
        "fee": fee_for(referral),
        "limit": limit,
        "default_interest": InterestBasis(interest_basis_for(referral.referred_on)).label,
        "late_interest": InterestBasis(late_payment_interest_basis()).label,
        "compliance_overdue": referral.compliance_overdue(today),
        "award_form": forms.get("award_form") or AwardForm(initial=initial),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "chargeable_form": forms.get("chargeable_form")
        or ChargeableForm(initial={**initial, "chargeable_on": referral.chargeable_on}),
        "reference_form": forms.get("reference_form")
        or ReferenceForm(initial={**initial, "fos_reference": referral.fos_reference}),
        "deadline_form": forms.get("deadline_form") or DeadlineForm(),
        "award_allowed": referral.stage
        in (
            Stage.INVESTIGATOR_VIEW_ISSUED,
            Stage.OMBUDSMAN_REVIEW,
            Stage.PROVISIONAL_DECISION,
            Stage.FINAL_DECISION,
            Stage.ACCEPTED,
        )
        and referral.fos_outcome in ("upheld", "partly_upheld"),
    }


@require_GET
@require_perm(READ, model=_REFERRAL)
def referral_detail(request, pk: int):
    referral = request.scoped_object
    return render(request, "fos/referral_detail.html", _detail_context(request, referral))


def _rerender(request, referral, **forms):
    """The referral page again, with the invalid form showing its errors (a 400)."""
    return render(
        request,
        "fos/referral_detail.html",
        _detail_context(request, referral, **forms),
        status=400,
    )


def _run(request, referral, call, success: str):
    """Call a service; on a refusal show its message (and rule) on the referral page."""
    try:
        call()
    except DomainError as exc:
        rule = f" ({exc.rule})" if exc.rule else ""
        messages.error(request, f"{exc.message}{rule}")
        return redirect("fos:detail", pk=referral.pk)
    messages.success(request, success)
    return redirect("fos:detail", pk=referral.pk)


@require_perm(
    Perm.MANAGE_FOS,
    model=Complaint.objects.select_related("firm", "complainant"),
    kwarg="complaint_pk",
)
def referral_log(request, complaint_pk: int):
    complaint = request.scoped_object
    form = LogReferralForm(
        request.POST or None, initial={"referred_on": london_date(timezone.now())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_log(
                complaint_id=complaint.pk,
                actor=request.user,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except DomainError as exc:
            for field, msgs in exc.fields.items():
                if field in form.fields:
                    form.add_error(field, msgs[0])
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, "FOS referral logged; the jurisdiction checklist is below.")
            return redirect("fos:detail", pk=referral.pk)
    return render(
        request,
        "fos/referral_log.html",
        {"form": form, "complaint": complaint},
        status=400 if form.errors else 200,
    )


@require_POST
@require_perm(MANAGE, model=_REFERRAL)
def referral_action(request, pk: int, action: str):
    referral = request.scoped_object
    spec = guards.ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    form = StageActionForm(request.POST, spec=spec)
    if not form.is_valid():
        return _rerender(request, referral, **{f"action_{action}": form})
    data = dict(form.cleaned_data)
    params = {k: data.pop(k) for k in spec.fields if k in data}
    service = services.STAGE_SERVICES[action]
    return _run(
        request,
        referral,
        lambda: service(
            referral_id=referral.pk,
            actor=request.user,
            now=timezone.now(),
            note=data["note"],
            expected_version=data.get("expected_version"),
            **params,
        ),
        f"Recorded: {spec.label}.",
    )


@require_POST
@require_perm(MANAGE, model=_REFERRAL)
def referral_award(request, pk: int):
    referral = request.scoped_object
    form = AwardForm(request.POST)
    if not form.is_valid():
        return _rerender(request, referral, award_form=form)
    return _run(
        request,
        referral,
        lambda: services.referral_record_award(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), **form.cleaned_data
        ),
        "Award recorded.",
    )


@require_POST
@require_perm(MANAGE, model=_REFERRAL)
def referral_consent(request, pk: int):
    referral = request.scoped_object
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _rerender(request, referral, consent_form=form)
    return _run(
        request,
        referral,
        lambda: services.referral_record_time_limit_consent(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), consents=True
        ),
        "Consent to waive the time limits recorded. It cannot be withdrawn (DISP 2.8.2AR).",
    )


@require_POST
@require_perm(MANAGE, model=_REFERRAL)
def referral_chargeable(request, pk: int):
    referral = request.scoped_object
    form = ChargeableForm(request.POST)
    if not form.is_valid():
        return _rerender(request, referral, chargeable_form=form)
    return _run(
        request,
        referral,
        lambda: services.referral_set_chargeable_date(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), **form.cleaned_data
        ),
        "Chargeable date recorded.",
    )


@require_POST
@require_perm(MANAGE, model=_REFERRAL)
def referral_reference(request, pk: int):
    referral = request.scoped_object
    form = ReferenceForm(request.POST)
    if not form.is_valid():
        return _rerender(request, referral, reference_form=form)
    return _run(
        request,
        referral,
        lambda: services.referral_set_reference(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), **form.cleaned_data
        ),
        "FOS reference saved.",
    )


@require_POST
@require_perm(MANAGE, model=_REFERRAL)
def referral_checklist(request, pk: int):
    referral = request.scoped_object
    return _run(
        request,
        referral,
        lambda: services.referral_recompute_checklist(
            referral_id=referral.pk, actor=request.user, now=timezone.now()
        ),
        "Jurisdiction checklist recomputed from the complaint as it stands.",
    )


@require_POST
@require_perm(MANAGE, model=_REFERRAL)
def deadline_add(request, pk: int):
    referral = request.scoped_object
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        return _rerender(request, referral, deadline_form=form)
    return _run(
        request,
        referral,
        lambda: services.fos_deadline_add(
            referral_id=referral.pk, actor=request.user, now=timezone.now(), **form.cleaned_data
        ),
        "FOS deadline added.",
    )


@require_POST
@require_perm(MANAGE, model=FosDeadline.objects.select_related("referral"))
def deadline_done(request, pk: int):
    deadline = request.scoped_object
    return _run(
        request,
        deadline.referral,
        lambda: services.fos_deadline_complete(
            deadline_id=deadline.pk, actor=request.user, now=timezone.now()
        ),
        f"Marked done: {deadline.description}.",
    )


@require_GET
@require_perm(READ, model=_REFERRAL)
def case_file(request, pk: int):
    referral = request.scoped_object
    filename, data = build_case_file(referral, now=timezone.now())
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@require_perm(READ, any_firm=True)
def fee_ledger(request):
    firm_id = _selected_firm_id(request)
    firm = access.get_firm_or_404(request.user, firm_id, Perm.VIEW_COMPLAINTS)
    return render(
        request,
        "fos/fee_ledger.html",
        {
            "firm": firm,
            "years": firm_ledger(firm_id),
            "firms": access.firms(request.user, Perm.VIEW_COMPLAINTS),
        },
    )


@require_GET
@require_perm(READ, any_firm=True)
def mi(request):
    firm_id = _selected_firm_id(request)
    firm = access.get_firm_or_404(request.user, firm_id, Perm.VIEW_COMPLAINTS)
    today = london_date(timezone.now())
    return render(
        request,
        "fos/mi.html",
        {
            "firm": firm,
            "mi": selectors.fos_mi([firm_id], today),
            "firms": access.firms(request.user, Perm.VIEW_COMPLAINTS),
        },
    )
