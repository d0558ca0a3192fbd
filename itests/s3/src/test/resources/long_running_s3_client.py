"""A long-running boto3 client: python long_running_s3_client.py ENDPOINT BUCKET KEY.

Credentials come from boto3's own chain: AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE, nothing else.
Every second it puts and gets one object with one client made at the start, and prints
"OK <fingerprint of the access key id it signed with>" or "FAIL <error code>". Never prints keys.
Runs until it is killed.
"""
import hashlib
import sys
import time

import boto3
import botocore.config
import botocore.exceptions

endpoint, bucket, key = sys.argv[1:4]
session = boto3.Session()
s3 = session.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                    config=botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
print("started boto3 " + boto3.__version__, flush=True)
n = 0
while True:
    n += 1
    try:
        # the credentials object the client signs with (refreshed by botocore when it thinks it must)
        used = session.get_credentials().get_frozen_credentials().access_key
        body = ("call %d" % n).encode()
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        got = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if got != body:
            raise RuntimeError("read back something else")
        print("OK " + hashlib.sha256(used.encode()).hexdigest()[:12], flush=True)
    except botocore.exceptions.ClientError as e:
        print("FAIL " + e.response.get("Error", {}).get("Code", "?"), flush=True)
    except Exception as e:  # credential_process failures, connection errors
        print("FAIL " + type(e).__name__ + ": " + str(e).splitlines()[0][:200], flush=True)
    time.sleep(1)
