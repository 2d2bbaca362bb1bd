from django.urls import path  # noqa: F401 - the feature's pages are added here

app_name = "catalog"

urlpatterns: list = []
