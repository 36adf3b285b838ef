import random

import factory

from accounts.models import KycStatus, Membership, Organization, OrganizationKind, Role, User
from accounts.validators import CREDIT_CODE_ALPHABET, credit_code_check_character


def make_credit_code(seed: int) -> str:
    """A syntactically valid unified social credit code (registration 9, type 1, Changsha)."""
    rng = random.Random(seed)
    body = "91430100" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    return body + credit_code_check_character(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = OrganizationKind.DEALER
    credit_code = factory.Sequence(make_credit_code)
    kyc_status = KycStatus.VERIFIED
    province = "湖南省"
    city = "长沙市"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.OWNER


def member_of(organization: Organization, role: str = Role.OWNER, **user_kwargs: object) -> User:
    """A new user who belongs to ``organization`` with ``role``."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organization=organization, role=role)
    return user
