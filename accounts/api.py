"""REST endpoints of the accounts app: the API token, throttled and behind the lock-out."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle

from core.api import ErrorSerializer


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed login attempts; try again later."
    default_code = "locked_out"


class TokenObtainView(ObtainAuthToken):
    """Exchange a username and password for an API token.

    Scoped throttle ``auth_token`` per client address, and the same django-axes lock-out as
    the login pages: after ``AXES_FAILURE_LIMIT`` failures for a username from one address,
    even the right password is refused until the cool-off has passed.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: OpenApiResponse(description='The token: {"token": "..."}'),
            400: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut() from None
            raise


token_obtain = TokenObtainView.as_view()
