"""Template context: the fixed census date, when the deployment sets one, for the header."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from census_coord import clock


def census_date(request: HttpRequest) -> dict[str, dt.date | None]:
    """``census_date`` is shown in a banner on every page (and the admin) so that nobody
    mistakes a training date for today."""
    return {"census_date": clock.census_date()}
