from django.urls import path

from safepath.emergency.views import coordination, field, risk, submissions

app_name = "emergency"
urlpatterns = [
    path("", coordination.emergencies_page, name="list"),
    path("field/", field.field_app_page, name="field"),
    path("risk/", risk.risk_map_page, name="risk"),
    path("import/", submissions.submissions_page, name="import"),
    path("<uuid:emergency_id>/", coordination.board_page, name="board"),
    path("<uuid:emergency_id>/end/", coordination.emergency_end_page, name="end"),
    path("<uuid:emergency_id>/gaps/", coordination.gaps_page, name="gaps"),
]
