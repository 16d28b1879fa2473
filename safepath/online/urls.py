from django.urls import URLPattern, URLResolver

app_name = "online"
urlpatterns: list[URLPattern | URLResolver] = []
