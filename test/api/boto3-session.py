"""One boto3 session against a running Stockade, driven by test/api/boto3.test.ts.

Usage: python3 boto3-session.py ENDPOINT_URL. Credentials come from the environment
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). Prints one JSON object: what boto3 parsed from each
answer, so the Node test can assert exact fields. No logic beyond calling the client.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
config = Config(retries={"max_attempts": 1})
ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="us-east-1", config=config)
sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", config=config)
out = {}


def error_of(call):
    try:
        call()
    except ClientError as e:
        return {
            "code": e.response["Error"]["Code"],
            "message": e.response["Error"]["Message"],
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    return None


out["caller"] = sts.get_caller_identity()["Account"]

web = ec2.create_security_group(GroupName="b3-web", Description="web tier")["GroupId"]
app = ec2.create_security_group(GroupName="b3-app", Description="app tier")["GroupId"]
out["web"], out["app"] = web, app

# The security_group_exists waiter polls DescribeSecurityGroups and retries on InvalidGroup.NotFound.
ec2.get_waiter("security_group_exists").wait(GroupIds=[web], WaiterConfig={"Delay": 1, "MaxAttempts": 3})

permissions = [
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "203.0.113.0/24", "Description": "ssh"}]},
    {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "UserIdGroupPairs": [{"GroupId": app}]},
]
authorized = ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=permissions)
out["authorizeReturn"] = authorized["Return"]
out["authorizedRules"] = sorted(
    [
        {k: r.get(k) for k in ("GroupId", "IsEgress", "IpProtocol", "FromPort", "ToPort", "CidrIpv4", "Description")}
        | {"ReferencedGroupId": r.get("ReferencedGroupInfo", {}).get("GroupId")}
        for r in authorized["SecurityGroupRules"]
    ],
    key=lambda r: r["IpProtocol"],
)

out["duplicate"] = error_of(lambda: ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=permissions[:1]))

group = ec2.describe_security_groups(GroupIds=[web])["SecurityGroups"][0]
out["ipPermissions"] = sorted(group["IpPermissions"], key=lambda p: p["IpProtocol"])
out["ipPermissionsEgress"] = group["IpPermissionsEgress"]

rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [web]}])["SecurityGroupRules"]
out["ruleCount"] = len(rules)

pages = ec2.get_paginator("describe_security_groups").paginate(
    Filters=[{"Name": "group-name", "Values": ["b3-*"]}], PaginationConfig={"PageSize": 5}
)
out["paginated"] = sorted(g["GroupName"] for page in pages for g in page["SecurityGroups"])

revoked = ec2.revoke_security_group_ingress(GroupId=web, IpPermissions=permissions[:1])
out["revokeReturn"] = revoked["Return"]
out["unknownAfterRevoke"] = ec2.revoke_security_group_ingress(
    GroupId=web, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]
).get("UnknownIpPermissions")

out["inUse"] = error_of(lambda: ec2.delete_security_group(GroupId=app))
ec2.revoke_security_group_ingress(GroupId=web, IpPermissions=permissions[1:])
ec2.delete_security_group(GroupId=app)
ec2.delete_security_group(GroupId=web)
out["afterDelete"] = error_of(lambda: ec2.describe_security_groups(GroupIds=[web]))

print(json.dumps(out))
