"""An email backend that refuses addresses containing "fail", for retry tests."""

from __future__ import annotations

from django.core.mail.backends.locmem import EmailBackend


class FailingForSomeBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            if any("fail" in address for address in message.to):
                raise ConnectionRefusedError("SMTP server refused the connection")
        return super().send_messages(messages)
