"""The unified social credit code (GB 32100-2015) validator."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import make_credit_code
from accounts.validators import credit_code_check_character, validate_credit_code


def test_check_character_computed_by_hand():
    # 91430100MA4L0000 + "0": digits 9,1,4,3,0,1,0,0 ; M=21 A=10 4 L=20 0 0 0 0 0
    # weighted sum = 9*1 + 1*3 + 4*9 + 3*27 + 0*19 + 1*26 + 0*16 + 0*17
    #              + 21*20 + 10*29 + 4*25 + 20*13 + 0*8 + 0*24 + 0*10 + 0*30 + 0*28
    #              = 9 + 3 + 36 + 81 + 26 + 420 + 290 + 100 + 260 = 1225
    # 1225 mod 31 = 16 ; 31 - 16 = 15 -> alphabet[15] = "F"
    assert credit_code_check_character("91430100MA4L00000") == "F"
    validate_credit_code("91430100MA4L00000F")


@pytest.mark.parametrize(
    "code",
    [
        "91430100MA4L00000F",
        "91430100ma4l00000f",  # lower case is accepted (normalised to upper)
        # 9*1+1*3+1*9+1*27+1*20+1*24+3*10+8*30+2*28 = 418; 418 mod 31 = 15; 31-15 = 16 -> "G"
        "91110000100001382G",
    ],
)
def test_valid_codes(code):
    validate_credit_code(code)


@pytest.mark.parametrize("seed", range(20))
def test_factory_codes_are_valid(seed):
    validate_credit_code(make_credit_code(seed))


def test_wrong_check_character():
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91430100MA4L00000G")
    assert excinfo.value.code == "checksum"


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z"])
def test_letters_not_used_in_codes(bad):
    code = "91430100MA4L0000" + bad + "0"
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == "charset"


@pytest.mark.parametrize("code", ["", "91430100MA4L0000", "91430100MA4L00000FF"])
def test_length(code):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == "length"


def test_region_must_be_digits():
    body = "9143A100MA4L00000"
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(body + credit_code_check_character(body))
    assert excinfo.value.code == "region"
