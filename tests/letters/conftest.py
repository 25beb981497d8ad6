import pytest

from complaints.choices import Activity
from complaints.models import FirmActivity
from tests.factories import FirmFactory, MembershipFactory


@pytest.fixture
def admin_user(firm):
    return MembershipFactory(firm=firm, role="admin").user


@pytest.fixture
def approver(firm):
    return MembershipFactory(firm=firm, role="supervisor").user


@pytest.fixture
def offshore_firm(db):
    """A firm that carries on the CATP activity from outside the UK (CP26/4 para 3.27)."""
    firm = FirmFactory(name="Offshore Venue Ltd", activities=[])
    FirmActivity.objects.create(
        firm=firm, activity=Activity.OPERATING_CATP, from_uk_establishment=False
    )
    return firm


@pytest.fixture
def new_firm(db):
    """A firm whose administrator has not uploaded the FOS leaflet yet (the leaflet tests)."""
    return FirmFactory(name="Fresh Start Crypto Ltd", fos_leaflet=False)


@pytest.fixture
def new_firm_admin(new_firm):
    return MembershipFactory(firm=new_firm, role="admin").user


@pytest.fixture
def new_firm_owner(new_firm):
    return MembershipFactory(firm=new_firm, role="handler").user
