"""Plug-ins that record what a DRF viewset or a ModelAdmin shows, with one line each.

- DRF viewsets: ``class RespondentViewSet(AuditedViewSetMixin, viewsets.ModelViewSet)``
- admin: ``class RespondentAdmin(AuditedAdminMixin, admin.ModelAdmin)`` (already part of
  ``accounts.admin.DepartmentOnlyAdminMixin``); it takes the changelist search by POST
  and keeps the term in the session (``SessionSearchAdminMixin``), so a name or IIN
  typed there is in no URL, browser history or access log.

Reads go through ``audit.entry``; writes are audited by the services they call (the
admin's saves and deletes through ``audit.services.object_save`` / ``objects_delete``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseRedirect

from accounts.types import actor_of
from audit.entry import record_list, record_read
from audit.models import AuditAction
from audit.services import institution_id_of, object_save, objects_delete


class AuditedViewSetMixin:
    """Records what a DRF viewset shows: its list (a view, or a search when filtered) and
    each record retrieved. Its writes are audited by the services they call."""

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        self._audited_object = obj
        return obj

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if 200 <= response.status_code < 300 and request.method != "OPTIONS":
            self._audit(request, response)
        return response

    def _audit(self, request: Any, response: Any) -> None:
        name = getattr(self, "action", None)
        object_type = self.get_queryset().model._meta.label_lower  # type: ignore[attr-defined]
        if name == "list":
            data = response.data
            record_list(
                request=request,
                params=request.query_params,
                object_type=object_type,
                record_count=data.get("count") if isinstance(data, dict) else len(data or []),
            )
        elif name == "retrieve":
            record_read(request, obj=self._audited_object)


ADMIN_SEARCH_SESSION_KEY = "admin_search"
SEARCH_SUBMIT = "_search"
SEARCH_CLEAR = "_clear_search"


class SessionSearchAdminMixin:
    """The changelist search box posts its term, which stays in the session per model.

    The admin's own search sends ``?q=<term>`` by GET; the term could be a name or an
    IIN. Here the search form (``templates/admin/search_form.html``) posts it, the term
    is kept in the session and the browser is sent back to the list's URL without it.
    Links, sorting, filters and pagination then carry no term. An old link with
    ``?q=`` is moved into the session the same way.
    """

    # The search form template posts the term only for admins that take it this way.
    posts_search = True

    def _search_session_key(self) -> str:
        return self.model._meta.label_lower  # type: ignore[attr-defined]

    def search_term(self, request: HttpRequest) -> str:
        terms = request.session.get(ADMIN_SEARCH_SESSION_KEY, {})
        return str(terms.get(self._search_session_key(), ""))

    def _search_term_store(self, request: HttpRequest, term: str) -> None:
        terms = dict(request.session.get(ADMIN_SEARCH_SESSION_KEY, {}))
        if term:
            terms[self._search_session_key()] = term[:200]
        else:
            terms.pop(self._search_session_key(), None)
        request.session[ADMIN_SEARCH_SESSION_KEY] = terms

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.method == "POST" and (
            SEARCH_SUBMIT in request.POST or SEARCH_CLEAR in request.POST
        ):
            term = "" if SEARCH_CLEAR in request.POST else request.POST.get(SEARCH_VAR, "")
            self._search_term_store(request, term.strip())
            return HttpResponseRedirect(request.get_full_path())
        if SEARCH_VAR in request.GET:
            self._search_term_store(request, request.GET[SEARCH_VAR].strip())
            params = request.GET.copy()
            del params[SEARCH_VAR]
            query = params.urlencode()
            return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        return super().changelist_view(request, *args, **kwargs)  # type: ignore[misc]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> Any:
        changelist = super().get_changelist(request, **kwargs)  # type: ignore[misc]
        term = self.search_term(request)

        class SessionSearchChangeList(changelist):  # type: ignore[misc, valid-type]
            def get_queryset(self, request: HttpRequest, *args: Any, **kw: Any) -> Any:
                # The admin read the (absent) GET term just before: the session's instead.
                self.query = term
                return super().get_queryset(request, *args, **kw)

        return SessionSearchChangeList


def session_search_for_every_admin(site: Any = None) -> None:
    """Give every registered admin with a search box the session-kept search, those of
    other packages included (their search may carry a username or an address)."""
    from django.contrib import admin

    site = site or admin.site
    for model_admin in site._registry.values():
        if model_admin.search_fields and not isinstance(model_admin, SessionSearchAdminMixin):
            base = type(model_admin)
            model_admin.__class__ = type(
                base.__name__, (SessionSearchAdminMixin, base), {"__module__": base.__module__}
            )


class AuditedAdminMixin(SessionSearchAdminMixin):
    """Audits an admin: opening a record, searching/filtering the list, every add, change
    and delete (through the audited services), and django-import-export's exports; its
    imports are audited by their resource (``audit.resources.AuditedResourceMixin``)."""

    def _audit_type(self) -> str:
        return self.model._meta.label_lower  # type: ignore[attr-defined]

    # Saves and deletes go through services that audit them in the same transaction.
    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        object_save(actor=actor_of(request), obj=obj, change=change)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        objects_delete(actor=actor_of(request), objects=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        objects_delete(actor=actor_of(request), objects=list(queryset))

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kw: Any) -> Any:
        response = super().change_view(request, object_id, *args, **kw)  # type: ignore[misc]
        if request.method == "GET" and response.status_code == 200:
            obj = getattr(response, "context_data", {}).get("original")
            record_read(
                request,
                object_type=self._audit_type(),
                object_id=object_id,
                institution=institution_id_of(obj),
            )
        return response

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().changelist_view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            changelist = getattr(response, "context_data", {}).get("cl")
            count = getattr(changelist, "result_count", None)
            record_list(
                request=request,
                params={**request.GET.dict(), SEARCH_VAR: self.search_term(request)},
                object_type=self._audit_type(),
                record_count=count,
            )
        return response

    def get_export_data(self, file_format: Any, request: HttpRequest, queryset: Any, **kw: Any):
        data = super().get_export_data(file_format, request, queryset, **kw)  # type: ignore[misc]
        record_read(
            request,
            AuditAction.EXPORT,
            object_type=self._audit_type(),
            record_count=queryset.count() if hasattr(queryset, "count") else len(queryset),
            extra={"format": file_format.get_title()},
        )
        return data
