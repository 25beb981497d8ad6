"""Server-rendered FOS pages. Thin: scope and fetch (404 for another firm), validate the form,
call the service, show its refusal."""

from __future__ import annotations

from functools import partial

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from common.dates import london_date
from common.pageactions import ActionPage, PageAction, form_page, form_page_or_perform, perform
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


def _to_referral(request, referral, result=None):
    return redirect("fos:detail", pk=referral.pk)


def _rerender(request, referral, forms, status):
    """The referral page again, with the invalid form showing its errors."""
    return render(
        request,
        "fos/referral_detail.html",
        _detail_context(request, referral, **forms),
        status=status,
    )


# The referral page's actions: invalid input shows the page again (a 400) with the form's
# errors; a refusal is flashed with its rule.
DETAIL = ActionPage(landing=_to_referral, rerender=_rerender)
_on_referral = partial(PageAction, id_kwarg="referral_id")

# URL name: (path under the referral, action). urls.py routes each.
REFERRAL_ACTIONS = {
    "award": (
        "award",
        _on_referral(services.referral_record_award, "Award recorded.", AwardForm, "award_form"),
    ),
    "consent": (
        "consent",
        _on_referral(
            services.referral_record_time_limit_consent,
            "Consent to waive the time limits recorded. It cannot be withdrawn (DISP 2.8.2AR).",
            ConsentForm,
            "consent_form",
            arguments=lambda data: {"consents": True},
        ),
    ),
    "chargeable": (
        "chargeable",
        _on_referral(
            services.referral_set_chargeable_date,
            "Chargeable date recorded.",
            ChargeableForm,
            "chargeable_form",
        ),
    ),
    "reference": (
        "reference",
        _on_referral(
            services.referral_set_reference, "FOS reference saved.", ReferenceForm, "reference_form"
        ),
    ),
    "checklist": (
        "checklist",
        _on_referral(
            services.referral_recompute_checklist,
            "Jurisdiction checklist recomputed from the complaint as it stands.",
        ),
    ),
    "deadline_add": (
        "deadlines",
        _on_referral(
            services.fos_deadline_add, "FOS deadline added.", DeadlineForm, "deadline_form"
        ),
    ),
}
# The stage actions of guards.ACTIONS, posted to one URL with the action's name.
STAGE_ACTIONS = {
    name: _on_referral(
        services.STAGE_SERVICES[name],
        f"Recorded: {spec.label}.",
        partial(StageActionForm, spec=spec),
        f"action_{name}",
    )
    for name, spec in guards.ACTIONS.items()
}


def referral_action_view(action: PageAction):
    """The view posting ``action`` on the referral of the URL."""

    @require_POST
    @require_perm(MANAGE, model=_REFERRAL)
    def view(request, pk: int):
        return perform(request, action, request.scoped_object, DETAIL)

    return view


def _log_form(complaint, data=None) -> LogReferralForm:
    reps = complaint.complainant.representatives.order_by("ended_on", "-created_at")
    return LogReferralForm(
        data, initial={"referred_on": london_date(timezone.now())}, representatives=reps
    )


def _log_page(request, complaint, forms, status):
    form = forms.get("form") or _log_form(complaint)
    return render(
        request, "fos/referral_log.html", {"form": form, "complaint": complaint}, status=status
    )


# Logging a referral: a refusal goes on the form; success opens the new referral.
LOG = form_page(
    landing=lambda request, complaint, referral: _to_referral(request, referral),
    rerender=_log_page,
)
_LOG_REFERRAL = PageAction(
    services.referral_log,
    "FOS referral logged; the jurisdiction checklist is below.",
    LogReferralForm,
    id_kwarg="complaint_id",
)


@require_perm(
    Perm.MANAGE_FOS,
    model=Complaint.objects.select_related("firm", "complainant"),
    kwarg="complaint_pk",
)
def referral_log(request, complaint_pk: int):
    complaint = request.scoped_object
    if request.method == "POST":
        return perform(
            request, _LOG_REFERRAL, complaint, LOG, form=_log_form(complaint, request.POST)
        )
    return form_page_or_perform(request, _LOG_REFERRAL, complaint, LOG)


@require_POST
@require_perm(MANAGE, model=_REFERRAL)
def referral_action(request, pk: int, action: str):
    if action not in STAGE_ACTIONS:
        raise Http404("No such action.")
    return perform(request, STAGE_ACTIONS[action], request.scoped_object, DETAIL)


# A deadline is marked done from its referral's page, and lands there.
DONE = ActionPage(
    landing=lambda request, deadline, result: _to_referral(request, deadline.referral)
)
_DEADLINE_DONE = PageAction(
    services.fos_deadline_complete,
    lambda deadline, result: f"Marked done: {deadline.description}.",
    id_kwarg="deadline_id",
)


@require_POST
@require_perm(MANAGE, model=FosDeadline.objects.select_related("referral"))
def deadline_done(request, pk: int):
    return perform(request, _DEADLINE_DONE, request.scoped_object, DONE)


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
