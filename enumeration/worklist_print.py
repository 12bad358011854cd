"""The stage-2 worklist as a paper: one institution's listed people with their outcome so
far and a column to tick, for the staff going round the rooms.

Its own module so that it travels with the stage-2 pages; the people, order and scoping
are the worklist's own (``enumeration_selectors.enumeration_worklist``), and printing is on
the audit trail like every other paper.
"""

from __future__ import annotations

from django.http import HttpResponse

from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_read
from audit.models import AuditAction
from census_coord import clock
from census_coord.documents import paper_language
from census_coord.pdf import pdf_response
from census_coord.policy import rule_required
from enumeration import progress, selectors
from institutions.campaigns import selected_campaign
from institutions.selectors import institution_get

TEMPLATE = "enumeration/pdf/worklist.html"
ROWS_CHUNK = 2000


@rule_required("enumeration.record")
def worklist_pdf(request: AuthenticatedHttpRequest, institution: int) -> HttpResponse:
    """The whole worklist (pending first), in Kazakh or Russian (``?lang=``; else the
    reader's); another institution's is a 404."""
    place = institution_get(user=request.user, pk=institution)
    campaign = selected_campaign(request)
    language = paper_language(request.GET.get("lang", ""))
    rows = selectors.enumeration_worklist(
        user=request.user, campaign=campaign, institution_id=place.pk
    )
    summary = progress.counts_by_institution(rows).get(place.pk, progress.Progress())
    record_read(
        request,
        AuditAction.PRINT,
        object_type="respondents.respondent",
        record_count=summary.listed,
        institution=place.pk,
        extra={"page": "worklist", "language": language},
    )
    stamp = clock.today().strftime("%Y%m%d")
    return pdf_response(
        template_name=TEMPLATE,
        context={
            "institution": place,
            "campaign": campaign,
            "rows": rows.iterator(chunk_size=ROWS_CHUNK),
            "summary": summary,
            "printed_on": clock.today(),
        },
        filename=f"worklist-{place.bin}-{stamp}-{language}.pdf",
        language=language,
    )
