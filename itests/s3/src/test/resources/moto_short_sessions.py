"""moto's server (python moto_short_sessions.py -H host -p port) with two changes for LongRunningClientsIT.

Real STS never issues role sessions shorter than 15 minutes, and moto (5.2.5) accepts temporary
credentials after they expire. To see several renewals within a short test, and clients fail for
real when they keep credentials too long:

* every AssumeRole session lasts at most TOKENHOST_MOTO_SESSION_SECONDS (the Expiration in the
  response says so, as real STS would for a shorter DurationSeconds);
* a request signed with an assumed-role key whose session has expired is refused with
  ExpiredToken, as S3 does.

Everything else is moto as shipped: SigV4, session tokens and IAM policies are checked as usual.
"""
import os
import sys

from moto.core.utils import utcnow
from moto.iam import access_control
from moto.s3.exceptions import S3ClientError
from moto.sts import models as sts

SECONDS = int(os.environ["TOKENHOST_MOTO_SESSION_SECONDS"])

_assumed_role_init = sts.AssumedRole.__init__


def _short_session(self, *args, **kwargs):
    kwargs["duration"] = min(int(kwargs["duration"]), SECONDS)
    _assumed_role_init(self, *args, **kwargs)


sts.AssumedRole.__init__ = _short_session

_access_key_init = access_control.AssumedRoleAccessKey.__init__


class ExpiredToken(S3ClientError):
    code = "ExpiredToken"

    def __init__(self):
        super().__init__("ExpiredToken", "The provided token has expired.")


def _unexpired_only(self, account_id, partition, access_key_id, headers):
    for role in sts.sts_backends[account_id][partition].assumed_roles:
        if role.access_key_id == access_key_id and role.expiration <= utcnow():
            raise ExpiredToken()
    _access_key_init(self, account_id, partition, access_key_id, headers)


access_control.AssumedRoleAccessKey.__init__ = _unexpired_only

if __name__ == "__main__":
    from moto.server import main

    sys.argv[0] = "moto.server"
    main()
