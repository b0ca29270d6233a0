#!/usr/bin/env python3
"""Generate schema/cvm_2017_03_12.json from the machine-readable reading of the
CVM 2017-03-12 document (actions.json, structures.json, common.json in the
reference folder, by default tests/fixtures/reference) plus the hand-written
override tables in this file.  Deterministic: re-running gives the same bytes.

Usage: python3 schema/tools/gen_schema.py [--reference DIR] [--decisions FILE]
                                          [--check] [output-path]
  --reference DIR   folder with actions.json, structures.json, common.json
  --decisions FILE  the decisions whose codes the validation accepts
                    (default docs/decisions.md)
  --check           write nothing; exit 1 if the output differs from
                    output-path (default schema/cvm_2017_03_12.json)
"""
import argparse
import difflib
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT_DEFAULT = os.path.join(ROOT, "schema", "cvm_2017_03_12.json")
REF = os.path.join(ROOT, "tests", "fixtures", "reference")
DECISIONS_PATH = os.path.join(ROOT, "docs", "decisions.md")

# --------------------------------------------------------------------------
# Action-level tables
# --------------------------------------------------------------------------

GROUPS = {
    "DescribeRegions": "regions",
    "DescribeZones": "regions",
}


def group_of(name):
    if name in GROUPS:
        return GROUPS[name]
    if name.startswith("InquiryPrice"):
        return "pricing"
    if "DisasterRecoverGroup" in name:
        return "placement_groups"
    return None  # fall back to the reference group, mapped below


REF_GROUP_MAP = {
    "region": "regions",
    "instance": "instances",
    "image": "images",
    "keypair": "key_pairs",
    "host": "hosts",
}

INVALID_REGION_NOT_FOUND_ACTIONS = {
    "DescribeInstanceFamilyConfigs",
    "DescribeZoneInstanceConfigInfos",
    "AllocateHosts",
}

ACTION_DOCS = {
    "DescribeRegions": "Returns every region where CVM can be used, with its display name and whether it is open.",
    "DescribeZones": "Returns the availability zones of the request region and whether each one is open.",
    "RunInstances": "Creates one or more instances in the background and returns their IDs at once. The new instances start out PENDING and turn RUNNING when ready.",
    "InquiryPriceRunInstances": "Quotes what creating instances with the given configuration would cost, without creating anything.",
    "StartInstances": "Boots instances that are stopped.",
    "StopInstances": "Shuts down running instances, gracefully or by cutting power.",
    "RebootInstances": "Restarts running instances, optionally forcing the restart.",
    "ResetInstance": "Reinstalls the operating system of an instance from a chosen image or its current one. The system disk is wiped.",
    "InquiryPriceResetInstance": "Quotes what reinstalling an instance with the given image and system disk would cost.",
    "ResetInstancesPassword": "Sets a new login password for an operating-system account on one or more instances.",
    "TerminateInstances": "Releases instances. Pay-as-you-go instances go at once; prepaid ones only when they qualify for a refund.",
    "DescribeInstances": "Lists the caller's instances in the region, picked by ID or by filters, one page at a time.",
    "DescribeInstancesStatus": "Lists the current state of the caller's instances, one page at a time.",
    "ModifyInstancesAttribute": "Renames instances or replaces their security groups.",
    "ModifyInstancesProject": "Moves instances into another project.",
    "ResetInstancesType": "Changes one instance to another type of the same family.",
    "InquiryPriceResetInstancesType": "Quotes what changing one instance to another type would cost.",
    "ResizeInstanceDisks": "Grows a cloud data disk that was bought together with the instance.",
    "InquiryPriceResizeInstanceDisks": "Quotes what growing a data disk of an instance would cost.",
    "DescribeInstanceFamilyConfigs": "Lists the instance families the caller can buy in the region.",
    "DescribeInstanceTypeConfigs": "Lists the instance types of the region with their CPU, memory and GPU sizes.",
    "RenewInstances": "Extends the subscription of prepaid instances.",
    "InquiryPriceRenewInstances": "Quotes what extending the subscription of prepaid instances would cost.",
    "ModifyInstancesRenewFlag": "Sets how prepaid instances are renewed when they expire.",
    "DescribeInstanceInternetBandwidthConfigs": "Lists the present and past public bandwidth settings of an instance with prepaid bandwidth.",
    "DescribeInternetChargeTypeConfigs": "Lists the billing modes that public network traffic can use.",
    "ResetInstancesInternetMaxBandwidth": "Changes the outbound public bandwidth cap of instances.",
    "InquiryPriceResetInstancesInternetMaxBandwidth": "Quotes what changing the outbound public bandwidth cap of instances would cost.",
    "DescribeZoneInstanceConfigInfos": "Lists, per zone, the instance configurations on sale with their sizes, local disk options and prices.",
    "CreateDisasterRecoverGroup": "Creates a spread placement group, which keeps its instances apart on hosts, switches or racks.",
    "DeleteDisasterRecoverGroups": "Removes placement groups that no longer hold any instance.",
    "DescribeDisasterRecoverGroupQuota": "Reports how many placement groups the account may create and how many instances each kind of group holds.",
    "DescribeDisasterRecoverGroups": "Lists placement groups, picked by ID or by name, one page at a time.",
    "ModifyDisasterRecoverGroupAttribute": "Renames a placement group.",
    "DescribeInstanceVncUrl": "Returns a short-lived, single-use WebSocket address for the remote console of an instance.",
    "InquiryPriceModifyInstancesChargeType": "Quotes what switching pay-as-you-go instances to a prepaid subscription would cost.",
    "ModifyInstancesChargeType": "Switches pay-as-you-go instances to a prepaid subscription.",
    "ModifyInstancesVpcAttribute": "Moves instances into another VPC subnet or gives them new private IPs, restarting them by default.",
    "CreateImage": "Captures the system disk of an instance as a new custom image.",
    "DeleteImages": "Removes custom images that are neither in use nor shared.",
    "ModifyImageAttribute": "Renames a custom image or rewrites its description.",
    "DescribeImages": "Lists the images the caller can use, picked by ID or by filters, one page at a time.",
    "ImportImage": "Turns an image file kept in object storage into a custom image of the region.",
    "DescribeImportImageOs": "Lists the operating systems, versions and architectures that ImportImage accepts.",
    "DescribeImageSharePermission": "Lists the accounts a custom image is shared with.",
    "ModifyImageSharePermission": "Shares a custom image with other accounts, or takes the sharing back.",
    "SyncImages": "Copies one custom image to other regions.",
    "DescribeImageQuota": "Reports how many custom images the account may keep in the region.",
    "CreateKeyPair": "Generates an SSH key pair and returns it with its private key, which the service does not keep.",
    "DeleteKeyPairs": "Removes key pairs that no instance uses.",
    "ModifyKeyPairAttribute": "Renames a key pair or rewrites its description.",
    "AssociateInstancesKeyPairs": "Installs the public keys of key pairs on Linux instances for SSH login.",
    "DisassociateInstancesKeyPairs": "Takes key pairs off Linux instances.",
    "DescribeKeyPairs": "Lists key pairs, picked by ID or by filters, one page at a time.",
    "ImportKeyPair": "Registers an existing OpenSSH RSA public key as a key pair.",
    "AllocateHosts": "Buys prepaid dedicated hosts (CDH).",
    "DescribeHosts": "Lists dedicated hosts, optionally filtered, one page at a time.",
    "ModifyHostsAttribute": "Renames dedicated hosts or changes how they renew.",
    "RenewHosts": "Extends the subscription of prepaid dedicated hosts.",
}

# --------------------------------------------------------------------------
# Member docs: generic by (direction, member name), then per action
# --------------------------------------------------------------------------

INPUT_DOCS = {
    "Placement": "Zone, project and, for CDH billing, dedicated hosts of the new resources.",
    "ImageId": "Image to use, as img-xxxxxxxx.",
    "InstanceChargeType": "How the instances are billed.",
    "InstanceChargePrepaid": "Subscription length and renewal setting; needed for prepaid billing.",
    "InstanceType": "Instance type, such as S1.SMALL1.",
    "SystemDisk": "Type and size of the system disk.",
    "DataDisks": "Data disks to buy with the instances.",
    "VirtualPrivateCloud": "VPC, subnet and optional private IPs; the classic network is used without it.",
    "InternetAccessible": "Public network billing mode and outbound bandwidth.",
    "InstanceCount": "How many instances to create.",
    "InstanceName": "Display name; {R:x} patterns number the instances of one call.",
    "LoginSettings": "Password, key pairs, or the login settings kept from the image.",
    "SecurityGroupIds": "Security groups to bind the instances to.",
    "EnhancedService": "Whether the security and monitoring agents run; both do when this is absent.",
    "ClientToken": "Token chosen by the caller so that a retried request is carried out only once.",
    "HostName": "Host name set inside the operating system.",
    "ActionTimer": "A scheduled action for the instances; only timed termination exists.",
    "DisasterRecoverGroupIds": "Placement groups to act on, as ps-xxxxxxxx.",
    "TagSpecification": "Tags to attach to the new instances.",
    "InstanceMarketOptions": "Spot market settings; needed for SPOTPAID billing.",
    "UserData": "Base64 data handed to the instance at boot, such as a startup script.",
    "InstanceIds": "Instances to act on, as ins-xxxxxxxx.",
    "ForceStop": "Whether a running instance may be powered off by force for the change.",
    "StopType": "How to shut down: SOFT, HARD, or SOFT_FIRST (soft, then hard if that fails).",
    "ForceReboot": "Whether to force the restart when a normal reboot does not succeed.",
    "InstanceId": "Instance to act on, as ins-xxxxxxxx.",
    "Password": "The new login password.",
    "UserName": "Operating-system account whose password changes; the built-in administrator when absent.",
    "Filters": "Conditions that narrow the result.",
    "Offset": "Position of the first item to return.",
    "Limit": "Largest number of items to return.",
    "SecurityGroups": "Security groups that replace the current ones.",
    "ProjectId": "Project ID; 0 is the default project.",
    "RenewPortableDataDisk": "Whether attached elastic data disks are renewed as well.",
    "DryRun": "Check the request only, without carrying it out.",
    "RenewFlag": "Renewal setting to apply at expiry.",
    "StartTime": "First day, YYYY-MM-DD, of the new bandwidth; prepaid bandwidth only.",
    "EndTime": "Last day, YYYY-MM-DD and inclusive, of the new bandwidth; prepaid bandwidth only.",
    "Name": "Placement group name.",
    "Type": "Spread level of the group: HOST, SW or RACK.",
    "DisasterRecoverGroupId": "Placement group to change, as ps-xxxxxxxx.",
    "ImageName": "Name of the image.",
    "ImageDescription": "Free description of the image.",
    "ForcePoweroff": "Whether to cut power when a soft shutdown fails.",
    "Sysprep": "Whether to run Sysprep on a Windows instance before capturing it.",
    "Reboot": "Whether a running instance may be shut down so that the image can be taken.",
    "ImageIds": "Images to act on, as img-xxxxxxxx.",
    "Architecture": "Processor architecture of the image.",
    "OsType": "Operating system, as named by DescribeImportImageOs.",
    "OsVersion": "Operating system version, as named by DescribeImportImageOs.",
    "ImageUrl": "Object storage address of the image file.",
    "Force": "Whether to import even when the checks would turn the image down.",
    "AccountIds": "Accounts that gain or lose access to the image.",
    "Permission": "SHARE grants access, CANCEL takes it back.",
    "DestinationRegions": "Regions that receive a copy of the image.",
    "KeyName": "Key pair name made of letters, digits and underscores.",
    "KeyIds": "Key pairs to act on, as skey-xxxxxxxx.",
    "KeyId": "Key pair to change, as skey-xxxxxxxx.",
    "Description": "New free description of the key pair.",
    "PublicKey": "Public key text in OpenSSH RSA form.",
    "HostChargePrepaid": "Subscription length and renewal setting of the hosts.",
    "HostChargeType": "How the hosts are billed; only PREPAID exists.",
    "HostType": "Dedicated host model.",
    "HostCount": "How many hosts to buy.",
    "HostIds": "Dedicated hosts to act on, as host-xxxxxxxx.",
}

OUTPUT_DOCS = {
    "TotalCount": "How many items match in all, across every page.",
    "RegionSet": "The regions.",
    "ZoneSet": "The zones of the region.",
    "InstanceIdSet": "IDs of the instances being created; poll DescribeInstances to follow them.",
    "Price": "The quoted price.",
    "InstanceSet": "The matching instances on this page.",
    "InstanceStatusSet": "The state of each instance on this page.",
    "InstanceFamilyConfigSet": "The instance families.",
    "InstanceTypeConfigSet": "The instance types.",
    "InternetBandwidthConfigSet": "Bandwidth settings, each with the period it applies to.",
    "InternetChargeTypeConfigSet": "The network billing modes.",
    "InstanceTypeQuotaSet": "The configurations on sale, per zone and type.",
    "DisasterRecoverGroupId": "ID of the new placement group.",
    "Type": "Spread level of the group.",
    "Name": "Name of the group.",
    "CvmQuotaTotal": "Most instances the group can hold.",
    "CurrentNum": "Instances the group holds now.",
    "CreateTime": "When the group was created.",
    "GroupQuota": "Most placement groups the account may have.",
    "CvmInHostGroupQuota": "How many instances a HOST-level group holds.",
    "CvmInSwGroupQuota": "How many instances a SW-level group holds.",
    "CvmInRackGroupQuota": "How many instances a RACK-level group holds.",
    "DisasterRecoverGroupSet": "The matching placement groups on this page.",
    "InstanceVncUrl": "WebSocket address of the console session, good for one use within 15 seconds.",
    "ImageSet": "The matching images on this page.",
    "ImportImageOsListSupported": "Importable operating systems, split into Windows and Linux.",
    "ImportImageOsVersionSet": "Importable versions and architectures of each operating system.",
    "SharePermissionSet": "The accounts the image is shared with.",
    "ImageNumQuota": "Most custom images the account may keep in the region.",
    "KeyPair": "The new key pair, private key included.",
    "KeyPairSet": "The matching key pairs on this page.",
    "KeyId": "Key pair ID given to the imported key.",
    "HostIdSet": "IDs of the new hosts.",
    "HostSet": "The matching hosts on this page.",
}

# (action, "in"|"out", member) -> doc
DOC_OVERRIDES = {
    ("DescribeRegions", "out", "TotalCount"): "How many regions are listed.",
    ("DescribeZones", "out", "TotalCount"): "How many zones are listed.",
    ("DescribeDisasterRecoverGroupQuota", "out", "CurrentNum"): "Placement groups the account has already created.",
    ("CreateDisasterRecoverGroup", "out", "CurrentNum"): "Instances the group holds now, 0 for a new group.",
    ("InquiryPriceRunInstances", "in", "Placement"): "Zone and project of the instances to price.",
    ("AllocateHosts", "in", "Placement"): "Zone and project of the new hosts.",
    ("ResetInstance", "in", "ImageId"): "Image to reinstall from; the current image when absent.",
    ("InquiryPriceResetInstance", "in", "ImageId"): "Image to price the reinstall with; the current image when absent.",
    ("ModifyImageAttribute", "in", "ImageId"): "Custom image to change, as img-xxxxxxxx.",
    ("DescribeImageSharePermission", "in", "ImageId"): "Custom image whose sharing is listed, as img-xxxxxxxx.",
    ("ModifyImageSharePermission", "in", "ImageId"): "Custom image whose sharing changes, as img-xxxxxxxx.",
    ("InquiryPriceModifyInstancesChargeType", "in", "InstanceChargeType"): "Billing mode to switch to; only PREPAID.",
    ("ModifyInstancesChargeType", "in", "InstanceChargeType"): "Billing mode to switch to; only PREPAID.",
    ("RenewInstances", "in", "InstanceChargePrepaid"): "How long to renew for and how to renew afterwards.",
    ("InquiryPriceRenewInstances", "in", "InstanceChargePrepaid"): "How long the priced renewal lasts and how to renew afterwards.",
    ("ResetInstancesType", "in", "InstanceType"): "Type to change to, from the same family.",
    ("InquiryPriceResetInstancesType", "in", "InstanceType"): "Type whose price is asked, from the same family.",
    ("DescribeImages", "in", "InstanceType"): "Return only images that can run on this instance type.",
    ("ResetInstance", "in", "SystemDisk"): "New system disk size, which may only grow; the size is kept when absent.",
    ("InquiryPriceResetInstance", "in", "SystemDisk"): "System disk size to price the reinstall with; the size is kept when absent.",
    ("ResizeInstanceDisks", "in", "DataDisks"): "The data disk to grow and its new size in GB.",
    ("InquiryPriceResizeInstanceDisks", "in", "DataDisks"): "The data disk to price and its new size in GB.",
    ("ModifyInstancesVpcAttribute", "in", "VirtualPrivateCloud"): "Target VPC and subnet, and optionally one private IP per instance.",
    ("ResetInstancesInternetMaxBandwidth", "in", "InternetAccessible"): "The new outbound bandwidth cap; other fields are not used.",
    ("InquiryPriceResetInstancesInternetMaxBandwidth", "in", "InternetAccessible"): "The outbound bandwidth cap to price; other fields are not used.",
    ("ModifyInstancesAttribute", "in", "InstanceName"): "New display name of the instances.",
    ("AllocateHosts", "in", "ClientToken"): "Token chosen by the caller so that a retried purchase is carried out only once.",
    ("ModifyHostsAttribute", "in", "HostName"): "New display name of the hosts.",
    ("RunInstances", "in", "DisasterRecoverGroupIds"): "Placement group to launch the instances into.",
    ("DeleteDisasterRecoverGroups", "in", "DisasterRecoverGroupIds"): "Placement groups to remove.",
    ("DescribeDisasterRecoverGroups", "in", "DisasterRecoverGroupIds"): "Return only these placement groups.",
    ("DescribeInstances", "in", "InstanceIds"): "Return only these instances.",
    ("DescribeInstancesStatus", "in", "InstanceIds"): "Return only these instances.",
    ("ResetInstancesType", "in", "InstanceIds"): "The one instance to change.",
    ("InquiryPriceResetInstancesType", "in", "InstanceIds"): "The one instance to price.",
    ("StopInstances", "in", "ForceStop"): "Whether to cut power when a soft shutdown does not succeed.",
    ("ModifyInstancesVpcAttribute", "in", "ForceStop"): "Whether running instances may be powered off by force; true unless told otherwise.",
    ("ResetInstance", "in", "InstanceId"): "Instance to reinstall, as ins-xxxxxxxx.",
    ("DescribeInstanceVncUrl", "in", "InstanceId"): "Instance whose console is wanted, as ins-xxxxxxxx.",
    ("CreateImage", "in", "InstanceId"): "Instance whose system disk is captured, as ins-xxxxxxxx.",
    ("DescribeInstanceInternetBandwidthConfigs", "in", "InstanceId"): "Instance to look up, as ins-xxxxxxxx.",
    ("ResetInstancesPassword", "in", "Password"): "The new login password; its rules depend on the operating system.",
    ("ModifyInstancesProject", "in", "ProjectId"): "Project to move the instances into.",
    ("CreateKeyPair", "in", "ProjectId"): "Project the key pair belongs to; 0 is the default project.",
    ("ImportKeyPair", "in", "ProjectId"): "Project the key pair belongs to; 0 is the default project.",
    ("ModifyInstancesRenewFlag", "in", "RenewFlag"): "Renewal setting the instances get.",
    ("ModifyHostsAttribute", "in", "RenewFlag"): "Renewal setting the hosts get.",
    ("CreateDisasterRecoverGroup", "in", "Name"): "Name of the new group.",
    ("DescribeDisasterRecoverGroups", "in", "Name"): "Return only groups whose name contains this text.",
    ("ModifyDisasterRecoverGroupAttribute", "in", "Name"): "New name of the group.",
    ("CreateImage", "in", "ImageName"): "Name of the new image.",
    ("ModifyImageAttribute", "in", "ImageName"): "New name of the image.",
    ("ImportImage", "in", "ImageName"): "Name of the imported image.",
    ("CreateImage", "in", "ImageDescription"): "Free description of the new image.",
    ("ModifyImageAttribute", "in", "ImageDescription"): "New free description of the image.",
    ("ImportImage", "in", "ImageDescription"): "Free description of the imported image.",
    ("ImportImage", "in", "DryRun"): "Check the parameters only, without starting the import.",
    ("InquiryPriceRenewInstances", "in", "DryRun"): "Check the request only, without pricing it.",
    ("DeleteImages", "in", "ImageIds"): "Custom images to remove.",
    ("DescribeImages", "in", "ImageIds"): "Return only these images.",
    ("SyncImages", "in", "ImageIds"): "The one custom image to copy.",
    ("ModifyKeyPairAttribute", "in", "KeyName"): "New key pair name made of letters, digits and underscores.",
    ("DeleteKeyPairs", "in", "KeyIds"): "Key pairs to remove.",
    ("DescribeKeyPairs", "in", "KeyIds"): "Return only these key pairs.",
    ("AssociateInstancesKeyPairs", "in", "KeyIds"): "Key pairs to install on the instances.",
    ("DisassociateInstancesKeyPairs", "in", "KeyIds"): "Key pairs to take off the instances.",
    ("AssociateInstancesKeyPairs", "in", "InstanceIds"): "Linux instances that receive the keys.",
    ("DisassociateInstancesKeyPairs", "in", "InstanceIds"): "Linux instances the keys are taken off.",
    ("RenewHosts", "in", "HostChargePrepaid"): "How long to renew the hosts for and how to renew afterwards.",
    ("RenewHosts", "in", "HostIds"): "Prepaid hosts to renew.",
    ("InquiryPriceRunInstances", "in", "InstanceCount"): "How many instances to price.",
}

# --------------------------------------------------------------------------
# Constraint overrides on action members: (action, member) -> keys.
# A value of None removes a key taken from the reference.
# --------------------------------------------------------------------------

MAX100 = {"max_items": 100, "items_code": "InvalidParameterValue.LimitExceeded"}
ONE = {"max_items": 1, "items_code": "InvalidParameterValue.LimitExceeded"}

# ID arrays of at most 100 (the limit each of these actions states in its input table)
MAX100_INSTANCE_IDS = [
    "StartInstances", "StopInstances", "RebootInstances", "ResetInstancesPassword",
    "TerminateInstances", "DescribeInstances", "DescribeInstancesStatus",
    "ModifyInstancesAttribute", "ModifyInstancesProject", "RenewInstances",
    "InquiryPriceRenewInstances", "ModifyInstancesRenewFlag",
    "ResetInstancesInternetMaxBandwidth", "InquiryPriceResetInstancesInternetMaxBandwidth",
    "InquiryPriceModifyInstancesChargeType", "ModifyInstancesChargeType",
    "AssociateInstancesKeyPairs", "DisassociateInstancesKeyPairs",
]
MAX100_KEY_IDS = ["DeleteKeyPairs", "AssociateInstancesKeyPairs", "DisassociateInstancesKeyPairs"]

PERIOD = {"enum": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36], "enum_code": "InvalidPeriod"}


def member_overrides():
    # Every member that sets a name (InstanceName, HostName, KeyName,
    # ImageName, a placement group's Name) has format "name": no control
    # characters (docs/decisions.md D-85).
    o = {}

    def put(action, member, **kw):
        o.setdefault((action, member), {}).update(kw)

    for a in MAX100_INSTANCE_IDS:
        put(a, "InstanceIds", **MAX100)
    for a in MAX100_KEY_IDS:
        put(a, "KeyIds", **MAX100)
    for a in ("ResetInstancesType", "InquiryPriceResetInstancesType"):
        put(a, "InstanceIds", **ONE)
    put("SyncImages", "ImageIds", **ONE)
    put("RunInstances", "DisasterRecoverGroupIds", **ONE)
    for a in ("RunInstances", "InquiryPriceRunInstances"):
        put(a, "DataDisks", max_items=11, items_code="InvalidParameterValue.LimitExceeded")
        put(a, "InstanceCount", default=1, min=1, max=100, range_code="InvalidParameterValue.Range")
        put(a, "InstanceType", default="S1.SMALL1")
        put(a, "InstanceName", default=None, max_length=60, length_unit="bytes",
            length_code="InvalidInstanceName.TooLong", format="name")
        put(a, "ClientToken", max_length=64, length_unit="bytes", format="ascii",
            length_code="InvalidClientToken.TooLong")
        put(a, "HostName", min_length=2, max_length=60, length_code="InvalidParameterValue",
            format="name")
    # The inquiry's own table allows Linux host names of 2-30 characters
    # (RunInstances': 2-60); the inquiry's rule wins for the inquiry (D-160).
    put("InquiryPriceRunInstances", "HostName", max_length=30)
    for a in ("ResizeInstanceDisks", "InquiryPriceResizeInstanceDisks"):
        put(a, "DataDisks", **ONE)
    put("RunInstances", "UserData", format="base64", max_length=16384, length_unit="bytes",
        length_code="InvalidParameterValue")
    put("ModifyInstancesAttribute", "InstanceName", max_length=60, length_unit="bytes",
        length_code="InvalidInstanceName.TooLong", format="name")
    for a in ("CreateDisasterRecoverGroup", "AllocateHosts"):
        put(a, "ClientToken", max_length=64, length_unit="bytes", format="ascii",
            length_code="InvalidParameterValue")
    put("ResetInstancesPassword", "UserName", default=None, max_length=64,
        length_code="InvalidParameterValue.TooLong")
    # key pairs
    for a in ("CreateKeyPair", "ImportKeyPair"):
        put(a, "KeyName", max_length=25, length_code="InvalidKeyPairName.TooLong",
            format="name", format_code="InvalidKeyPairName.IncludeIllegalChar")
    put("ModifyKeyPairAttribute", "KeyName", max_length=25, length_code="InvalidParameterValue",
        format="name")
    put("ModifyKeyPairAttribute", "Description", max_length=60, length_code="InvalidParameterValue")
    put("ModifyKeyPairAttribute", "KeyId", format="key-id", format_code="InvalidKeyId.Malformed")
    # images
    for a in ("CreateImage", "ModifyImageAttribute"):
        put(a, "ImageName", max_length=20, length_code="InvalidParameter.ValueTooLarge",
            format="name")
        put(a, "ImageDescription", max_length=60, length_code="InvalidParameter.ValueTooLarge")
    put("ImportImage", "ImageName", max_length=20, length_code="InvalidParameterValue",
        format="name")
    put("ImportImage", "ImageDescription", max_length=60, length_code="InvalidParameterValue")
    for f in ("ForcePoweroff", "Sysprep", "Reboot"):
        put("CreateImage", f, enum=None, format="bool-string")
    put("ImportImage", "ImageUrl", format="url", format_code="InvalidParameter.InvalidParameterUrlError")
    put("ModifyImageSharePermission", "AccountIds", format="account-id")
    put("SyncImages", "DestinationRegions", format="region", format_code="InvalidRegion.NotFound")
    # placement groups
    put("CreateDisasterRecoverGroup", "Name", min_length=1, max_length=60,
        length_code="InvalidParameterValue.TooLong", format="name")
    put("CreateDisasterRecoverGroup", "Type", enum_code="InvalidParameterValue.Range")
    put("ModifyDisasterRecoverGroupAttribute", "Name", min_length=1, max_length=60,
        length_code="InvalidParameterValue", format="name")
    # hosts
    put("ModifyHostsAttribute", "HostName", max_length=60, length_code="InvalidParameterValue",
        format="name")
    put("AllocateHosts", "HostChargeType", default="PREPAID")
    put("AllocateHosts", "HostType", default="HS1")
    put("AllocateHosts", "HostCount", default=1, min=1, max=100, range_code="InvalidParameterValue")
    # bandwidth dates
    for a in ("ResetInstancesInternetMaxBandwidth", "InquiryPriceResetInstancesInternetMaxBandwidth"):
        put(a, "StartTime", format="date")
        put(a, "EndTime", format="date")
    return o


# ID formats by member name (applied to action inputs and outputs)
ID_FORMAT_BY_NAME = {
    "InstanceId": "instance-id",
    "InstanceIds": "instance-id",
    "InstanceIdSet": "instance-id",
    "ImageId": "image-id",
    "ImageIds": "image-id",
    "KeyId": "key-id",
    "KeyIds": "key-id",
    "HostIds": "host-id",
    "HostIdSet": "host-id",
    "DisasterRecoverGroupId": "placement-group-id",
    "DisasterRecoverGroupIds": "placement-group-id",
    "SecurityGroupIds": "security-group-id",
    "SecurityGroups": "security-group-id",
}

# --------------------------------------------------------------------------
# Filters, pagination, exclusive inputs
# --------------------------------------------------------------------------

S, I = "String", "Integer"
FILTER_NAMES = {
    "DescribeInstances": [
        ("zone", S, "zone"), ("project-id", I, None), ("host-id", S, "host-id"),
        ("vpc-id", S, "vpc-id"), ("instance-id", S, "instance-id"),
        ("security-group-id", S, "security-group-id"), ("instance-name", S, None),
        ("instance-charge-type", S, None), ("private-ip-address", S, None),
        ("public-ip-address", S, None), ("tag-key", S, None), ("tag-value", S, None),
        ("tag:", S, None),
    ],
    "DescribeInstanceTypeConfigs": [("zone", S, "zone"), ("instance-family", S, None)],
    "DescribeZoneInstanceConfigInfos": [
        ("zone", S, "zone"), ("instance-family", S, None), ("instance-type", S, None),
        ("instance-charge-type", S, None),
    ],
    "DescribeImages": [("image-id", S, "image-id"), ("image-type", S, None), ("image-state", S, None)],
    "DescribeKeyPairs": [("project-id", I, None), ("key-name", S, None)],
    "DescribeHosts": [
        ("zone", S, "zone"), ("project-id", I, None), ("host-id", S, "host-id"),
        ("host-name", S, None), ("host-state", S, None),
    ],
}
FILTER_MAX_VALUES = {"DescribeInstanceTypeConfigs": 1}

PAGINATION_CODES = {  # action -> (limit_code, offset_code)
    "DescribeImages": ("InvalidParameterValue.InvalidParameterValueLimit", "InvalidParameterValue"),
    "DescribeKeyPairs": ("InvalidParameterValueLimit", "InvalidParameterValueOffset"),
}

EXCLUSIVE = {
    "DescribeInstances": [(["InstanceIds", "Filters"], "InvalidParameterCombination")],
    "DescribeKeyPairs": [(["KeyIds", "Filters"], "InvalidParameterCombination")],
    "DescribeImages": [(["ImageIds", "Filters"], "InvalidParameter.InvalidParameterCoexistImageIdsFilters")],
    "ModifyHostsAttribute": [(["HostName", "RenewFlag"], "InvalidParameterCombination")],
}

# --------------------------------------------------------------------------
# Structures
# --------------------------------------------------------------------------

STRUCT_DOCS = {
    "ActionTimer": "A scheduled action set on an instance when it is created.",
    "ChargePrepaid": "Subscription length and renewal setting of a prepaid dedicated host.",
    "DataDisk": "A data disk: its type, size, ID and whether it goes with the instance.",
    "DisasterRecoverGroup": "A spread placement group and the instances in it.",
    "EnhancedService": "Which extra agents, security and monitoring, run on the instance.",
    "Externals": "Extra attributes attached to a configuration.",
    "Filter": "One query condition: a field name and the values it may take; conditions are ANDed and values ORed.",
    "HostItem": "A dedicated host (CDH) and its state, billing and capacity.",
    "HostResource": "Total and free CPU, memory and disk of a dedicated host.",
    "Image": "An image with its state and attributes.",
    "ImageOsList": "Operating systems accepted for import, split by family.",
    "Instance": "An instance with its configuration, network, billing and state.",
    "InstanceChargePrepaid": "Subscription length and renewal setting of a prepaid instance.",
    "InstanceFamilyConfig": "An instance family: its code and display name.",
    "InstanceMarketOptionsRequest": "Spot market request settings.",
    "InstanceStatus": "The state of one instance.",
    "InstanceTypeConfig": "An instance type available in a zone, with its size.",
    "InstanceTypeQuotaItem": "An instance configuration on sale in a zone, with its price.",
    "InternetAccessible": "Public network access: billing mode, outbound bandwidth and public IP.",
    "InternetBandwidthConfig": "A bandwidth setting and the period it applies to.",
    "InternetChargeTypeConfig": "A network billing mode and its description.",
    "ItemPrice": "The price of one item, hourly or per GB, or as a subscription total.",
    "KeyPair": "An SSH key pair and the instances using it.",
    "LocalDiskType": "Size limits of one kind of local disk.",
    "LoginSettings": "How users log in to an instance: password, key pairs, or the image's settings.",
    "OsVersion": "An importable operating system with its versions and architectures.",
    "Placement": "Where an instance lives: zone, project and optional dedicated hosts.",
    "Price": "Price of the instance part and of the bandwidth part.",
    "RegionInfo": "A region and its availability.",
    "RunMonitorServiceEnabled": "Switch for the monitoring agent.",
    "RunSecurityServiceEnabled": "Switch for the security agent.",
    "SharePermission": "An account an image is shared with, and since when.",
    "SpotMarketOptions": "Spot bidding settings.",
    "StorageBlock": "Size limits of HDD local storage.",
    "SystemDisk": "The disk that holds the operating system.",
    "Tag": "A tag: key and value.",
    "TagSpecification": "Tags to bind to a kind of resource at creation.",
    "VirtualPrivateCloud": "VPC placement: network, subnet and private IPs.",
    "ZoneInfo": "An availability zone and its availability.",
}

STRUCT_MEMBER_DOCS = {
    ("ActionTimer", "Externals"): "Extra attributes of the action.",
    ("ActionTimer", "TimerAction"): "What to do; only TerminateInstances.",
    ("ActionTimer", "ActionTime"): "When to do it, like 2018-5-29 11:26:40, at least 5 minutes ahead.",
    ("ChargePrepaid", "Period"): "Length in months: 1 to 12, 24 or 36.",
    ("ChargePrepaid", "RenewFlag"): "What happens at expiry; renews automatically unless told otherwise.",
    ("DataDisk", "DiskSize"): "Size in GB, in steps of 10.",
    ("DataDisk", "DiskType"): "Kind of disk: local or cloud, basic, premium or SSD.",
    ("DataDisk", "DiskId"): "ID of the disk, as disk-xxxxxxxx; local disks have none.",
    ("DataDisk", "DeleteWithInstance"): "Whether the disk is destroyed together with the instance.",
    ("DisasterRecoverGroup", "DisasterRecoverGroupId"): "Group ID, as ps-xxxxxxxx.",
    ("DisasterRecoverGroup", "Name"): "Group name.",
    ("DisasterRecoverGroup", "Type"): "Spread level: HOST, SW or RACK.",
    ("DisasterRecoverGroup", "CvmQuotaTotal"): "Most instances the group can hold.",
    ("DisasterRecoverGroup", "CurrentNum"): "Instances the group holds now.",
    ("DisasterRecoverGroup", "InstanceIds"): "The instances in the group.",
    ("DisasterRecoverGroup", "CreateTime"): "When the group was created.",
    ("EnhancedService", "SecurityService"): "Security agent switch; on when absent.",
    ("EnhancedService", "MonitorService"): "Monitoring agent switch; on when absent.",
    ("Externals", "ReleaseAddress"): "Whether the address is released.",
    ("Externals", "UnsupportNetworks"): "Network kinds that cannot be used.",
    ("Externals", "StorageBlockAttr"): "HDD local storage limits.",
    ("Filter", "Name"): "Field to match; the names depend on the action.",
    ("Filter", "Values"): "Values the field may take.",
    ("HostItem", "Placement"): "Zone and project of the host.",
    ("HostItem", "HostId"): "Host ID, as host-xxxxxxxx.",
    ("HostItem", "HostType"): "Host model, such as HS1.",
    ("HostItem", "HostName"): "Display name of the host.",
    ("HostItem", "HostChargeType"): "How the host is billed.",
    ("HostItem", "RenewFlag"): "What happens at expiry.",
    ("HostItem", "CreatedTime"): "When the host was bought.",
    ("HostItem", "ExpiredTime"): "When the subscription ends.",
    ("HostItem", "InstanceIds"): "Instances running on the host.",
    ("HostItem", "HostState"): "Lifecycle state of the host.",
    ("HostItem", "HostIp"): "IP address of the host.",
    ("HostItem", "HostResource"): "Capacity of the host.",
    ("HostResource", "CpuTotal"): "CPU cores in all.",
    ("HostResource", "CpuAvailable"): "CPU cores still free.",
    ("HostResource", "MemTotal"): "Memory in all, in GiB.",
    ("HostResource", "MemAvailable"): "Memory still free, in GiB.",
    ("HostResource", "DiskTotal"): "Disk in all, in GiB.",
    ("HostResource", "DiskAvailable"): "Disk still free, in GiB.",
    ("Image", "ImageId"): "Image ID, as img-xxxxxxxx.",
    ("Image", "OsName"): "Operating system of the image.",
    ("Image", "ImageType"): "Kind of image, such as PUBLIC_IMAGE or PRIVATE_IMAGE.",
    ("Image", "CreatedTime"): "When the image was made.",
    ("Image", "ImageName"): "Name given to the image.",
    ("Image", "ImageDescription"): "Free description of the image.",
    ("Image", "ImageSize"): "Size of the image.",
    ("Image", "Architecture"): "Processor architecture, such as x86_64.",
    ("Image", "ImageState"): "Lifecycle state, such as NORMAL.",
    ("Image", "Platform"): "Operating-system platform the image comes from.",
    ("Image", "ImageCreator"): "Who made the image.",
    ("Image", "ImageSource"): "Where the image comes from.",
    ("Image", "SyncPercent"): "Progress of a copy to another region, in percent.",
    ("Image", "IsSupportCloudinit"): "Whether cloud-init runs on the image.",
    ("ImageOsList", "Windows"): "Importable Windows systems.",
    ("ImageOsList", "Linux"): "Importable Linux systems.",
    ("Instance", "Placement"): "Zone, project and host of the instance.",
    ("Instance", "InstanceId"): "Instance ID, as ins-xxxxxxxx.",
    ("Instance", "InstanceType"): "Type of the instance, such as S1.SMALL1.",
    ("Instance", "CPU"): "CPU cores.",
    ("Instance", "Memory"): "Memory in GB.",
    ("Instance", "RestrictState"): "Business state: NORMAL, EXPIRED or PROTECTIVELY_ISOLATED.",
    ("Instance", "InstanceName"): "Display name.",
    ("Instance", "InstanceChargeType"): "How the instance is billed.",
    ("Instance", "SystemDisk"): "The system disk.",
    ("Instance", "DataDisks"): "Data disks bought with the instance.",
    ("Instance", "PrivateIpAddresses"): "Private IPs of the main network card.",
    ("Instance", "PublicIpAddresses"): "Public IPs of the main network card.",
    ("Instance", "InternetAccessible"): "Public network settings.",
    ("Instance", "VirtualPrivateCloud"): "VPC placement.",
    ("Instance", "ImageId"): "Image the instance was made from.",
    ("Instance", "RenewFlag"): "What happens at expiry, for prepaid instances.",
    ("Instance", "CreatedTime"): "When the instance was created.",
    ("Instance", "ExpiredTime"): "When the subscription ends, for prepaid instances.",
    ("Instance", "OsName"): "Name of the installed operating system.",
    ("Instance", "SecurityGroupIds"): "Security groups the instance is bound to.",
    ("Instance", "LoginSettings"): "Login settings; only the bound key pairs are shown.",
    ("Instance", "InstanceState"): "Lifecycle state.",
    ("Instance", "Tags"): "Tags on the instance.",
    ("InstanceChargePrepaid", "Period"): "Length in months: 1 to 12, 24 or 36.",
    ("InstanceChargePrepaid", "RenewFlag"): "What happens at expiry; manual renewal with a notice unless told otherwise.",
    ("InstanceFamilyConfig", "InstanceFamilyName"): "Display name of the family.",
    ("InstanceFamilyConfig", "InstanceFamily"): "Family code, such as S1.",
    ("InstanceMarketOptionsRequest", "MarketType"): "Market kind; only spot.",
    ("InstanceMarketOptionsRequest", "SpotOptions"): "Bidding settings.",
    ("InstanceStatus", "InstanceId"): "Instance ID, as ins-xxxxxxxx.",
    ("InstanceStatus", "InstanceState"): "Lifecycle state.",
    ("InstanceTypeConfig", "Zone"): "Zone the type is offered in.",
    ("InstanceTypeConfig", "InstanceType"): "Type code, such as S1.SMALL1.",
    ("InstanceTypeConfig", "InstanceFamily"): "Family of the type.",
    ("InstanceTypeConfig", "GPU"): "GPU cores.",
    ("InstanceTypeConfig", "CPU"): "CPU cores.",
    ("InstanceTypeConfig", "Memory"): "Memory size in GB.",
    ("InstanceTypeConfig", "CbsSupport"): "Whether cloud disks can be used, TRUE or FALSE.",
    ("InstanceTypeConfig", "InstanceTypeState"): "Whether the type can be bought.",
    ("InstanceTypeQuotaItem", "Zone"): "Zone of the offer.",
    ("InstanceTypeQuotaItem", "InstanceType"): "Type code of the offer.",
    ("InstanceTypeQuotaItem", "InstanceChargeType"): "Billing mode of the offer.",
    ("InstanceTypeQuotaItem", "NetworkCard"): "Network card speed class, such as 25 for 25G.",
    ("InstanceTypeQuotaItem", "Externals"): "Extra attributes.",
    ("InstanceTypeQuotaItem", "Cpu"): "CPU cores.",
    ("InstanceTypeQuotaItem", "Memory"): "Memory size in GB.",
    ("InstanceTypeQuotaItem", "InstanceFamily"): "Family of the type.",
    ("InstanceTypeQuotaItem", "TypeName"): "Display name of the type.",
    ("InstanceTypeQuotaItem", "LocalDiskTypeList"): "Local disks the type can have.",
    ("InstanceTypeQuotaItem", "Status"): "Sale status, such as SELL.",
    ("InstanceTypeQuotaItem", "Price"): "Price of the offer.",
    ("InternetAccessible", "InternetChargeType"): "How public traffic is billed.",
    ("InternetAccessible", "InternetMaxBandwidthOut"): "Outbound bandwidth cap in Mbps.",
    ("InternetAccessible", "PublicIpAssigned"): "Whether a public IP is given; only possible with bandwidth above 0.",
    ("InternetBandwidthConfig", "StartTime"): "When the setting begins.",
    ("InternetBandwidthConfig", "EndTime"): "When the setting ends.",
    ("InternetBandwidthConfig", "InternetAccessible"): "The bandwidth setting.",
    ("InternetChargeTypeConfig", "InternetChargeType"): "Billing mode code.",
    ("InternetChargeTypeConfig", "Description"): "Display text of the mode.",
    ("ItemPrice", "UnitPrice"): "Price per unit after purchase, in yuan.",
    ("ItemPrice", "ChargeUnit"): "Unit of UnitPrice: HOUR or GB.",
    ("ItemPrice", "OriginalPrice"): "Subscription price before discount, in yuan.",
    ("ItemPrice", "DiscountPrice"): "Subscription price after discount, in yuan.",
    ("KeyPair", "KeyId"): "Key pair ID, as skey-xxxxxxxx.",
    ("KeyPair", "KeyName"): "Name of the key pair.",
    ("KeyPair", "ProjectId"): "Project of the key pair.",
    ("KeyPair", "Description"): "Free description.",
    ("KeyPair", "PublicKey"): "Public key text.",
    ("KeyPair", "PrivateKey"): "Private key text; only CreateKeyPair returns it.",
    ("KeyPair", "AssociatedInstanceIds"): "Instances the key is installed on.",
    ("KeyPair", "CreatedTime"): "When the key pair was made.",
    ("LocalDiskType", "Type"): "Local disk kind.",
    ("LocalDiskType", "PartitionType"): "Role of the disk, such as ROOT or DATA.",
    ("LocalDiskType", "MinSize"): "Smallest size in GB.",
    ("LocalDiskType", "MaxSize"): "Largest size in GB.",
    ("LoginSettings", "Password"): "Login password; a random one is sent by message when no login setting is given.",
    ("LoginSettings", "KeyIds"): "Key pairs allowed to log in.",
    ("LoginSettings", "KeepImageLogin"): "Whether to keep the login settings stored in the image.",
    ("OsVersion", "OsName"): "Operating system name, such as CentOS.",
    ("OsVersion", "OsVersions"): "Accepted versions.",
    ("OsVersion", "Architecture"): "Accepted architectures.",
    ("Placement", "Zone"): "Availability zone, such as ap-guangzhou-2.",
    ("Placement", "ProjectId"): "Project ID; 0 is the default project.",
    ("Placement", "HostIds"): "Dedicated hosts to place instances on.",
    ("Price", "InstancePrice"): "Price of the instance part.",
    ("Price", "BandwidthPrice"): "Price of the bandwidth part.",
    ("RegionInfo", "Region"): "Region ID, such as ap-guangzhou.",
    ("RegionInfo", "RegionName"): "Display name of the region.",
    ("RegionInfo", "RegionState"): "Whether the region is open, such as AVAILABLE.",
    ("RunMonitorServiceEnabled", "Enabled"): "Whether the monitoring agent runs.",
    ("RunSecurityServiceEnabled", "Enabled"): "Whether the security agent runs.",
    ("SharePermission", "CreatedTime"): "When the image was shared.",
    ("SharePermission", "AccountId"): "Account the image is shared with.",
    ("SpotMarketOptions", "MaxPrice"): "Highest price to bid.",
    ("SpotMarketOptions", "SpotInstanceType"): "Kind of spot request; only one-time.",
    ("StorageBlock", "Type"): "Storage kind; LOCAL_PRO.",
    ("StorageBlock", "MinSize"): "Smallest capacity.",
    ("StorageBlock", "MaxSize"): "Largest capacity.",
    ("SystemDisk", "DiskType"): "Kind of disk: local or cloud, basic, premium or SSD.",
    ("SystemDisk", "DiskId"): "ID of the disk, as disk-xxxxxxxx; local disks have none.",
    ("SystemDisk", "DiskSize"): "Size in GB.",
    ("Tag", "Key"): "The key of the tag.",
    ("Tag", "Value"): "The value of the tag.",
    ("TagSpecification", "ResourceType"): "Kind of resource the tags go on; only instance.",
    ("TagSpecification", "Tags"): "The tags.",
    ("VirtualPrivateCloud", "VpcId"): "VPC ID, as vpc-xxxxxxxx.",
    ("VirtualPrivateCloud", "SubnetId"): "Subnet ID, as subnet-xxxxxxxx.",
    ("VirtualPrivateCloud", "AsVpcGateway"): "Whether the instance acts as the public gateway of the VPC.",
    ("VirtualPrivateCloud", "PrivateIpAddresses"): "Private IPs from the subnet, one per instance.",
    ("ZoneInfo", "Zone"): "Zone ID, such as ap-guangzhou-3.",
    ("ZoneInfo", "ZoneName"): "Display name of the zone.",
    ("ZoneInfo", "ZoneId"): "Numeric zone ID, as a string.",
    ("ZoneInfo", "ZoneState"): "Whether the zone is open.",
}

# (structure, member) -> keys; None removes a key taken from the reference
STRUCT_OVERRIDES = {
    ("ActionTimer", "Externals"): {"required": False},
    ("ActionTimer", "ActionTime"): {"format": "datetime"},
    ("ChargePrepaid", "Period"): dict(PERIOD),
    ("InstanceChargePrepaid", "Period"): dict(PERIOD),
    ("DataDisk", "DiskSize"): {"default": None},
    ("DataDisk", "DiskId"): {"format": "disk-id"},
    ("SystemDisk", "DiskId"): {"format": "disk-id"},
    ("DisasterRecoverGroup", "DisasterRecoverGroupId"): {"format": "placement-group-id"},
    ("DisasterRecoverGroup", "InstanceIds"): {"format": "instance-id"},
    ("HostItem", "HostId"): {"format": "host-id"},
    ("HostItem", "InstanceIds"): {"format": "instance-id"},
    ("HostItem", "HostIp"): {"format": "ipv4"},
    ("Image", "ImageId"): {"format": "image-id"},
    ("Instance", "InstanceId"): {"format": "instance-id"},
    ("Instance", "ImageId"): {"format": "image-id"},
    ("Instance", "PrivateIpAddresses"): {"format": "ipv4"},
    ("Instance", "PublicIpAddresses"): {"format": "ipv4"},
    ("Instance", "SecurityGroupIds"): {"format": "security-group-id"},
    ("Instance", "InstanceChargeType"): {"enum": ["PREPAID", "POSTPAID_BY_HOUR", "CDHPAID", "SPOTPAID"]},
    ("InstanceStatus", "InstanceId"): {"format": "instance-id"},
    ("InstanceTypeConfig", "Zone"): {"format": "zone"},
    ("InstanceTypeQuotaItem", "Zone"): {"format": "zone"},
    ("InternetAccessible", "InternetChargeType"): {"default": None},
    ("InternetAccessible", "InternetMaxBandwidthOut"): {"default": 0, "min": 0, "range_code": "InvalidParameterValue.Range"},
    ("InternetAccessible", "PublicIpAssigned"): {"default": None},
    ("KeyPair", "KeyId"): {"format": "key-id"},
    ("KeyPair", "AssociatedInstanceIds"): {"format": "instance-id"},
    ("LoginSettings", "KeyIds"): {"format": "key-id"},
    ("LoginSettings", "KeepImageLogin"): {"enum": None, "format": "bool-string", "default": "FALSE"},
    ("Placement", "Zone"): {"format": "zone"},
    ("Placement", "ProjectId"): {"default": 0},
    ("Placement", "HostIds"): {"format": "host-id"},
    ("RegionInfo", "Region"): {"format": "region"},
    ("SharePermission", "AccountId"): {"format": "account-id"},
    # No structure defaults for the system disk: ResetInstance keeps the current
    # type and size when they are absent, so RunInstances applies the documented
    # defaults (CLOUD_BASIC, 50 GB) itself.
    ("SystemDisk", "DiskSize"): {"default": None},
    ("SystemDisk", "DiskType"): {"default": None},
    ("VirtualPrivateCloud", "VpcId"): {"format": "vpc-id"},
    ("VirtualPrivateCloud", "SubnetId"): {"format": "subnet-id"},
    ("VirtualPrivateCloud", "PrivateIpAddresses"): {"format": "ipv4", "format_code": "InvalidParameter.InvalidIpFormat"},
    ("ZoneInfo", "Zone"): {"format": "zone"},
    ("EnhancedService", "SecurityService"): {"default": None},
    ("EnhancedService", "MonitorService"): {"default": None},
}

# Output-member enums not in the reference but stated in the member text.
OUTPUT_ENUMS = {
    ("CreateDisasterRecoverGroup", "Type"): ["HOST", "SW", "RACK"],
}

MEMBER_KEY_ORDER = [
    "name", "type", "array", "required", "doc", "enum", "enum_code", "default",
    "min", "max", "range_code", "min_length", "max_length", "length_unit",
    "length_code", "max_items", "items_code", "format", "format_code",
]

# --------------------------------------------------------------------------
# Conversion helpers
# --------------------------------------------------------------------------


def convert_default(ref_default, typ, enum):
    """Turn a reference default (free text) into a typed value, or None when it
    is a description rather than a value."""
    if ref_default is None:
        return None
    d = str(ref_default).strip()
    if typ == "Boolean":
        if d.upper() in ("TRUE", "FALSE"):
            return d.upper() == "TRUE"
        return None
    if typ == "Integer":
        try:
            return int(d)
        except ValueError:
            return None
    if typ == "String":
        if enum and d in enum:
            return d
        return None  # free-text descriptions; concrete values come from overrides
    return None  # structure-typed members carry no default


PRIMITIVES = ("String", "Integer", "Float", "Boolean", "Timestamp")


def convert_enum(ref_enum, typ):
    if not ref_enum:
        return None
    if typ == "Boolean":
        return None  # the Boolean type already restricts the value
    if typ not in PRIMITIVES:
        return None  # e.g. the filter-name list on Filters lives in "filters"
    if typ == "Integer":
        return [int(v) for v in ref_enum]
    return list(ref_enum)


def ordered(m):
    for k in m:
        assert k in MEMBER_KEY_ORDER, k
    return {k: m[k] for k in MEMBER_KEY_ORDER if k in m}


def apply_overrides(m, ov):
    for k, v in ov.items():
        if v is None:
            m.pop(k, None)
        else:
            m[k] = v


def build_member(ref, doc, is_output, overrides=None, id_format=None):
    typ = ref["type"]
    m = {
        "name": ref["name"],
        "type": typ,
        "array": bool(ref["array"]),
        "required": False if is_output else bool(ref.get("required", False)),
        "doc": doc,
    }
    enum = convert_enum(ref.get("enum"), typ)
    if enum:
        m["enum"] = enum
    if not is_output:
        dv = convert_default(ref.get("default"), typ, enum)
        if dv is not None:
            m["default"] = dv
    if id_format and typ == "String":
        m["format"] = id_format
    if overrides:
        apply_overrides(m, overrides)
    return ordered(m)


def load(name):
    with open(os.path.join(REF, name), encoding="utf-8") as f:
        return json.load(f)


def parse_args():
    global REF, DECISIONS_PATH
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default=REF, help="folder with actions.json, structures.json, common.json")
    parser.add_argument("--decisions", default=DECISIONS_PATH, help="decisions file whose codes count as documented")
    parser.add_argument("--check", action="store_true", help="compare with output instead of writing it")
    parser.add_argument("output", nargs="?", default=OUT_DEFAULT)
    args = parser.parse_args()
    REF, DECISIONS_PATH = args.reference, args.decisions
    return args


def main():
    args = parse_args()
    actions_ref = load("actions.json")
    structs_ref = load("structures.json")
    overrides = member_overrides()
    used_overrides = set()
    used_docs = set()

    actions = []
    for a in actions_ref:
        name = a["action"]
        group = group_of(name) or REF_GROUP_MAP[a["group"]]
        inputs, outputs = [], []
        for io, src, dst, table in (("in", a["inputs"], inputs, INPUT_DOCS),
                                     ("out", a["outputs"], outputs, OUTPUT_DOCS)):
            for r in src:
                if io == "out" and r["name"] == "RequestId":
                    continue
                key = (name, io, r["name"])
                if key in DOC_OVERRIDES:
                    doc = DOC_OVERRIDES[key]
                    used_docs.add(key)
                else:
                    doc = table[r["name"]]
                ov = None
                if io == "in":
                    ov = overrides.get((name, r["name"]))
                    if ov is not None:
                        used_overrides.add((name, r["name"]))
                fmt = ID_FORMAT_BY_NAME.get(r["name"])
                mem = build_member(r, doc, io == "out", ov, fmt)
                if io == "out" and (name, r["name"]) in OUTPUT_ENUMS:
                    mem["enum"] = OUTPUT_ENUMS[(name, r["name"])]
                    mem = ordered(mem)
                dst.append(mem)
        act = {
            "name": name,
            "group": group,
            "doc": ACTION_DOCS[name],
            "rate_limit": a["rate_limit_per_s"],
            "region": "required" if a["region_required"] else "optional",
            "unknown_region_code": "InvalidRegion.NotFound" if name in INVALID_REGION_NOT_FOUND_ACTIONS else "UnsupportedRegion",
            "inputs": inputs,
            "outputs": outputs,
            "errors": [e["code"] if isinstance(e, dict) else e for e in a["errors"]],
        }
        in_names = [m["name"] for m in inputs]
        if "Filters" in in_names:
            lc = ("InvalidFilterValue.LimitExceeded" if "InvalidFilterValue.LimitExceeded" in act["errors"]
                  else "InvalidParameterValue.LimitExceeded")
            names = []
            for fname, ftype, ffmt in FILTER_NAMES[name]:
                e = {"name": fname}
                if fname.endswith(":"):
                    e["prefix"] = True
                e["type"] = ftype
                if ffmt:
                    e["format"] = ffmt
                names.append(e)
            act["filters"] = {
                "max_filters": 10,
                "max_values": FILTER_MAX_VALUES.get(name, 5),
                "limit_code": lc,
                "names": names,
            }
        if "Offset" in in_names or "Limit" in in_names:
            limit_code, offset_code = PAGINATION_CODES.get(name, ("InvalidParameterValue", "InvalidParameterValue"))
            act["pagination"] = {"default_limit": 20, "max_limit": 100,
                                 "limit_code": limit_code, "offset_code": offset_code}
            for i, m in enumerate(inputs):
                if m["name"] == "Offset":
                    m.update({"default": 0, "min": 0, "range_code": offset_code})
                    inputs[i] = ordered(m)
                elif m["name"] == "Limit":
                    m.update({"default": 20, "min": 1, "max": 100, "range_code": limit_code})
                    inputs[i] = ordered(m)
        if name in EXCLUSIVE:
            act["exclusive"] = [{"members": list(ms), "code": c} for ms, c in EXCLUSIVE[name]]
        actions.append(act)

    unused = set(overrides) - used_overrides
    assert not unused, "override for unknown member: %r" % sorted(unused)
    unused_docs = set(DOC_OVERRIDES) - used_docs
    assert not unused_docs, "doc override for unknown member: %r" % sorted(unused_docs)

    structures = []
    used_struct_ov = set()
    for s in structs_ref:
        members = []
        for f in s["fields"]:
            key = (s["name"], f["name"])
            ov = STRUCT_OVERRIDES.get(key)
            if ov is not None:
                used_struct_ov.add(key)
            ref = dict(f)
            if not s.get("has_required_column"):
                ref["required"] = False
            members.append(build_member(ref, STRUCT_MEMBER_DOCS[key], False, ov))
        structures.append({"name": s["name"], "doc": STRUCT_DOCS[s["name"]], "members": members})
    unused = set(STRUCT_OVERRIDES) - used_struct_ov
    assert not unused, "structure override for unknown member: %r" % sorted(unused)

    schema = {"version": "2017-03-12", "actions": actions, "structures": structures}
    text = json.dumps(schema, indent=1, ensure_ascii=False) + "\n"
    if args.check:
        sys.exit(check(text, args.output))
    out = args.output
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %s: %d actions, %d structures" % (out, len(actions), len(structures)))
    if not validate(out):
        sys.exit(1)


def check(text, committed):
    """Returns 0 iff `text` validates and equals the file `committed` byte for
    byte; otherwise prints why (the first lines of a diff) and returns 1."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cvm_2017_03_12.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        if not validate(path):
            return 1
    try:
        with open(committed, encoding="utf-8") as f:
            old = f.read()
    except OSError as e:
        print("cannot read %s: %s" % (committed, e))
        return 1
    if old == text:
        print("OK: %s is what %s generates from %s" % (committed, os.path.relpath(__file__, ROOT), REF))
        return 0
    diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), committed, "generated", lineterm=""))
    print("%s differs from what the generator writes (%d diff lines; first 40):" % (committed, len(diff)))
    for line in diff[:40]:
        print(line)
    print("Regenerate it with: python3 schema/tools/gen_schema.py")
    return 1


# --------------------------------------------------------------------------
# Validation of the written file
# --------------------------------------------------------------------------

FORMATS = {
    "instance-id", "image-id", "key-id", "host-id", "placement-group-id", "disk-id",
    "snapshot-id", "vpc-id", "subnet-id", "security-group-id", "ipv4", "zone", "region",
    "date", "datetime", "base64", "bool-string", "account-id", "url", "ascii", "name",
}
ACTION_KEY_ORDER = ["name", "group", "doc", "rate_limit", "region", "unknown_region_code",
                    "inputs", "outputs", "errors", "filters", "pagination", "exclusive"]
CODE_KEYS = ("enum_code", "range_code", "length_code", "items_code", "format_code")


def decisions_codes():
    import re
    with open(DECISIONS_PATH, encoding="utf-8") as f:
        text = f.read()
    prefixes = ("Invalid", "Unsupported", "Unknown", "Missing", "Limit", "Resource",
                "AuthFailure", "Request", "Failed", "Unauthorized", "DryRun", "Internal",
                "NoSuch", "Mutex")
    return {c for c in re.findall(r"`([A-Za-z0-9.<>]+)`", text)
            if re.fullmatch(r"[A-Z][A-Za-z0-9]+(\.[A-Za-z0-9]+)*", c) and c.startswith(prefixes)
            and c != "RequestId" and not re.search(r"\.(\d+|N)$", c)}


def validate(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    problems = []

    def bad(msg):
        problems.append(msg)

    actions_ref = {a["action"]: a for a in load("actions.json")}
    structs_ref = {s["name"]: s for s in load("structures.json")}
    common = load("common.json")
    public = {e["code"] for e in common["public_error_codes"]}
    public |= {e["code"] for e in common.get("auth_failure_codes", [])}
    decided = decisions_codes()

    if schema.get("version") != "2017-03-12":
        bad("version")
    acts, structs = schema["actions"], schema["structures"]
    if len(acts) != 59:
        bad("expected 59 actions, got %d" % len(acts))
    if len(structs) != 39:
        bad("expected 39 structures, got %d" % len(structs))
    if [a["name"] for a in acts] != [a["action"] for a in load("actions.json")]:
        bad("actions not in document order")
    snames = {s["name"] for s in structs}
    if snames != set(structs_ref):
        bad("structure names differ from the reference")
    types_ok = set(PRIMITIVES) | snames

    # which actions reach each structure through their inputs / outputs
    smap = {s["name"]: s for s in structs}
    in_users = {n: set() for n in snames}
    out_users = {n: set() for n in snames}

    def reach(tname, act, users, seen):
        if tname not in smap or tname in seen:
            return
        seen.add(tname)
        users[tname].add(act)
        for m in smap[tname]["members"]:
            reach(m["type"], act, users, seen)

    for a in acts:
        for m in a["inputs"]:
            reach(m["type"], a["name"], in_users, set())
        for m in a["outputs"]:
            reach(m["type"], a["name"], out_users, set())

    def check_member(m, where, is_output, allowed_codes, ref_summary):
        keys = list(m)
        if keys != [k for k in MEMBER_KEY_ORDER if k in m]:
            bad("%s: key order %s" % (where, keys))
        for k in ("name", "type", "array", "required", "doc"):
            if k not in m:
                bad("%s: missing %s" % (where, k))
        if m["type"] not in types_ok:
            bad("%s: unknown type %s" % (where, m["type"]))
        if m["type"] == "Timestamp" and not is_output:
            bad("%s: Timestamp on an input" % where)
        if is_output and m["required"]:
            bad("%s: output marked required" % where)
        if not m["doc"] or m["doc"] == ref_summary:
            bad("%s: doc empty or copied from the reference" % where)
        if "format" in m and m["format"] not in FORMATS:
            bad("%s: unknown format %s" % (where, m["format"]))
        if "enum" in m:
            want = int if m["type"] == "Integer" else str
            if not all(isinstance(v, want) for v in m["enum"]):
                bad("%s: enum value types" % where)
        if "default" in m:
            d = m["default"]
            ok = {"String": str, "Integer": int, "Boolean": bool, "Float": (int, float)}.get(m["type"])
            if ok is None or not isinstance(d, ok) or (m["type"] == "Integer" and isinstance(d, bool)):
                bad("%s: default %r does not fit type %s" % (where, d, m["type"]))
            if "enum" in m and d not in m["enum"]:
                bad("%s: default outside enum" % where)
            if m.get("required"):
                bad("%s: required member with a default" % where)
        for k in CODE_KEYS:
            if k in m and m[k] not in allowed_codes:
                bad("%s: %s %s is not documented for its actions" % (where, k, m[k]))
        pairs = (("enum_code", "enum"), ("range_code", "min"), ("length_code", "max_length"),
                 ("items_code", "max_items"), ("format_code", "format"))
        for code, base in pairs:
            if code in m and base not in m and not (code == "range_code" and "max" in m) \
                    and not (code == "length_code" and "min_length" in m):
                bad("%s: %s without %s" % (where, code, base))
        if "max_items" in m and not m["array"]:
            bad("%s: max_items on a scalar" % where)

    groups = {"regions", "instances", "placement_groups", "pricing", "images", "key_pairs", "hosts"}
    n_in = n_out = 0
    for a in acts:
        name = a["name"]
        ref = actions_ref[name]
        if list(a) != [k for k in ACTION_KEY_ORDER if k in a]:
            bad("%s: action key order" % name)
        if a["group"] not in groups:
            bad("%s: group" % name)
        if a["doc"] == ref["summary"]:
            bad("%s: action doc copied" % name)
        ref_errors = [e["code"] for e in ref["errors"]]
        if a["errors"] != ref_errors:
            bad("%s: errors differ from the document" % name)
        allowed = set(a["errors"]) | public | decided
        if a["unknown_region_code"] not in allowed:
            bad("%s: unknown_region_code" % name)
        ref_in = {m["name"]: m for m in ref["inputs"]}
        ref_out = {m["name"]: m for m in ref["outputs"]}
        if [m["name"] for m in a["inputs"]] != [m["name"] for m in ref["inputs"]]:
            bad("%s: inputs differ from the document" % name)
        if [m["name"] for m in a["outputs"]] != [m["name"] for m in ref["outputs"] if m["name"] != "RequestId"]:
            bad("%s: outputs differ from the document" % name)
        for m in a["inputs"]:
            n_in += 1
            r = ref_in[m["name"]]
            if m["type"] != r["type"] or m["array"] != r["array"] or m["required"] != r["required"]:
                bad("%s.%s: type/array/required differ from the table" % (name, m["name"]))
            check_member(m, "%s.%s" % (name, m["name"]), False, allowed, r["summary"])
        for m in a["outputs"]:
            n_out += 1
            r = ref_out[m["name"]]
            if m["type"] != r["type"] or m["array"] != r["array"]:
                bad("%s.%s: output type differs" % (name, m["name"]))
            check_member(m, "%s->%s" % (name, m["name"]), True, allowed, r["summary"])
        in_names = [m["name"] for m in a["inputs"]]
        if ("Filters" in in_names) != ("filters" in a):
            bad("%s: filters block vs Filters input" % name)
        if ("Offset" in in_names or "Limit" in in_names) != ("pagination" in a):
            bad("%s: pagination block vs Offset/Limit" % name)
        if "filters" in a:
            f = a["filters"]
            if f["limit_code"] not in allowed:
                bad("%s: filter limit_code" % name)
            for e in f["names"]:
                if e["type"] not in ("String", "Integer") or ("format" in e and e["format"] not in FORMATS):
                    bad("%s: filter %s" % (name, e["name"]))
        if "pagination" in a:
            p = a["pagination"]
            for k in ("limit_code", "offset_code"):
                if p[k] not in allowed:
                    bad("%s: pagination %s" % (name, k))
            lim = next(m for m in a["inputs"] if m["name"] == "Limit")
            off = next(m for m in a["inputs"] if m["name"] == "Offset")
            if lim.get("range_code") != p["limit_code"] or off.get("range_code") != p["offset_code"]:
                bad("%s: Offset/Limit range_code do not mirror pagination" % name)
            if lim.get("default") != p["default_limit"] or lim.get("max") != p["max_limit"]:
                bad("%s: Limit default/max" % name)
        for ex in a.get("exclusive", []):
            if ex["code"] not in allowed or not set(ex["members"]) <= set(in_names):
                bad("%s: exclusive %r" % (name, ex))
        if a["region"] != ("required" if ref["region_required"] else "optional"):
            bad("%s: region" % name)

    n_sm = 0
    for s in structs:
        ref = structs_ref[s["name"]]
        if list(s) != ["name", "doc", "members"]:
            bad("%s: structure keys" % s["name"])
        if s["doc"] == ref["summary"]:
            bad("%s: structure doc copied" % s["name"])
        if [m["name"] for m in s["members"]] != [f["name"] for f in ref["fields"]]:
            bad("%s: members differ from the table" % s["name"])
        users = in_users[s["name"]]
        allowed = set(public) | decided
        for u in users:
            allowed |= set(next(a for a in acts if a["name"] == u)["errors"])
        output_only = not users
        rf = {f["name"]: f for f in ref["fields"]}
        for m in s["members"]:
            n_sm += 1
            r = rf[m["name"]]
            if m["type"] != r["type"] or m["array"] != r["array"]:
                bad("%s.%s: type differs" % (s["name"], m["name"]))
            check_member(m, "%s.%s" % (s["name"], m["name"]), output_only, allowed, r["summary"])
        if not users and not out_users[s["name"]]:
            bad("%s: structure not used by any action" % s["name"])

    print("validation of %s" % path)
    print("  actions: %d, structures: %d" % (len(acts), len(structs)))
    print("  input members: %d, output members: %d, structure members: %d" % (n_in, n_out, n_sm))
    print("  actions per group: %s" % ", ".join(
        "%s %d" % (g, sum(1 for a in acts if a["group"] == g)) for g in sorted(groups)))
    print("  with filters: %d, with pagination: %d, with exclusive: %d" % (
        sum("filters" in a for a in acts), sum("pagination" in a for a in acts),
        sum("exclusive" in a for a in acts)))
    print("  members with a format: %d, with a default: %d" % (
        sum("format" in m for a in acts for m in a["inputs"] + a["outputs"])
        + sum("format" in m for s in structs for m in s["members"]),
        sum("default" in m for a in acts for m in a["inputs"])
        + sum("default" in m for s in structs for m in s["members"])))
    print("  error codes (with repeats): %d" % sum(len(a["errors"]) for a in acts))
    if problems:
        print("  PROBLEMS (%d):" % len(problems))
        for p in problems:
            print("   - " + p)
        return False
    print("  OK: every type exists and every code is documented for its action, public, or decided")
    return True


if __name__ == "__main__":
    main()
