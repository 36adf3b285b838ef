"""Inviting colleagues with a role, accepting once, managing members; refusals change nothing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, InvitationStatus, Membership, Role
from accounts.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_change_role,
    membership_remove,
)
from accounts.tests.factories import OrganizationFactory, UserFactory, member_of
from core.errors import ConflictError, NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"


@pytest.fixture
def org():
    return OrganizationFactory(name="株洲联合机械")


@pytest.fixture
def owner(org):
    return member_of(org, Role.OWNER, username="boss")


def _invite(org, actor, email="colleague@example.com", role=Role.SALES):
    return invitation_create(organization=org, actor=actor, email=email, role=role, base_url=BASE)


def _snapshot(org):
    return (
        sorted(Membership.objects.filter(organization=org).values_list("user_id", "role")),
        sorted(Invitation.objects.filter(organization=org).values_list("email", "status")),
    )


def test_invitation_email_carries_a_single_use_link(org, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(org, owner)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["colleague@example.com"]
    link = f"{BASE.rstrip('/')}{reverse('accounts:invitation_accept', args=[token])}"
    assert link in message.body
    assert token not in invitation.token_hash  # only the hash is stored
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)) < timedelta(
        seconds=1
    )

    colleague = UserFactory(username="colleague", email="Colleague@example.com")
    membership = invitation_accept(token=token, actor=colleague)
    assert (membership.organization, membership.role) == (org, Role.SALES)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == (InvitationStatus.ACCEPTED, colleague)
    with pytest.raises(NotFoundError):
        invitation_accept(token=token, actor=UserFactory(email="colleague@example.com"))


def test_expired_invitation_is_refused(org, owner):
    invitation, token = _invite(org, owner)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    colleague = UserFactory(email="colleague@example.com")
    with pytest.raises(NotFoundError):
        invitation_accept(token=token, actor=colleague)
    assert not Membership.objects.filter(user=colleague).exists()


def test_another_account_cannot_use_the_link(org, owner):
    _, token = _invite(org, owner)
    intruder = UserFactory(email="intruder@example.com")
    before = _snapshot(org)
    with pytest.raises(PermissionDeniedError):
        invitation_accept(token=token, actor=intruder)
    assert _snapshot(org) == before


def test_reinviting_replaces_the_old_link(org, owner):
    first, old_token = _invite(org, owner)
    _, new_token = _invite(org, owner, role=Role.VIEWER)
    first.refresh_from_db()
    assert first.status == InvitationStatus.REVOKED
    colleague = UserFactory(email="colleague@example.com")
    with pytest.raises(NotFoundError):
        invitation_accept(token=old_token, actor=colleague)
    assert invitation_accept(token=new_token, actor=colleague).role == Role.VIEWER


def test_revoked_invitation_cannot_be_accepted(org, owner):
    invitation, token = _invite(org, owner)
    invitation_revoke(invitation=invitation, actor=owner)
    with pytest.raises(NotFoundError):
        invitation_accept(token=token, actor=UserFactory(email="colleague@example.com"))


@pytest.mark.parametrize("role", [Role.SALES, Role.VIEWER, Role.BUYER, Role.INSPECTOR])
def test_members_without_manager_role_cannot_invite(org, owner, role):
    member = member_of(org, role)
    before = _snapshot(org)
    with pytest.raises(PermissionDeniedError):
        _invite(org, member)
    assert _snapshot(org) == before
    assert mail.outbox == []


def test_outsiders_cannot_invite_or_manage(org, owner):
    outsider = member_of(OrganizationFactory(), Role.OWNER)
    target = Membership.objects.get(user=owner)
    before = _snapshot(org)
    with pytest.raises(PermissionDeniedError):
        _invite(org, outsider)
    with pytest.raises(PermissionDeniedError):
        membership_change_role(membership=target, actor=outsider, role=Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        membership_remove(membership=target, actor=outsider)
    assert _snapshot(org) == before


def test_admin_cannot_make_or_touch_owners(org, owner):
    admin = member_of(org, Role.ADMIN, username="admin")
    sales = member_of(org, Role.SALES, username="sales")
    before = _snapshot(org)
    with pytest.raises(PermissionDeniedError):
        _invite(org, admin, role=Role.OWNER)
    with pytest.raises(PermissionDeniedError):
        membership_change_role(
            membership=Membership.objects.get(user=sales), actor=admin, role=Role.OWNER
        )
    with pytest.raises(PermissionDeniedError):
        membership_remove(membership=Membership.objects.get(user=owner), actor=admin)
    assert _snapshot(org) == before
    # What admins may do:
    membership_change_role(
        membership=Membership.objects.get(user=sales), actor=admin, role=Role.FINANCE
    )
    assert Membership.objects.get(user=sales).role == Role.FINANCE


def test_the_last_owner_stays(org, owner):
    mine = Membership.objects.get(user=owner)
    with pytest.raises(ConflictError):
        membership_remove(membership=mine, actor=owner)
    with pytest.raises(ConflictError):
        membership_change_role(membership=mine, actor=owner, role=Role.ADMIN)
    assert Membership.objects.get(pk=mine.pk).role == Role.OWNER
    second = member_of(org, Role.OWNER, username="second")
    membership_remove(membership=mine, actor=second)
    assert list(Membership.objects.filter(organization=org).values_list("user", flat=True)) == [
        second.pk
    ]


def test_inviting_an_existing_member_is_refused(org, owner):
    member_of(org, Role.SALES, email="here@example.com")
    with pytest.raises(ConflictError):
        _invite(org, owner, email="HERE@example.com")
    assert Invitation.objects.count() == 0


# --- Pages -----------------------------------------------------------------------------


def test_owner_invites_from_the_members_page(client, org, owner):
    client.force_login(owner)
    url = reverse("accounts:organization_members", args=[org.pk])
    response = client.post(url, {"email": "new@example.com", "role": Role.FINANCE})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("new@example.com", Role.FINANCE)
    html = client.get(url).content.decode()
    assert "new@example.com" in html


def test_bad_invitation_input_is_inline(client, org, owner):
    client.force_login(owner)
    url = reverse("accounts:organization_members", args=[org.pk])
    response = client.post(url, {"email": "nope", "role": "emperor"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "role"}
    assert Invitation.objects.count() == 0


def test_members_page_is_404_for_non_managers(client, org, owner):
    sales = member_of(org, Role.SALES)
    client.force_login(sales)
    assert client.get(reverse("accounts:organization_members", args=[org.pk])).status_code == 404


def test_anonymous_invitee_signs_up_and_comes_back(client, org, owner):
    _, token = _invite(org, owner, email="fresh@example.com")
    accept_url = reverse("accounts:invitation_accept", args=[token])
    page = client.get(accept_url)
    assert page.status_code == 200
    assert "株洲联合机械" in page.content.decode()
    client.post(
        reverse("account_signup"),
        {"email": "fresh@example.com", "password1": "Tie-huan-2026", "password2": "Tie-huan-2026"},
    )
    confirm = "/" + re.findall(r"https?://[^\s]+", mail.outbox[-1].body)[0].split("/", 3)[3]
    landed = client.post(confirm)
    assert landed["Location"] == accept_url
    assert client.post(accept_url).status_code == 302
    membership = Membership.objects.get(user__email="fresh@example.com")
    assert (membership.organization, membership.role) == (org, Role.SALES)


def test_unknown_token_is_a_404_page(client):
    response = client.get(reverse("accounts:invitation_accept", args=["forged"]))
    assert response.status_code == 404
    assert "邀请链接无效" in response.content.decode()


@pytest.mark.parametrize(
    ("account_language", "subject"),
    [
        ("en", "[Ironloop] You are invited to join 株洲联合机械"),
        (None, "[Ironloop] 邀请您加入株洲联合机械"),  # no account yet: the inviter's language
    ],
)
def test_invitation_email_is_in_the_invitees_language(
    org, owner, django_capture_on_commit_callbacks, account_language, subject
):
    from django.utils import translation

    if account_language:
        UserFactory(username="colleague", email="colleague@example.com", preferred_language="en")
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        _invite(org, owner)
    assert mail.outbox[0].subject == subject
