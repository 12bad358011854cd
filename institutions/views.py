"""Start pages of the department and of institution officers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Role, role_of
from institutions.selectors import (
    campaign_get_active,
    institution_get,
    institution_list,
    staff_list,
)


@login_required
def department_home(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in (Role.DEPARTMENT, Role.COMMISSION):
        raise PermissionDenied
    institutions = institution_list(user=request.user)
    context = {
        "campaign": campaign_get_active(),
        "institution_count": institutions.count(),
        "district_count": institutions.values("district").distinct().count(),
    }
    return render(request, "institutions/department_home.html", context)


@login_required
def officer_home(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) != Role.OFFICER:
        raise PermissionDenied
    institution = institution_get(user=request.user, pk=request.user.institution_id)
    context = {
        "campaign": campaign_get_active(),
        "institution": institution,
        "staff": staff_list(user=request.user).filter(is_active=True),
    }
    return render(request, "institutions/officer_home.html", context)
