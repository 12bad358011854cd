"""Stage-2 progress counters: what the dashboard reads instead of a million respondent rows.

Both tables are derived data. ``enumeration.progress_services.progress_refresh`` recounts
the affected lists from the raw rows, in the same transaction as every change that alters
what is counted; ``manage.py progress_rebuild`` recounts everything. Nothing else writes
them, and nothing is ever incremented: a recount cannot drift.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from enumeration.choices import EnumerationMethod
from respondents.models.lists import RespondentList


class ListProgress(models.Model):
    """Counts of one respondent list's listed people by outcome, and the reconciliation
    report's two rare sections; no row means nobody listed and nobody enumerated.

    One column per method and reason (the dashboard adds them in Python), so a region's
    report reads one narrow row per institution. A new method or reason needs a new column
    here and in ``progress_services.counter_filters``; ``makemigrations --check`` catches the
    first. ``arrivals`` and ``not_listed`` are the reconciliation report's sections
    (``progress_services.reconciliation_filters``): a list whose enumerated people all left
    before the critical moment has a row with ``listed`` 0.
    """

    respondent_list = models.OneToOneField(
        RespondentList,
        verbose_name=_("respondent list"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="progress",
    )
    # Copies of the list's own keys, so that scoping and filters need no join.
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="list_progress"
    )
    campaign = models.ForeignKey(
        "institutions.Campaign", on_delete=models.CASCADE, related_name="+"
    )
    listed = models.PositiveIntegerField(default=0)
    method_online_self = models.PositiveIntegerField(default=0)
    method_online_assisted = models.PositiveIntegerField(default=0)
    method_tablet = models.PositiveIntegerField(default=0)
    method_admin_records = models.PositiveIntegerField(default=0)
    reason_refused = models.PositiveIntegerField(default=0)
    reason_absent = models.PositiveIntegerField(default=0)
    reason_departed = models.PositiveIntegerField(default=0)
    reason_deceased = models.PositiveIntegerField(default=0)
    reason_other = models.PositiveIntegerField(default=0)
    # The reconciliation report: listed arrivals (amendments) who were enumerated, and
    # people enumerated who are no longer listed (left before the critical moment).
    arrivals = models.PositiveIntegerField(default=0)
    not_listed = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "respondents_listprogress"  # the table kept its name when the model moved
        verbose_name = _("list progress")
        verbose_name_plural = _("list progress")
        indexes = [models.Index(fields=["campaign", "institution"])]

    def __str__(self) -> str:
        return f"{self.respondent_list_id}: {self.listed}"


class DailyProgress(models.Model):
    """People of one list enumerated on one day by one method (listed people only)."""

    respondent_list = models.ForeignKey(
        RespondentList, on_delete=models.CASCADE, related_name="daily_progress"
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        "institutions.Campaign", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    method = models.CharField(max_length=16, choices=EnumerationMethod.choices)
    enumerated = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "respondents_dailyprogress"  # the table kept its name when the model moved
        verbose_name = _("daily progress")
        verbose_name_plural = _("daily progress")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent_list", "day", "method"], name="daily_progress_unique"
            )
        ]
        # The daily series sums a campaign's rows by day and method: with every column it
        # reads in the index, PostgreSQL answers from the index alone, already in order.
        # A region's or an institution's series reads its institutions' rows: the second
        # index holds them, with the columns summed, so those too skip the table.
        indexes = [
            models.Index(fields=["campaign", "day", "method", "enumerated"]),
            models.Index(
                fields=["campaign", "institution"],
                include=["day", "method", "enumerated"],
                name="daily_progress_by_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_list_id} {self.day} {self.method}: {self.enumerated}"
