"""Demo users: dept (department staff), commission (read-only) and officer."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from census_coord.demo import DemoContext

DEMO_USERS = {
    "dept": {
        "role": Role.DEPARTMENT,
        "is_staff": True,
        "first_name": "Dana",
        "last_name": "Department",
    },
    "commission": {
        "role": Role.COMMISSION,
        "is_staff": False,
        "first_name": "Kamila",
        "last_name": "Commission",
    },
    "officer": {
        "role": Role.OFFICER,
        "is_staff": False,
        "first_name": "Oral",
        "last_name": "Officer",
    },
}


def seed(context: DemoContext) -> None:
    """Create the three demo users. The password is DEMO_PASSWORD, or generated and
    printed once, when the users are first created; later runs leave it alone unless
    DEMO_PASSWORD is given."""
    missing = [name for name in DEMO_USERS if not User.objects.filter(username=name).exists()]
    password = context.password or (secrets.token_urlsafe(12) if missing else None)
    for username, spec in DEMO_USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "is_staff": spec["is_staff"],
                "email": f"{username}@example.kz",
            },
        )
        if created or context.password:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=spec["role"]))
        context.users[username] = user
    if missing or context.password:
        shown = password if not context.password else "(from DEMO_PASSWORD)"
        context.say(f"Demo users {', '.join(DEMO_USERS)} — password: {shown}")
    else:
        context.say("Demo users already exist; password unchanged (set DEMO_PASSWORD to reset it).")
