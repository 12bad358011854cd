"""Reads of stage 2: who is to be enumerated, the worklist, certificates.

**Who is listed for stage 2.** A respondent is *listed* when their list for the campaign
is accepted and they had not left before the census critical moment: the current list
including arrivals (amendments), plus people who left on or after the critical moment's
date, because the census counts everyone living there at that moment. People who left
before it are not enumerated by this institution. The reconciliation report shows the
edge cases: listed but without an outcome, enumerated arrivals, and people enumerated who
left before the critical moment afterwards.

**Who is pending.** A listed person is *pending* while they have no enumeration row or
their row says pending (``pending_q``); ``pending_by_institution`` counts them per
institution for the window-closing reminders.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.scoping import scope_queryset
from accounts.types import Actor
from enumeration.choices import EnumerationStatus
from enumeration.models import Certificate, Enumeration
from institutions.models import Campaign
from respondents.choices import ListStatus
from respondents.models import Respondent
from respondents.row_schema import NAME_FIELDS

LIST_PATH = "respondent_list__institution"


def critical_date(campaign: Campaign) -> dt.date:
    """The local calendar day on which the critical moment falls (1 Sep 2021)."""
    return timezone.localtime(campaign.critical_moment).date()


def listed_q(campaign: Campaign, *, prefix: str = "") -> Q:
    """The rule above as a filter on Respondent (``prefix`` for a lookup from elsewhere)."""
    return Q(
        **{
            f"{prefix}respondent_list__campaign": campaign,
            f"{prefix}respondent_list__status": ListStatus.ACCEPTED,
        }
    ) & (
        Q(**{f"{prefix}departed_on__isnull": True})
        | Q(**{f"{prefix}departed_on__gte": critical_date(campaign)})
    )


def is_listed(respondent: Respondent) -> bool:
    """``listed_q`` for one row already in memory (its list and campaign loaded), so a batch
    checks many people without a query each; keep the two together."""
    campaign = respondent.respondent_list.campaign
    return respondent.respondent_list.status == ListStatus.ACCEPTED and (
        respondent.departed_on is None or respondent.departed_on >= critical_date(campaign)
    )


def pending_q(*, prefix: str = "") -> Q:
    """Not enumerated yet, as a filter on Respondent: no enumeration row, or one pending."""
    return Q(**{f"{prefix}enumeration__isnull": True}) | Q(
        **{f"{prefix}enumeration__status": EnumerationStatus.PENDING}
    )


def pending_by_institution(campaign: Campaign) -> dict[int, int]:
    """Institution id -> number of its listed people still pending, for active institutions
    with anyone pending; one grouped query, not scoped (the reminders' engine uses it)."""
    rows = (
        Respondent.objects.filter(
            listed_q(campaign), pending_q(), respondent_list__institution__is_active=True
        )
        .order_by()
        .values("respondent_list__institution_id")
        .annotate(pending=Count("pk"))
        .values_list("respondent_list__institution_id", "pending")
    )
    return dict(rows)


def status_of(respondent: Respondent) -> str:
    """The person's stage-2 status; a person without an enumeration row is pending."""
    enumeration = getattr(respondent, "enumeration", None)
    return enumeration.status if enumeration is not None else EnumerationStatus.PENDING


def listed_respondents(*, user: Actor, campaign: Campaign) -> QuerySet[Respondent]:
    return scope_queryset(
        Respondent.objects.filter(listed_q(campaign)), user=user, institution_path=LIST_PATH
    )


# What the worklist page's rows show (``enumeration.templatetags.outcome.worklist_rows``):
# the page reads no other column (any other would be read row by row). The name is
# ``Respondent.full_name``, of the row's name fields.
WORKLIST_ROW_COLUMNS = (
    *NAME_FIELDS,
    "birth_date",
    "unit",
    "arrived_on",
    "enumeration__status",
    "enumeration__method",
    "enumeration__reason",
    "enumeration__enumerated_on",
    "certificate__number",
)


def enumeration_worklist(
    *,
    user: Actor,
    campaign: Campaign,
    institution_id: int,
    query: str = "",
    outcome_only: bool = False,
) -> QuerySet[Respondent]:
    """One institution's listed people, pending first, with their enumeration and certificate
    and the enumeration's staff member and the institution; ``outcome_only``: only the
    columns the worklist page's rows show (``WORKLIST_ROW_COLUMNS``)."""
    rows = listed_respondents(user=user, campaign=campaign).filter(
        respondent_list__institution_id=institution_id
    )
    if outcome_only:
        rows = rows.select_related("enumeration", "certificate").only(*WORKLIST_ROW_COLUMNS)
    else:
        rows = rows.select_related(
            "enumeration", "enumeration__staff", "certificate", "respondent_list__institution"
        )
    for word in query.lower().split():
        rows = rows.filter(search_text__contains=word)
    pending_first = Case(
        When(pending_q(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return rows.annotate(pending_rank=pending_first).order_by(
        "pending_rank", "surname", "given_name", "patronymic", "pk"
    )


def enumeration_respondent_get(*, user: Actor, campaign: Campaign, pk: int) -> Respondent:
    """One listed person the user may see; 404 otherwise."""
    try:
        return (
            listed_respondents(user=user, campaign=campaign)
            .select_related(
                "enumeration",
                "enumeration__staff",
                "certificate",
                "respondent_list__institution",
                "respondent_list__campaign",
            )
            .get(pk=pk)
        )
    except Respondent.DoesNotExist as exc:
        raise Http404 from exc


def next_pending_after(
    *, user: Actor, campaign: Campaign, respondent: Respondent
) -> Respondent | None:
    """The next pending person of the same institution, for "save and next"."""
    return (
        enumeration_worklist(
            user=user,
            campaign=campaign,
            institution_id=respondent.respondent_list.institution_id,
        )
        .filter(pending_q())
        .exclude(pk=respondent.pk)
        .first()
    )


def certificate_list(*, user: Actor, campaign: Campaign) -> QuerySet[Certificate]:
    """The register of issued certificates the user may see, in number order."""
    return scope_queryset(
        Certificate.objects.filter(campaign=campaign).select_related(
            "respondent", "respondent__respondent_list__institution", "issued_by"
        ),
        user=user,
        institution_path=f"respondent__{LIST_PATH}",
    ).order_by("number")


def certificate_get(*, user: Actor, campaign: Campaign, pk: int) -> Certificate:
    try:
        return certificate_list(user=user, campaign=campaign).get(pk=pk)
    except Certificate.DoesNotExist as exc:
        raise Http404 from exc


def person_outcomes(
    *, respondents: list[Respondent]
) -> tuple[dict[int, Enumeration], dict[int, Certificate]]:
    """Stage-2 outcome and certificate of rows the caller obtained through a scoped
    selector (the person search): respondent id -> each, two queries."""
    ids = [respondent.pk for respondent in respondents]
    if not ids:
        return {}, {}
    enumerations = {
        e.respondent_id: e
        for e in Enumeration.objects.filter(respondent_id__in=ids).select_related("staff")
    }
    certificates = {c.respondent_id: c for c in Certificate.objects.filter(respondent_id__in=ids)}
    return enumerations, certificates


def bulk_selection(*, user: Actor, campaign: Campaign, ids: list[int]) -> QuerySet[Respondent]:
    """The listed people among ``ids`` the user may see, for a bulk action, in name order."""
    return (
        listed_respondents(user=user, campaign=campaign)
        .filter(pk__in=ids)
        .select_related("respondent_list__campaign", "respondent_list__institution")
        .order_by("surname", "given_name", "patronymic", "pk")
    )
