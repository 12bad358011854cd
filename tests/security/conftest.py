import pytest

from tests.security.world import World


@pytest.fixture
def world(
    institution_a,
    institution_b,
    officer_a,
    officer_b,
    commission_user,
    department_user,
    settings,
    tmp_path,
):
    # The act's signed scan is written to a private media root of this test only.
    settings.MEDIA_ROOT = tmp_path / "media"
    users = {
        "officer_a": officer_a,
        "officer_b": officer_b,
        "commission": commission_user,
        "department": department_user,
        "anonymous": None,
    }
    return World.build(institution_a=institution_a, institution_b=institution_b, users=users)
