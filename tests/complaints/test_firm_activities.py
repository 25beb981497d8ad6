"""``Firm.activity_from_uk`` (DISP 2.6; CP26/4 para 3.27): the same answer whether the firm's
activities were read with it (prefetched: the register import asks once a row, without a query
or a new queryset each time) or not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.choices import Activity
from complaints.models import Firm, FirmActivity

pytestmark = pytest.mark.django_db
ASKED = [Activity.OPERATING_CATP, Activity.SAFEGUARDING, Activity.ISSUING_STABLECOIN]


def test_activity_from_uk_answers_alike_with_the_activities_prefetched_or_not(firm):
    FirmActivity.objects.filter(firm=firm, activity=Activity.SAFEGUARDING).update(
        from_uk_establishment=False
    )
    plain = Firm.objects.get(pk=firm.pk)
    read_with = Firm.objects.prefetch_related("activities").get(pk=firm.pk)
    with CaptureQueriesContext(connection) as prefetched_queries:
        prefetched = [read_with.activity_from_uk(a) for a in ASKED]
    assert prefetched == [plain.activity_from_uk(a) for a in ASKED] == [True, False, None]
    assert len(prefetched_queries) == 0


def test_activity_from_uk_reads_the_activities_when_not_prefetched(firm):
    plain = Firm.objects.get(pk=firm.pk)
    with CaptureQueriesContext(connection) as queries:
        assert plain.activity_from_uk(Activity.OPERATING_CATP) is True
    assert len(queries) == 1
