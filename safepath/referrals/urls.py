from django.urls import URLPattern, URLResolver

app_name = "referrals"
urlpatterns: list[URLPattern | URLResolver] = []
