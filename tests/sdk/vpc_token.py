"""Gets an IAM token with IBM's Python SDK core (ibm-cloud-sdk-core), as an IBM SDK on an
instance would, and prints the outcome as one JSON line.

Usage: vpc_token.py URL VERSION SELECTOR VALUE LIFETIME
SELECTOR is default, id, crn or name; VERSION is what the SDK sends (2022-03-01 or 2025-08-26).
"""
import base64
import json
import sys

from ibm_cloud_sdk_core import ApiException
from ibm_cloud_sdk_core.authenticators import VPCInstanceAuthenticator

url, version, selector, value, lifetime = sys.argv[1:6]
profile = {} if selector == "default" else {"iam_profile_" + selector: value}
authenticator = VPCInstanceAuthenticator(
    url=url, service_version=version, token_lifetime=int(lifetime), **profile
)
try:
    token = authenticator.token_manager.get_token()
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    print(json.dumps({"ok": True, "claims": claims}))
except ApiException as e:
    print(json.dumps({"ok": False, "status": e.code, "message": e.message}))
