"""The objects the route matrix requests: everything belongs to institution A."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone

from accounts.services import api_token_issue
from audit.models import AuditAction
from audit.services import audit_record
from enumeration import services as enumeration_services
from enumeration.models import Certificate
from equipment.choices import Condition, ReturnOutcome
from equipment.models import HandoverAct, KitReturn, TabletKit
from equipment.services import (
    KitReturnLine,
    handover_act_create,
    handover_act_sign,
    kit_return_record,
)
from institutions.models import AppointmentOrder, Campaign, Institution, SeminarAttendance
from institutions.services import appointment_order_report
from reminders.models import Notification, Reminder
from reminders.services import reminder_settings_ensure
from respondents import services as respondent_services
from respondents.importing.services import import_job_create, import_job_run
from respondents.models import DuplicateIinConflict, ImportJob, Respondent, RespondentList
from tests.equipment.factories import TabletKitFactory
from tests.factories import (
    ApiClientFactory,
    InstitutionFactory,
    OfficerFactory,
    ResponsibleStaffFactory,
)
from tests.institutions.factories import ProvisioningFactory, SeminarAttendanceFactory
from tests.reminders.factories import NotificationFactory
from tests.respondents.factories import row_data
from tests.respondents.import_files import csv_bytes, person
from tests.sync.factories import sync_objects

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    institution_a: Institution
    institution_b: Institution
    users: dict[str, Any]
    list_a: RespondentList
    respondent_a: Respondent
    conflict_a: DuplicateIinConflict
    kit_a: TabletKit
    act_a: HandoverAct
    draft_act_a: HandoverAct
    kit_return_a: KitReturn
    notification_a: Notification
    certificate_a: Certificate
    import_job_a: ImportJob | None = None
    queued_import_job_a: ImportJob | None = None
    sync_kit_a: Any = None
    sync_record_a: Any = None
    signed_scan_a: Any = None
    staff_a: Any = None
    order_a: AppointmentOrder | None = None
    attendance_a: SeminarAttendance | None = None
    census_review_a: Any = None

    @classmethod
    def build(cls, *, institution_a: Institution, institution_b: Institution, users: dict) -> World:
        staff = ResponsibleStaffFactory(institution=institution_a, email="staff@example.kz")
        ProvisioningFactory(staff=staff)
        attendance_a = SeminarAttendanceFactory(staff=staff)
        order_a = appointment_order_report(
            actor=users["officer_a"],
            institution=institution_a,
            number="1-ө",
            date=dt.date(2021, 5, 20),
            signed_by="Басшы",
            scan=SimpleUploadedFile("order.pdf", PDF_BYTES),
        )
        api_token_issue(
            actor=users["department"],
            user=ApiClientFactory(institution=institution_a),
            name="matrix",
        )
        audit_record(request_or_actor=users["department"], action=AuditAction.VIEW, obj=staff)
        now = timezone.now()
        common = {"ip_address": "192.0.2.1", "user_agent": "matrix", "username": "nobody"}
        AccessAttempt.objects.create(
            attempt_time=now, get_data="", post_data="", failures_since_start=1, **common
        )
        AccessLog.objects.create(attempt_time=now, **common)
        AccessFailureLog.objects.create(attempt_time=now, locked_out=False, **common)
        list_a, respondent_a, conflict_a, jobs = _respondent_list_of_a(institution_a, users)
        certificate_a = _certificate_of_a(respondent_a, users["officer_a"])
        act_a, kit_return_a = _act_of_a(staff, users["department"])
        # A draft shows the department's sign and cancel controls.
        draft_act_a = handover_act_create(
            actor=users["department"],
            institution=institution_a,
            received_by=staff,
            kits=[TabletKitFactory()],
            act_date=dt.date(2021, 9, 21),
            instruction_booklets=0,
            certificate_blanks=0,
        )
        notification_a = NotificationFactory(recipient=users["officer_a"])
        # The settings rows the admin's change pages open (its list page would create them,
        # but each route is requested on its own).
        reminder_settings_ensure()
        Reminder.objects.create(
            recipient=users["officer_a"],
            kind="list_not_submitted",
            content_type=ContentType.objects.get_for_model(RespondentList),
            object_id=list_a.pk,
            due_date=dt.date(2021, 6, 8),
            deadline=dt.date(2021, 6, 15),
            lead_days=7,
            institution=institution_a,
        )
        world = cls(
            institution_a=institution_a,
            institution_b=institution_b,
            users=users,
            list_a=list_a,
            respondent_a=respondent_a,
            conflict_a=conflict_a,
            kit_a=act_a.items.get(is_open=True).kit,
            act_a=act_a,
            draft_act_a=draft_act_a,
            kit_return_a=kit_return_a,
            notification_a=notification_a,
            certificate_a=certificate_a,
        )
        world.import_job_a, world.queued_import_job_a = jobs
        world.signed_scan_a = respondent_services.respondent_list_scan_attach(
            actor=users["officer_a"],
            respondent_list=list_a,
            file=SimpleUploadedFile("list.pdf", PDF_BYTES),
        )
        world.staff_a, world.order_a, world.attendance_a = staff, order_a, attendance_a
        world.sync_kit_a, world.sync_record_a = sync_objects(users["department"], staff)
        world.census_review_a = _census_review_of_a(respondent_a, users["department"])
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


def _census_review_of_a(respondent: Respondent, department: Any) -> Any:
    """A census-database form of A's institution awaiting the Department, with A's person
    as its candidate (the export, the record and the review pages open it)."""
    from django.core.files.base import ContentFile

    from censusdb.models import CensusCandidate, CensusExport, CensusRecord, CensusReview

    campaign = respondent.respondent_list.campaign
    export = CensusExport(campaign=campaign, created_by=department, source="file",
                          file_name="export.csv", content_hash="0" * 64)  # fmt: skip
    export.file.save("export.bin", ContentFile(b"x"), save=True)
    record = CensusRecord.objects.create(
        campaign=campaign, form_number="M-1", surname=respondent.surname,
        given_name=respondent.given_name, birth_date=respondent.birth_date, method="online",
        completed_at=timezone.now(), institution=respondent.respondent_list.institution,
        content_hash="0" * 64, export=export, state="review",
    )  # fmt: skip
    review = CensusReview.objects.create(record=record, kind="variant")
    CensusCandidate.objects.create(
        review=review, respondent=respondent, kind="variant", scope="institution"
    )
    return review


def _respondent_list_of_a(
    institution_a: Institution, users: dict[str, Any]
) -> tuple[RespondentList, Respondent, DuplicateIinConflict, tuple[ImportJob, ImportJob]]:
    """A's list, accepted and amended, whose first person is also on a third institution's
    list (a conflict for the department). Institution B has no list.

    While it was a draft, A's officer uploaded a file with a mistyped IIN (a rejected
    import with an error report) and another that no worker has picked up yet."""
    campaign = Campaign.objects.get(is_active=True)
    department = users["department"]
    shared = row_data()
    institution_c = InstitutionFactory()
    officer_c = OfficerFactory(username="officer_c", institution=institution_c)
    lists = []
    for officer, institution in ((users["officer_a"], institution_a), (officer_c, institution_c)):
        respondent_list = respondent_services.respondent_list_open(
            actor=officer, institution=institution, campaign=campaign
        )
        respondent_services.respondent_create(
            actor=officer, respondent_list=respondent_list, data=shared
        )
        if officer is users["officer_a"]:
            jobs = _import_jobs_of_a(officer, respondent_list)
        respondent_services.respondent_list_submit(actor=officer, respondent_list=respondent_list)
        respondent_services.respondent_list_accept(
            actor=department, respondent_list=respondent_list
        )
        lists.append(respondent_list)
    list_a = lists[0]
    respondent_services.respondent_add_arrival(
        actor=users["officer_a"],
        respondent_list=list_a,
        data=row_data(surname="Серікова", sex="female", birth_date=dt.date(1961, 2, 3)),
        arrived_on=campaign.list_reference_date + dt.timedelta(days=10),
    )
    respondent = list_a.respondents.get(iin=shared["iin"])
    conflict = DuplicateIinConflict.objects.get(institution_a=institution_a)
    return list_a, respondent, conflict, jobs


def _import_jobs_of_a(officer: Any, respondent_list: RespondentList) -> tuple[ImportJob, ImportJob]:
    mistyped = person(1, iin="123456789012")
    rejected = import_job_create(
        actor=officer,
        respondent_list=respondent_list,
        upload=io.BytesIO(csv_bytes([mistyped, person(2)])),
        file_name="list.csv",
        enqueue=False,
    )
    rejected = import_job_run(job_id=rejected.pk)
    assert rejected.error_report, "the matrix needs a job with an error report"
    queued = import_job_create(
        actor=officer,
        respondent_list=respondent_list,
        upload=io.BytesIO(csv_bytes([person(3)])),
        file_name="more.csv",
        enqueue=False,
    )
    return rejected, queued


def _certificate_of_a(respondent: Respondent, officer: Any) -> Certificate:
    """A's first person enumerated online (stage 2) and given a certificate."""
    enumeration_services.enumeration_record(
        actor=officer,
        update=enumeration_services.EnumerationUpdate(
            respondent_id=respondent.pk,
            status="enumerated",
            method="online_self",
            enumerated_on=dt.date(2021, 9, 20),
        ),
    )
    return enumeration_services.certificate_issue(actor=officer, respondent=respondent)


def _act_of_a(staff: Any, department: Any) -> tuple[HandoverAct, KitReturn]:
    """A signed act for A (with its scan) with two kits, one of them returned."""
    act = handover_act_create(
        actor=department,
        institution=staff.institution,
        received_by=staff,
        kits=TabletKitFactory.create_batch(2),
        act_date=dt.date(2021, 9, 20),
        instruction_booklets=1,
        certificate_blanks=10,
    )
    act = handover_act_sign(
        actor=department,
        act=act,
        department_signed_on=act.act_date,
        recipient_signed_on=act.act_date,
        signed_scan=SimpleUploadedFile("act.pdf", PDF_BYTES),
    ).act
    item = act.items.order_by("pk").first()
    components = {
        code: ReturnOutcome.RETURNED
        for code, condition in item.components_at_handover.items()
        if condition != Condition.ABSENT
    }
    kit_return = kit_return_record(
        actor=department,
        act=act,
        returned_on=dt.date(2021, 11, 2),
        returned_by=staff,
        lines=[
            KitReturnLine(
                item_id=item.pk, tablet_outcome=ReturnOutcome.RETURNED, components=components
            )
        ],
    )
    act.refresh_from_db()
    return act, kit_return
