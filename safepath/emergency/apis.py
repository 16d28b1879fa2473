"""Thin API views under /api/v1/emergency/ for the field app: session, sync, recent records.

The declarations, the board, the service gaps and the risk table are in ``apis_coordination.py``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import User
from safepath.accounts.permissions import TwoFactorSatisfied
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import NotFoundError
from safepath.emergency import fieldform
from safepath.emergency import selectors as sel
from safepath.emergency.policies import EmergencyAction, emergency_policy
from safepath.emergency.services.sync import MAX_OPS, sync_batch


def field_worker(request: Request) -> User:
    user = signed_in_user(request)
    if not emergency_policy.user_has_permission(user, EmergencyAction.REGISTER):
        raise NotFoundError(_("No such page."))
    return user


class SessionApi(APIView):
    # Open: a signed-out device learns it must sign in again from ``signed_in: false`` (an
    # expected answer, not an error), and nothing else.
    permission_classes: list[Any] = []

    @extend_schema(operation_id="emergency_session", responses=dict[str, Any])
    def get(self, request: Request) -> Response:
        """Who is signed in (the field app sends a device's records only for their author), the
        form version the server expects, and a CSRF token for a session-signed client."""
        permissions = (IsAuthenticated(), TwoFactorSatisfied())
        if not all(p.has_permission(request, self) for p in permissions):
            return Response({"signed_in": False})
        user = field_worker(request)
        return Response(
            {
                "signed_in": True,
                "user_id": str(user.id),
                "username": user.username,
                "form_version": fieldform.definition().version,
                "accepted_versions": list(fieldform.definition().accepted_versions),
                "csrf_token": get_token(request),
                "server_time": timezone.now().isoformat(),
                "max_ops": MAX_OPS,
            }
        )


class OpSerializer(serializers.Serializer[Any]):
    """One operation (see ``services/sync.py`` for the fields each kind carries)."""

    op_id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["create", "update", "resolve", "screening"])
    record_id = serializers.UUIDField()
    base_version = serializers.IntegerField(required=False)
    base = serializers.DictField(required=False)
    values = serializers.DictField(required=False)
    changes = serializers.DictField(required=False)
    resolutions = serializers.ListField(child=serializers.DictField(), required=False)
    form_version = serializers.CharField(required=False)
    photo = serializers.DictField(required=False)
    screening = serializers.DictField(required=False)


class BatchSerializer(serializers.Serializer[Any]):
    device_id = serializers.CharField(max_length=64)
    ops = OpSerializer(many=True)


class SyncApi(APIView):
    @extend_schema(
        operation_id="emergency_sync",
        request=BatchSerializer,
        responses=dict[str, Any],
        description=(
            "Apply a device's operations in order. Each answers with its own HTTP-like status: "
            "201 created, 200 applied, 208 already applied (a replay), 409 conflict (with "
            "current_version, the server's values and each conflicting field), 400/403/404 "
            "refused (code, fields), 424 not tried (an earlier op on the record failed)."
        ),
    )
    def post(self, request: Request) -> Response:
        user = field_worker(request)
        outcome = sync_batch(user=user, batch=request.data)
        if outcome.created_case_ids:
            from safepath.emergency.tasks import registrations_duplicates_check

            ids = list(outcome.created_case_ids)
            transaction.on_commit(lambda: registrations_duplicates_check.enqueue(ids))
        return Response(
            {
                "results": [result.as_dict() for result in outcome.results],
                "received_at": timezone.now().isoformat(),
            }
        )


class MyRegistrationsApi(APIView):
    @extend_schema(operation_id="emergency_registrations_mine", responses=dict[str, Any])
    def get(self, request: Request) -> Response:
        """The caller's recent registrations (cases assigned to them), for offline work on the
        device. Audited as a read of each case."""
        user = field_worker(request)
        registrations = sel.my_recent_registrations(user=user)
        sel.audit_registration_reads(user=user, registrations=registrations, channel=Channel.API)
        return Response({"results": [sel.registration_data(r) for r in registrations]})


class RegistrationDetailApi(APIView):
    @extend_schema(operation_id="emergency_registration_detail", responses=dict[str, Any])
    def get(self, request: Request, record_id: str) -> Response:
        """One registration by the id its device gave it, with the conflicts resolved on it."""
        user = field_worker(request)
        registration = sel.registration_get(user=user, record_id=record_id, channel=Channel.API)
        data = sel.registration_data(registration)
        data["conflicts"] = [
            {
                "field": c.field,
                "server_value": c.server_value,
                "device_value": c.device_value,
                "chosen": c.chosen,
                "base_version": c.base_version,
                "resolved_version": c.resolved_version,
                "resolved_by": c.resolved_by.username,
                "resolved_at": c.resolved_at.isoformat(),
            }
            for c in sel.registration_conflicts(registration)
        ]
        return Response(data)
