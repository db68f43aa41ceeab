"""Account selection: an access key id `IDPLTEST<12 digits>` picks the account with those digits.

moto picks the account from the `x-moto-account-id` header, else from an IAM access key it
created, else 123456789012. This adds one rule before the default: an access key id of the form
`IDPLTEST<12 digits>` (20 characters, as moto's parser wants) selects the account with those
digits, so a client that cannot add headers can still be isolated.
"""

import re

_KEY = re.compile(r"^IDPLTEST(\d{12})$")


def install() -> None:
    from moto.core.responses import BaseResponse

    original = BaseResponse.get_current_account

    def get_current_account(self):  # type: ignore[no-untyped-def]
        import os

        if "MOTO_ACCOUNT_ID" not in os.environ and "x-moto-account-id" not in self.headers:
            match = _KEY.match(self.get_access_key())
            if match:
                return match.group(1)
        return original(self)

    BaseResponse.get_current_account = get_current_account
