"""Certificates for many people at once: the Department's bulk issue and combined printing.

The rules are those of the single issue (``enumeration.services.certificate_issue``): only
an enumerated, listed person gets a number, from the campaign's locked counter, without
gaps; a person who already has one keeps it. A selection is issued whole or not at all —
one ineligible person refuses the lot, and the refusal names everyone who is ineligible
and why, so the Department can correct the selection and try again.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from census_coord.policy import require
from enumeration.choices import EnumerationStatus
from enumeration.models import Certificate, CertificateCounter, CertificatePrint, Enumeration
from enumeration.selectors import is_listed
from respondents.models import Respondent

# One combined PDF is rendered in the request: on the shared 2-core machine at a load of
# about 11, 100 certificates took 10.6 s (0.1 s each), so 200 stay far below the timeout.
MAX_BULK_CERTIFICATES = 200


def too_many_message() -> str:
    return ngettext(
        "At most %(count)d certificate at once; narrow the selection.",
        "At most %(count)d certificates at once; narrow the selection.",
        MAX_BULK_CERTIFICATES,
    ) % {"count": MAX_BULK_CERTIFICATES}


def _refusal(respondent: Respondent, reason: str) -> ValidationError:
    return ValidationError(
        _("%(name)s, born %(date)s: %(reason)s")
        % {
            "name": respondent.full_name,
            "date": respondent.birth_date.strftime("%d.%m.%Y"),
            "reason": reason,
        },
        code="certificate_refused",
    )


def _reason(respondent: Respondent, status: str | None) -> str | None:
    """Why ``respondent`` gets no certificate, or None when they may have one."""
    if not is_listed(respondent):
        return _("not on an accepted list as of the critical moment")
    if status == EnumerationStatus.NOT_ENUMERATED:
        return _("recorded as not enumerated")
    if status != EnumerationStatus.ENUMERATED:
        return _("not enumerated yet")
    return None


@transaction.atomic
def certificates_issue_bulk(
    *, actor: Actor, respondents: Sequence[Respondent]
) -> list[Certificate]:
    """Give every person of ``respondents`` a certificate (those who have one keep it),
    each issue audited as the single issue is; returned in the order given.

    Raises ValidationError listing every ineligible person (nothing is issued then)."""
    require(actor, "certificate.issue_bulk")
    if not respondents:
        raise ValidationError(_("Select at least one person."), code="nothing_selected")
    if len(respondents) > MAX_BULK_CERTIFICATES:
        raise ValidationError(too_many_message(), code="too_many")
    for respondent in respondents:
        require(actor, "certificate.issue", respondent)
    ids = [respondent.pk for respondent in respondents]
    # Counters first, in one order, as the single issue does: issuers queue on them.
    counters = {
        campaign_id: CertificateCounter.objects.select_for_update().get_or_create(
            campaign_id=campaign_id
        )[0]
        for campaign_id in sorted({r.respondent_list.campaign_id for r in respondents})
    }
    existing = {c.respondent_id: c for c in Certificate.objects.filter(respondent_id__in=ids)}
    statuses = dict(
        Enumeration.objects.filter(respondent_id__in=ids).values_list("respondent_id", "status")
    )
    refusals = [
        _refusal(respondent, reason)
        for respondent in respondents
        if respondent.pk not in existing
        and (reason := _reason(respondent, statuses.get(respondent.pk))) is not None
    ]
    if refusals:
        raise ValidationError(refusals)
    today = clock.today()
    issued: list[Certificate] = []
    for respondent in respondents:
        certificate = existing.get(respondent.pk)
        if certificate is None:
            counter = counters[respondent.respondent_list.campaign_id]
            counter.last_number += 1
            certificate = Certificate.objects.create(
                campaign_id=respondent.respondent_list.campaign_id,
                number=counter.last_number,
                respondent=respondent,
                issued_on=today,
                issued_by=actor,
            )
            audit_record(
                request_or_actor=actor,
                action=AuditAction.CREATE,
                obj=certificate,
                institution=respondent.respondent_list.institution_id,
                extra={"bulk": True},
            )
        existing[respondent.pk] = certificate
        issued.append(certificate)
    for counter in counters.values():
        counter.save(update_fields=["last_number"])
    return issued


@transaction.atomic
def certificates_print(
    *, actor: Actor, certificates: Sequence[Certificate], language: str
) -> dict[int, bool]:
    """Record one printing of each certificate (a combined PDF); certificate id -> whether
    this printing is a duplicate, by the single printing's rule (same language again)."""
    require(actor, "certificate.issue_bulk")
    for certificate in certificates:
        require(actor, "certificate.issue", certificate)
    ids = [certificate.pk for certificate in certificates]
    locked = list(Certificate.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    printed = set(
        CertificatePrint.objects.filter(certificate_id__in=ids, language=language).values_list(
            "certificate_id", flat=True
        )
    )
    CertificatePrint.objects.bulk_create(
        [
            CertificatePrint(
                certificate=certificate,
                language=language,
                is_duplicate=certificate.pk in printed,
                printed_by=actor,
            )
            for certificate in locked
        ]
    )
    return {pk: pk in printed for pk in ids}
