"""The Department's review of several lists at once (the lists board's selection).

All or nothing: a department user who selects five lists and presses "accept" expects five
accepted lists, so when one of them is no longer reviewable (another colleague decided it a
moment ago, the institution took it back) nothing is written and the refusal names every
such list. Each list then goes through the single review service, with its own transition,
hooks and audit event, inside this one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scoping import scope_queryset
from accounts.types import Actor
from census_coord.policy import require
from respondents.choices import ListStatus
from respondents.models import RespondentList
from respondents.services import respondent_list_accept, respondent_list_return

ACCEPT = "accept"
RETURN = "return"


@transaction.atomic
def respondent_lists_review(
    *, actor: Actor, respondent_list_ids: Sequence[int], decision: str, comment: str = ""
) -> list[RespondentList]:
    """Accept every selected list, or return every one with the same comment.

    Raises ValidationError (nothing written) naming each list that is not submitted; a
    list the actor may not see counts as one that cannot be reviewed."""
    require(actor, "list.review_bulk")
    if decision not in (ACCEPT, RETURN):
        raise ValidationError(_("Choose to accept or to return."), code="decision")
    ids = sorted(set(respondent_list_ids))
    if not ids:
        raise ValidationError(_("Select at least one list."), code="nothing_selected")
    comment = comment.strip()
    if decision == RETURN and not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say what must be corrected."), code="comment_required")}
        )
    # Locked in id order, so two reviewers of overlapping selections queue, never deadlock.
    lists = list(
        scope_queryset(
            RespondentList.objects.select_for_update(of=("self",))
            .select_related("institution")
            .filter(pk__in=ids),
            user=actor,
        ).order_by("pk")
    )
    refusals = [
        ValidationError(
            _("%(institution)s: the list is “%(status)s”, only a submitted list is reviewed.")
            % {"institution": item.institution.name, "status": item.get_status_display()},
            code="list_status",
        )
        for item in lists
        if item.status != ListStatus.SUBMITTED
    ]
    unknown = len(ids) - len(lists)
    if unknown:
        refusals.append(
            ValidationError(
                ngettext(
                    "%(count)d selected list cannot be found among yours.",
                    "%(count)d selected lists cannot be found among yours.",
                    unknown,
                )
                % {"count": unknown},
                code="unknown_list",
            )
        )
    if refusals:
        raise ValidationError(refusals)
    review = respondent_list_accept if decision == ACCEPT else respondent_list_return
    return [review(actor=actor, respondent_list=item, comment=comment) for item in lists]
