from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import ApiToken
from safepath.accounts.services import api_token_issue, api_token_revoke
from safepath.core.exceptions import PermissionDeniedError


class TokenObtainApi(APIView):
    """Exchange a username and password (plus a two-factor code where needed) for a token."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="TokenRequest")
    class InputSerializer(serializers.Serializer[Any]):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=256, trim_whitespace=False)
        otp = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")

    @extend_schema(
        request=InputSerializer,
        responses={
            200: inline_serializer(
                "Token",
                {"token": serializers.CharField(), "expires_in_hours": serializers.IntegerField()},
            )
        },
    )
    def post(self, request: Request) -> Response:
        from django.conf import settings

        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = api_token_issue(request=request._request, **data.validated_data)
        return Response(
            {"token": token, "expires_in_hours": settings.API_TOKEN_HOURS},
            status=status.HTTP_200_OK,
        )


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.UUIDField()
        username = serializers.CharField()
        role = serializers.CharField()
        agency = serializers.UUIDField(source="agency_id", allow_null=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(request.user).data)


class TokenRevokeApi(APIView):
    """End the token this request carries (signing out of the API)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise PermissionDeniedError(_("Only an API token can be revoked here."))
        api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
