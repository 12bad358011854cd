"""Forms of the account pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import api_token_holder_candidates


class LoginForm(AuthenticationForm):
    """Django's sign-in form with our own wording of its one failure message.

    Django's message interpolates the username field's name into the sentence, which reads
    half in English in Kazakh and ungrammatically in Russian; ours is one whole sentence,
    the same for an unknown user, a wrong password and an inactive account.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is incorrect. Both are case-sensitive."),
        "inactive": _("The username or password is incorrect. Both are case-sensitive."),
    }


class HolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ApiTokenIssueForm(forms.Form):
    """An officer issues a token for one of their institution's API-client accounts."""

    holder = HolderChoiceField(
        label=_("API client"), queryset=User.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example, the name of the institution's system."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = api_token_holder_candidates(actor=actor)  # type: ignore[attr-defined]  # fields[] is typed Field
