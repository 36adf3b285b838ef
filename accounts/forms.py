"""HTML forms of the accounts app."""

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.models import EmailAddress
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganizationKind, Role
from core.geo import CITIES, place_name

MAX_LICENCE_MB = 10


class LoginForm(AllauthLoginForm):
    """allauth's login (username or e-mail) with one exception to mandatory verification.

    People who signed up themselves always have an allauth ``EmailAddress`` row and must
    verify it before they can log in. Accounts the platform created (staff, the demo seeder,
    ``createsuperuser``) have none: the operator vouched for them, so they log in directly.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "login" in self.fields:
            # allauth's Chinese catalogue says "用户名或email"; the site's own wording.
            self.fields["login"].label = _("用户名或电子邮箱")
            self.fields["login"].widget.attrs["placeholder"] = _("用户名或电子邮箱")

    def clean(self):
        cleaned_data = super().clean()
        login = getattr(self, "_login", None)
        if login is not None and not EmailAddress.objects.filter(user=login.user).exists():
            login.email_verification = EmailVerificationMethod.NONE
        return cleaned_data


class KycRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("驳回原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("驳回时必须填写原因。")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("驳回时必须填写原因。"))
        return reason


class KycSubmitForm(forms.Form):
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        min_length=18,
        max_length=18,
        help_text=_("18 位，见营业执照。"),
    )
    business_licence = forms.FileField(
        label=_("营业执照"),
        required=False,
        help_text=_("PDF 或图片（JPEG、PNG、WebP），不超过 10 MB；仅平台审核人员可见。"),
    )


def organization_kind_choices() -> list[tuple[str, str]]:
    """Every kind an organization can register as: the enum without the platform itself."""
    return [
        (value, label)
        for value, label in OrganizationKind.choices
        if value != OrganizationKind.PLATFORM
    ]


def city_choices() -> list[tuple[str, str]]:
    return [("", "---------"), *((city.name, place_name(city.name)) for city in CITIES)]


class OrganizationRegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("机构类型"), choices=organization_kind_choices)
    name = forms.CharField(label=_("机构名称"), max_length=200, help_text=_("与营业执照一致。"))
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        min_length=18,
        max_length=18,
        help_text=_("18 位，见营业执照。"),
    )
    city = forms.ChoiceField(label=_("所在城市"), choices=city_choices)
    phone = forms.RegexField(
        label=_("联系电话"),
        max_length=30,
        regex=r"^[0-9+\-() ]{7,30}$",
        error_messages={"invalid": _("请输入有效的电话号码。")},
    )
    business_licence = forms.FileField(
        label=_("营业执照"),
        help_text=_("PDF 或图片（JPEG、PNG、WebP），不超过 10 MB；仅平台审核人员可见。"),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写机构名称。"))
        return name


def invitable_role_choices() -> list[tuple[str, str]]:
    return list(Role.choices)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("邮箱"))
    role = forms.ChoiceField(label=_("角色"), choices=invitable_role_choices)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=invitable_role_choices)
