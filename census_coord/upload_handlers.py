"""Notice a multipart body that ended before its last file did (issue 17, item 8).

Under load a client may give up or a proxy may cut the request mid-upload. Django's
parser then drops the unfinished file without a word, and the form or the API answered
"no file was submitted" (a 400 nobody could explain). ``CutUploadDetector`` runs before
Django's own handlers, passes every byte on, and marks the request when the parser
reports an interrupted upload; ``upload_was_cut`` lets the view say what happened.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.utils.translation import gettext as _

CUT_ATTRIBUTE = "census_upload_cut"


class CutUploadDetector(FileUploadHandler):
    """Passes data through; records that a file part never reached its end."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file

    def upload_interrupted(self) -> None:
        if self.request is not None:
            setattr(self.request, CUT_ATTRIBUTE, True)


def upload_was_cut(request: HttpRequest) -> bool:
    """True when the request's body ended in the middle of a file (read the files first)."""
    return bool(getattr(getattr(request, "_request", request), CUT_ATTRIBUTE, False))


def upload_cut_message() -> str:
    return _(
        "The file did not arrive whole: the connection was cut or took too long. Upload it again."
    )
