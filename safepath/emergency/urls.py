from django.urls import path

from safepath.emergency.views import field

app_name = "emergency"
urlpatterns = [
    path("field/", field.field_app_page, name="field"),
]
