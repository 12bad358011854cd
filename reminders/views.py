"""The notifications page: a user's own in-app notifications, marked read one by one or all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.types import AuthenticatedHttpRequest
from census_coord.filtering import page_rows
from census_coord.pagination import paginate
from reminders.filters import NotificationFilterSet
from reminders.selectors import notification_get, notification_list
from reminders.services import notification_mark_read, notifications_mark_all_read


@login_required
def notification_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications, filtered = page_rows(
        NotificationFilterSet(request.GET, queryset=notification_list(user=request.user))
    )
    page, filter_params = paginate(request, notifications)
    return render(
        request,
        "reminders/notification_list.html",
        {
            "page": page,
            "filter_params": filter_params,
            "show_unread": filtered.get("unread") == "true",
        },
    )


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read; ``open`` goes on to the page it links to."""
    notification = notification_get(user=request.user, pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    if request.POST.get("open") and notification.path:
        target = notification.path
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
    return redirect("reminders:notifications")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("Notifications marked read: %(count)d.") % {"count": count})
    return redirect("reminders:notifications")
