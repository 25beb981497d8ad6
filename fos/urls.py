app_name = "fos"

urlpatterns: list = []
