"""The Department's tools over the region's people: the person search, certificates issued
for a selection at once, and their one combined PDF.

The search lives in stage 2 because it shows outcomes and certificates; the matching of
names is stage 1's (``respondents.search``). Search terms are posted and answered in the
same response: they never reach a URL, a redirect, the session or the audit trail (which
keeps the names of the criteria used).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_read, record_search
from audit.models import AuditAction
from census_coord.policy import rule_required
from enumeration import certificate_services, selectors, views
from enumeration.certificates import CERTIFICATE_LANGUAGES, certificates_pdf
from enumeration.filters import WorklistFilterSet
from enumeration.forms import PersonSearchForm
from enumeration.models import Certificate
from institutions.models import Institution
from institutions.selectors import campaign_get_active, institution_get
from respondents.search import MAX_MATCHES, PersonQuery, person_history, person_search

logger = logging.getLogger(__name__)

RESPONDENT = "respondents.respondent"
CERTIFICATE = "enumeration.certificate"


# --- the person search ----------------------------------------------------------------


@rule_required("person.search")
@require_http_methods(["GET", "POST"])
def person_search_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a person on any list of the region: their list, history, outcome, certificate.

    A GET shows the empty form whatever its query string says; only a posted form searches.
    """
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    results = None
    more = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        rows = person_search(
            user=request.user,
            query=PersonQuery(
                iin=data["iin"],
                surname=data["surname"],
                given_name=data["given_name"],
                birth_date=data["birth_date"],
            ),
        )
        more = len(rows) > MAX_MATCHES
        rows = rows[:MAX_MATCHES]
        # The criteria's names and the number found; never what was typed.
        record_search(request=request, params=data, object_type=RESPONDENT, record_count=len(rows))
        history = person_history(respondents=rows)
        enumerations, certificates = selectors.person_outcomes(respondents=rows)
        results = [
            {
                "person": row,
                "amendments": history.amendments.get(row.pk, []),
                "list_events": history.list_events.get(row.respondent_list_id, []),
                "enumeration": enumerations.get(row.pk),
                "certificate": certificates.get(row.pk),
            }
            for row in rows
        ]
    return render(
        request,
        "enumeration/person_search.html",
        {"form": form, "results": results, "more": more, "max_matches": MAX_MATCHES},
    )


# --- certificates for a selection -----------------------------------------------------


def _certificates_page(
    request: AuthenticatedHttpRequest,
    *,
    institution: Institution,
    certificates: list[Certificate] | None = None,
    refusals: list[str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "enumeration/certificates_bulk.html",
        {
            "institution": institution,
            "certificates": certificates or [],
            "refusals": refusals or [],
            "languages": CERTIFICATE_LANGUAGES,
        },
    )


@rule_required("certificate.issue_bulk")
@require_POST
def certificates_bulk_issue(request: AuthenticatedHttpRequest, institution: int) -> HttpResponse:
    """Issue certificates to the worklist's selected people (or everyone its filters show)
    at once; the answer lists the numbers, with the combined PDF to download, or names
    everyone who cannot have one, and then nothing was issued.

    Answered without a redirect: posting again (a reload) issues nothing new, as everyone
    keeps the certificate they have."""
    place = institution_get(user=request.user, pk=institution)
    campaign = campaign_get_active()
    if request.POST.get("all_filtered"):
        query = request.session.get(views._search_key(place.pk), "")
        filters = WorklistFilterSet(
            request.GET or None,
            queryset=selectors.enumeration_worklist(
                user=request.user, campaign=campaign, institution_id=place.pk, query=query
            ).select_related("respondent_list__campaign"),
        )
        rows = filters.qs if filters.is_valid() else filters.queryset
        respondents = list(rows[: certificate_services.MAX_BULK_CERTIFICATES + 1])
    else:
        ids = {int(x) for x in request.POST.getlist("selected") if x.isdigit()}
        respondents = list(
            selectors.bulk_selection(user=request.user, campaign=campaign, ids=sorted(ids)).filter(
                respondent_list__institution=place
            )
        )
        if len(respondents) != len(ids):
            # Someone not on this worklist (another institution's, gone since): nothing is done.
            raise Http404
    if not respondents:
        messages.error(request, _("Select at least one person."))
        return redirect("enumeration:worklist_of", institution=place.pk)
    try:
        issued = certificate_services.certificates_issue_bulk(
            actor=request.user, respondents=respondents
        )
    except ValidationError as error:
        return _certificates_page(request, institution=place, refusals=error.messages)
    record_read(request, object_type=CERTIFICATE, record_count=len(issued), institution=place.pk)
    messages.success(
        request,
        ngettext(
            "%(count)d certificate is ready.", "%(count)d certificates are ready.", len(issued)
        )
        % {"count": len(issued)},
    )
    return _certificates_page(request, institution=place, certificates=list(issued))


@rule_required("certificate.issue_bulk")
@require_POST
def certificates_bulk_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The selected certificates as one PDF, each printing recorded (reprints say
    “duplicate”, as a single download does)."""
    campaign = campaign_get_active()
    ids = {int(x) for x in request.POST.getlist("certificate") if x.isdigit()}
    if not ids:
        messages.error(request, _("Select at least one certificate."))
        return redirect("enumeration:certificates")
    certificates = list(
        selectors.certificate_list(user=request.user, campaign=campaign)
        .filter(pk__in=ids)
        .select_related("campaign")
    )
    if len(certificates) != len(ids):
        raise Http404
    if len(certificates) > certificate_services.MAX_BULK_CERTIFICATES:
        messages.error(request, certificate_services.too_many_message())
        return redirect("enumeration:certificates")
    language = request.POST.get("language", "")
    if language not in CERTIFICATE_LANGUAGES:
        language = CERTIFICATE_LANGUAGES[0]
    duplicates = certificate_services.certificates_print(
        actor=request.user, certificates=certificates, language=language
    )
    pdf = certificates_pdf(certificates=certificates, language=language, duplicates=duplicates)
    for certificate in certificates:
        record_read(
            request,
            AuditAction.PRINT,
            obj=certificate,
            institution=certificate.respondent.respondent_list.institution_id,
            extra={"language": language, "duplicate": duplicates[certificate.pk], "bulk": True},
        )
    logger.info(
        "certificates printed",
        extra={"user_id": request.user.pk, "certificate_count": len(certificates)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificates-{campaign.code}-{language}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
