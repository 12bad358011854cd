"""The objects the route matrix requests: everything belongs to institution A."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.db.models import Model
from django.utils import timezone

from accounts.services import api_token_issue
from audit.models import AuditAction
from audit.services import audit_record
from institutions.models import Institution
from tests.factories import ResponsibleStaffFactory
from tests.institutions.factories import ProvisioningFactory, SeminarAttendanceFactory
from tests.sync.factories import sync_objects


@dataclass
class World:
    institution_a: Institution
    institution_b: Institution
    users: dict[str, Any]
    kit_a: Any = None
    sync_record_a: Any = None

    @classmethod
    def build(cls, *, institution_a: Institution, institution_b: Institution, users: dict) -> World:
        staff = ResponsibleStaffFactory(institution=institution_a, email="staff@example.kz")
        ProvisioningFactory(staff=staff)
        SeminarAttendanceFactory(staff=staff)
        api_token_issue(user=users["officer_a"], name="matrix")
        audit_record(request_or_actor=users["department"], action=AuditAction.VIEW, obj=staff)
        now = timezone.now()
        common = {"ip_address": "192.0.2.1", "user_agent": "matrix", "username": "nobody"}
        AccessAttempt.objects.create(
            attempt_time=now, get_data="", post_data="", failures_since_start=1, **common
        )
        AccessLog.objects.create(attempt_time=now, **common)
        AccessFailureLog.objects.create(attempt_time=now, locked_out=False, **common)
        world = cls(institution_a=institution_a, institution_b=institution_b, users=users)
        world.kit_a, world.sync_record_a = sync_objects(users["department"], staff)
        return world

    def admin_object(self, model: type[Model]) -> Model:
        """An object for an admin's change/delete/history page: institution A's if the
        model belongs to an institution."""
        manager = model._default_manager
        for lookup in ("institution", "staff__institution", ""):
            try:
                queryset = (
                    manager.filter(**{lookup: self.institution_a}) if lookup else manager.all()
                )
                obj = queryset.order_by("pk").first()
            except FieldError:  # the model has no such path; try the next
                continue
            if obj is not None:
                return obj
        raise LookupError(
            f"The route matrix needs an object of {model._meta.label}: create one in "
            "tests/security/world.py (World.build)."
        )

    def view_on_site_kwargs(self) -> dict[str, Any]:
        content_type = ContentType.objects.get_for_model(Institution)
        return {"content_type_id": content_type.pk, "object_id": self.institution_a.pk}
