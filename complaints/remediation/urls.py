app_name = "remediation"

urlpatterns: list = []
