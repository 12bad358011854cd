"""Landing page: sends each role to its own start page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.roles import Role, role_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == Role.OFFICER:
        return redirect("institutions:officer_home")
    if role in (Role.DEPARTMENT, Role.COMMISSION):
        return redirect("institutions:department_home")
    return redirect("accounts:no_role")
