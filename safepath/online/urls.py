from django.urls import URLPattern, URLResolver, path

app_name = "online"
urlpatterns: list[URLPattern | URLResolver] = []
