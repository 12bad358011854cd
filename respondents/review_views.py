"""The lists board's bulk review: accept, or return with one comment, the selected lists.

Kept apart from the board's own view (``respondents.views.board``) so the board's filtering
can change without touching it; the board's template posts its checkboxes here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.types import AuthenticatedHttpRequest
from census_coord.policy import rule_required
from respondents.choices import ListStatus
from respondents.forms import BulkReviewForm
from respondents.review_services import ACCEPT, respondent_lists_review


@rule_required("list.review_bulk")
@require_POST
def board_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Review the selected lists at once and go back to the board, which shows their new
    states; a refusal (nothing written) names each list that stopped it."""
    form = BulkReviewForm(request.POST)
    ids = [int(x) for x in request.POST.getlist("selected") if x.isdigit()]
    if form.is_valid():
        try:
            reviewed = respondent_lists_review(
                actor=request.user,
                respondent_list_ids=ids,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            count = len(reviewed)
            if form.cleaned_data["decision"] == ACCEPT:
                text = ngettext("%(count)d list accepted.", "%(count)d lists accepted.", count)
            else:
                text = ngettext(
                    "%(count)d list returned to its institution.",
                    "%(count)d lists returned to their institutions.",
                    count,
                )
            messages.success(request, text % {"count": count})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    url = reverse("respondents:board")
    # The board's status filter, as the user had it (a category, never a name).
    status = request.POST.get("status", "")
    if status in (*ListStatus.values, "none"):
        url = f"{url}?{urlencode({'status': status})}"
    return redirect(url)
