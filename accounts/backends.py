"""Authentication backends of the test settings."""

from axes.backends import AxesStandaloneBackend


class AxesBackendForTestClient(AxesStandaloneBackend):
    """Test settings only: ``django.test.Client.login()`` calls ``authenticate`` without a
    request, which the plain axes backend refuses with an exception. Every login that comes
    through a view has a request and is checked as in production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
