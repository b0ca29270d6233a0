// Issue 14, end to end through the official SDK: dedicated hosts
// (AllocateHosts, DescribeHosts, ModifyHostsAttribute, RenewHosts), CDHPAID
// instances on them, and placement groups (CreateDisasterRecoverGroup,
// DescribeDisasterRecoverGroups, ModifyDisasterRecoverGroupAttribute,
// DeleteDisasterRecoverGroups, DescribeDisasterRecoverGroupQuota) filled by
// RunInstances. Every documented code the emulator produces is asked for
// here; the one it cannot produce (InvalidHost.NotSupported: every host is
// PREPAID) comes through POST /_emulator/faults. The concurrency cases send
// 30 SDK calls at once and check the counts are exact.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, client, sdkError, DEFAULT_KEY } from "./harness.mjs";

const B_KEY = { secretId: "AKIDbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", secretKey: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" };
const ACCOUNTS = {
  accounts: [
    { AppId: 1250000000, Uin: "100000000001", Name: "a", Keys: [{ SecretId: DEFAULT_KEY.secretId, SecretKey: DEFAULT_KEY.secretKey }] },
    { AppId: 1250000001, Uin: "100000000002", Name: "b", Keys: [{ SecretId: B_KEY.secretId, SecretKey: B_KEY.secretKey }] },
  ],
};
const ZONE = "ap-guangzhou-3";
const IMAGE = "img-eb30mz89";
const HOST_PENDING = 10;  // seconds: the default host-pending duration

let server;
before(async () => {
  server = await startServer({ accounts: ACCOUNTS });
});
after(async () => server?.stop());

const a = (region = "ap-guangzhou") => client(server, { region });
const b = () => client(server, { credential: B_KEY });
const advance = (seconds) => server.control("clock/advance", { seconds });

async function fresh() {
  await server.control("reset");
  await server.control("clock/freeze");
}

async function allocate(c = a(), extra = {}) {
  const r = await c.AllocateHosts({ Placement: { Zone: ZONE }, HostChargePrepaid: { Period: 1 }, ...extra });
  return r.HostIdSet;
}

async function host(id, c = a()) {
  const r = await c.DescribeHosts({ Filters: [{ Name: "host-id", Values: [id] }] });
  assert.equal(r.HostSet.length, 1);
  return r.HostSet[0];
}

const cdh = (hosts, type, count = 1, extra = {}) => ({
  Placement: { Zone: ZONE, HostIds: hosts },
  InstanceChargeType: "CDHPAID",
  InstanceType: type,
  ImageId: IMAGE,
  InstanceCount: count,
  ...extra,
});

test("AllocateHosts: a PREPAID HS1 host, PENDING then RUNNING, with totals and what is free", async () => {
  await fresh();
  const ids = await allocate(a(), { HostCount: 2, HostChargePrepaid: { Period: 3, RenewFlag: "NOTIFY_AND_MANUAL_RENEW" } });
  assert.equal(ids.length, 2);
  for (const id of ids) assert.match(id, /^host-[0-9a-z]{8}$/);
  let h = await host(ids[0]);
  assert.equal(h.HostState, "PENDING");
  assert.equal(h.HostType, "HS1");
  assert.equal(h.HostChargeType, "PREPAID");
  assert.equal(h.RenewFlag, "NOTIFY_AND_MANUAL_RENEW");
  assert.equal(h.Placement.Zone, ZONE);
  assert.deepEqual(h.InstanceIds, []);
  assert.deepEqual(h.HostResource, { CpuTotal: 24, CpuAvailable: 24, MemTotal: 56, MemAvailable: 56, DiskTotal: 1200, DiskAvailable: 1200 });
  assert.match(h.CreatedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await advance(HOST_PENDING);
  h = await host(ids[0]);
  assert.equal(h.HostState, "RUNNING");
  // Three months on, without auto-renewal, it is EXPIRED.
  await advance(93 * 86400);
  assert.equal((await host(ids[0])).HostState, "EXPIRED");
});

test("AllocateHosts: the documented codes, and nothing is bought", async () => {
  await fresh();
  const refused = async (params, code, c = a()) => {
    const e = await sdkError(c.AllocateHosts(params));
    assert.equal(e.code, code, e.message);
  };
  await refused({ Placement: { Zone: "ap-shanghai-1" }, HostChargePrepaid: { Period: 1 } }, "InvalidZone.MismatchRegion");
  await refused({ Placement: { Zone: ZONE, ProjectId: -1 }, HostChargePrepaid: { Period: 1 } }, "InvalidProjectId.NotFound");
  await refused({ Placement: { Zone: ZONE }, HostChargePrepaid: { Period: 5000 } }, "InvalidPeriod");
  await refused({ Placement: { Zone: ZONE } }, "MissingParameter");
  await refused({ Placement: { Zone: "ap-nowhere-1" }, HostChargePrepaid: { Period: 1 } }, "InvalidRegion.NotFound", a("ap-nowhere"));
  assert.equal((await a().DescribeHosts({})).TotalCount, 0);
});

test("AllocateHosts: a ClientToken buys once", async () => {
  await fresh();
  const first = await allocate(a(), { ClientToken: "once", HostCount: 2 });
  const again = await allocate(a(), { ClientToken: "once", HostCount: 2 });
  assert.deepEqual(again, first);
  assert.equal((await a().DescribeHosts({})).TotalCount, 2);
  const e = await sdkError(a().AllocateHosts({ Placement: { Zone: ZONE }, HostChargePrepaid: { Period: 2 }, ClientToken: "once" }));
  assert.equal(e.code, "InvalidParameterValue");
});

test("DescribeHosts: every filter, pages, and the codes of bad filters", async () => {
  await fresh();
  const [x] = await allocate();
  await advance(HOST_PENDING);
  const [y] = await allocate(a(), { Placement: { Zone: "ap-guangzhou-2", ProjectId: 4 } });
  await a().ModifyHostsAttribute({ HostIds: [x], HostName: "web" });
  const ids = async (Filters) => (await a().DescribeHosts({ Filters })).HostSet.map((h) => h.HostId);
  assert.deepEqual(await ids([{ Name: "zone", Values: [ZONE] }]), [x]);
  assert.deepEqual(await ids([{ Name: "project-id", Values: ["4"] }]), [y]);
  assert.deepEqual(await ids([{ Name: "host-id", Values: [y, "host-zzzzzzzz"] }]), [y]);
  assert.deepEqual(await ids([{ Name: "host-name", Values: ["web"] }]), [x]);
  assert.deepEqual(await ids([{ Name: "host-state", Values: ["RUNNING"] }]), [x]);
  assert.deepEqual(await ids([{ Name: "host-state", Values: ["PENDING"] }]), [y]);
  const page = await a().DescribeHosts({ Offset: 1, Limit: 1 });
  assert.equal(page.TotalCount, 2);
  assert.deepEqual(page.HostSet.map((h) => h.HostId), [y]);
  assert.equal((await b().DescribeHosts({})).TotalCount, 0);
  let e = await sdkError(a().DescribeHosts({ Filters: [{ Name: "host-id", Values: ["host-1122"] }] }));
  assert.equal(e.code, "InvalidHostId.Malformed");
  e = await sdkError(a().DescribeHosts({ Filters: [{ Name: "zone", Values: ["ap-shanghai-1"] }] }));
  assert.equal(e.code, "InvalidZone.MismatchRegion");
  e = await sdkError(a().DescribeHosts({ Filters: [{ Name: "host-state", Values: ["SLEEPING"] }] }));
  assert.equal(e.code, "InvalidParameterValue");
  e = await sdkError(a().DescribeHosts({ Limit: 101 }));
  assert.equal(e.code, "InvalidParameterValue");
});

test("ModifyHostsAttribute and RenewHosts: their changes and their codes", async () => {
  await fresh();
  const [id] = await allocate();
  const before = await host(id);
  await a().ModifyHostsAttribute({ HostIds: [id], HostName: "web server" });
  assert.equal((await host(id)).HostName, "web server");
  await a().ModifyHostsAttribute({ HostIds: [id], RenewFlag: "DISABLE_NOTIFY_AND_MANUAL_RENEW" });
  assert.equal((await host(id)).RenewFlag, "DISABLE_NOTIFY_AND_MANUAL_RENEW");
  await a().RenewHosts({ HostIds: [id], HostChargePrepaid: { Period: 2 } });
  const renewed = await host(id);
  assert.ok(Date.parse(renewed.ExpiredTime) > Date.parse(before.ExpiredTime) + 58 * 86400e3);
  const code = async (p) => (await sdkError(p)).code;
  assert.equal(await code(a().ModifyHostsAttribute({ HostIds: [id] })), "MissingParameter.AtLeastOne");
  assert.equal(await code(a().ModifyHostsAttribute({ HostIds: [id], HostName: "a", RenewFlag: "NOTIFY_AND_AUTO_RENEW" })), "InvalidParameterCombination");
  assert.equal(await code(a().ModifyHostsAttribute({ HostIds: ["host-1122"], HostName: "a" })), "InvalidHostId.Malformed");
  assert.equal(await code(a().ModifyHostsAttribute({ HostIds: [id, "host-zzzzzzzz"], HostName: "a" })), "InvalidHostId.NotFound");
  assert.equal(await code(b().ModifyHostsAttribute({ HostIds: [id], HostName: "a" })), "InvalidHostId.NotFound");
  assert.equal(await code(a().RenewHosts({ HostIds: [id], HostChargePrepaid: { Period: 13 } })), "InvalidPeriod");
  assert.equal(await code(a().RenewHosts({ HostIds: ["host-1"], HostChargePrepaid: { Period: 1 } })), "InvalidHostId.Malformed");
  assert.equal(await code(a().RenewHosts({ HostIds: ["host-zzzzzzzz"], HostChargePrepaid: { Period: 1 } })), "InvalidHostId.NotFound");
  assert.deepEqual(await host(id), renewed);
});

test("ModifyHostsAttribute and RenewHosts: InvalidHost.NotSupported through the fault endpoint (every host is PREPAID)", async () => {
  await fresh();
  const [id] = await allocate();
  const before = await host(id);
  for (const [action, call] of [
    ["ModifyHostsAttribute", () => a().ModifyHostsAttribute({ HostIds: [id], HostName: "x" })],
    ["RenewHosts", () => a().RenewHosts({ HostIds: [id], HostChargePrepaid: { Period: 1 } })],
  ]) {
    await server.control("faults", { action, code: "InvalidHost.NotSupported" });
    const e = await sdkError(call());
    assert.equal(e.code, "InvalidHost.NotSupported");
    assert.deepEqual(await host(id), before);
  }
});

test("a host launch-failure probability makes hosts LAUNCH_FAILURE, and no instance goes on them", async () => {
  await fresh();
  const set = await server.control("faults", { host_launch_failure_probability: 1 });
  assert.equal(set.body.host_launch_failure_probability, 1);
  const [id] = await allocate();
  await server.control("faults/clear");
  await advance(HOST_PENDING);
  assert.equal((await host(id)).HostState, "LAUNCH_FAILURE");
  const e = await sdkError(a().RunInstances(cdh([id], "CDH_1C2G")));
  assert.equal(e.code, "InvalidParameterValue");
});

test("RunInstances: CDHPAID instances on a host, found by the host-id filter, their resources back when gone", async () => {
  await fresh();
  const [id] = await allocate();
  await advance(HOST_PENDING);
  const r = await a().RunInstances(cdh([id], "CDH_4C8G", 2, { SystemDisk: { DiskType: "LOCAL_BASIC", DiskSize: 100 } }));
  assert.equal(r.InstanceIdSet.length, 2);
  let h = await host(id);
  assert.deepEqual(h.HostResource, { CpuTotal: 24, CpuAvailable: 16, MemTotal: 56, MemAvailable: 40, DiskTotal: 1200, DiskAvailable: 1000 });
  assert.deepEqual(h.InstanceIds, r.InstanceIdSet);
  const listed = await a().DescribeInstances({ Filters: [{ Name: "host-id", Values: [id] }] });
  assert.equal(listed.TotalCount, 2);
  assert.equal(listed.InstanceSet[0].InstanceType, "CDH_4C8G");
  assert.deepEqual(listed.InstanceSet[0].Placement.HostIds, [id]);
  // Codes: no hosts, a host that is not RUNNING, too big, unknown.
  const code = async (p) => (await sdkError(a().RunInstances(p))).code;
  assert.equal(await code({ ...cdh([], "CDH_1C2G"), Placement: { Zone: ZONE } }), "MissingParameter");
  assert.equal(await code(cdh([id], "CDH_1C2G", 1, { InstanceType: "CDH_big" })), "InvalidInstanceType.Malformed");
  assert.equal(await code(cdh(["host-zzzzzzzz"], "CDH_1C2G")), "InvalidHostId.NotFound");
  assert.equal(await code(cdh([id], "CDH_17C8G")), "InvalidParameterValue");
  const [pending] = await allocate();
  assert.equal(await code(cdh([pending], "CDH_1C2G")), "InvalidParameterValue");
  assert.equal((await a().DescribeInstances({})).TotalCount, 2);
  // Gone: TERMINATING holds the host, gone gives it back.
  await advance(10);
  await a().TerminateInstances({ InstanceIds: r.InstanceIdSet });
  assert.equal((await host(id)).HostResource.CpuAvailable, 16);
  await advance(5);
  h = await host(id);
  assert.equal(h.HostResource.CpuAvailable, 24);
  assert.deepEqual(h.InstanceIds, []);
});

test("RunInstances: 30 CDH_1C2G launches at once onto one HS1 host create exactly 24", async () => {
  await fresh();
  const [id] = await allocate();
  await advance(HOST_PENDING);
  const results = await Promise.allSettled(Array.from({ length: 30 }, () => a().RunInstances(cdh([id], "CDH_1C2G"))));
  const ok = results.filter((r) => r.status === "fulfilled");
  const refused = results.filter((r) => r.status === "rejected");
  assert.equal(ok.length, 24);
  for (const r of refused) assert.equal(r.reason.code, "InvalidParameterValue");
  const h = await host(id);
  assert.equal(h.HostResource.CpuAvailable, 0);
  assert.equal(h.InstanceIds.length, 24);
  assert.equal((await a().DescribeInstances({})).TotalCount, 24);
});

test("placement groups: create, describe, rename, quota, delete, and their codes", async () => {
  await fresh();
  const g = await a().CreateDisasterRecoverGroup({ Name: "web", Type: "HOST" });
  assert.match(g.DisasterRecoverGroupId, /^ps-[0-9a-z]{8}$/);
  assert.equal(g.CvmQuotaTotal, 50);
  assert.equal(g.CurrentNum, 0);
  const sw = (await a().CreateDisasterRecoverGroup({ Name: "db", Type: "SW", ClientToken: "t" })).DisasterRecoverGroupId;
  assert.equal((await a().CreateDisasterRecoverGroup({ Name: "db", Type: "SW", ClientToken: "t" })).DisasterRecoverGroupId, sw);
  let q = await a().DescribeDisasterRecoverGroupQuota({});
  assert.deepEqual([q.GroupQuota, q.CurrentNum, q.CvmInHostGroupQuota, q.CvmInSwGroupQuota, q.CvmInRackGroupQuota], [10, 2, 50, 20, 30]);
  let d = await a().DescribeDisasterRecoverGroups({ Name: "we" });
  assert.equal(d.TotalCount, 1);
  assert.equal(d.DisasterRecoverGroupSet[0].DisasterRecoverGroupId, g.DisasterRecoverGroupId);
  d = await a().DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [sw, "ps-zzzzzzzz"] });
  assert.deepEqual(d.DisasterRecoverGroupSet.map((x) => x.DisasterRecoverGroupId), [sw]);
  await a().ModifyDisasterRecoverGroupAttribute({ DisasterRecoverGroupId: sw, Name: "renamed" });
  assert.equal((await a().DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [sw] })).DisasterRecoverGroupSet[0].Name, "renamed");
  const code = async (p) => (await sdkError(p)).code;
  assert.equal(await code(a().CreateDisasterRecoverGroup({ Name: "x".repeat(61), Type: "SW" })), "InvalidParameterValue.TooLong");
  assert.equal(await code(a().CreateDisasterRecoverGroup({ Name: "x", Type: "ZONE" })), "InvalidParameterValue.Range");
  assert.equal(await code(a().ModifyDisasterRecoverGroupAttribute({ DisasterRecoverGroupId: "ps-zzzzzzzz", Name: "x" })), "ResourceNotFound.InvalidPlacementSet");
  assert.equal(await code(a().DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: ["ps-zzzzzzzz"] })), "ResourceNotFound.InvalidPlacementSet");
  assert.equal(await code(a().DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: ["ps-1"] })), "InvalidParameterValue");
  // The quota, lowered through /_emulator/quotas.
  await server.control("quotas", { placement_groups: 2 });
  assert.equal(await code(a().CreateDisasterRecoverGroup({ Name: "third", Type: "RACK" })), "LimitExceeded.DisasterRecoverGroup");
  q = await a().DescribeDisasterRecoverGroupQuota({});
  assert.equal(q.GroupQuota, 2);
  // A group with an instance is not deleted; once the instance is gone it is.
  const [ins] = (await a().RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE, DisasterRecoverGroupIds: [sw] })).InstanceIdSet;
  d = await a().DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [sw] });
  assert.deepEqual(d.DisasterRecoverGroupSet[0].InstanceIds, [ins]);
  assert.equal(d.DisasterRecoverGroupSet[0].CurrentNum, 1);
  assert.equal(await code(a().DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: [g.DisasterRecoverGroupId, sw] })), "FailedOperation.PlacementSetNotEmpty");
  assert.equal((await a().DescribeDisasterRecoverGroups({})).TotalCount, 2);
  await advance(10);
  await a().TerminateInstances({ InstanceIds: [ins] });
  await advance(5);
  await a().DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: [g.DisasterRecoverGroupId, sw] });
  assert.equal((await a().DescribeDisasterRecoverGroups({})).TotalCount, 0);
});

test("RunInstances: 30 launches at once into an SW group create exactly 20; InstanceCount beyond the room creates nothing", async () => {
  await fresh();
  const sw = (await a().CreateDisasterRecoverGroup({ Name: "sw", Type: "SW" })).DisasterRecoverGroupId;
  const run = (count = 1) => a().RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceCount: count, DisasterRecoverGroupIds: [sw] });
  const results = await Promise.allSettled(Array.from({ length: 30 }, () => run()));
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 20);
  for (const r of results.filter((x) => x.status === "rejected")) {
    assert.equal(r.reason.code, "ResourceInsufficient.DisasterRecoverGroupCvmQuota");
  }
  const g = (await a().DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [sw] })).DisasterRecoverGroupSet[0];
  assert.equal(g.CurrentNum, 20);
  assert.equal(g.InstanceIds.length, 20);
  assert.equal((await a().DescribeInstances({})).TotalCount, 20);
  const other = (await a().CreateDisasterRecoverGroup({ Name: "rack", Type: "RACK" })).DisasterRecoverGroupId;
  const e = await sdkError(a().RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceCount: 31, DisasterRecoverGroupIds: [other] }));
  assert.equal(e.code, "ResourceInsufficient.DisasterRecoverGroupCvmQuota");
  assert.equal((await a().DescribeInstances({})).TotalCount, 20);
  const unknown = await sdkError(a().RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE, DisasterRecoverGroupIds: ["ps-zzzzzzzz"] }));
  assert.equal(unknown.code, "ResourceNotFound.InvalidPlacementSet");
});

test("reset drops hosts and placement groups and restores the quotas", async () => {
  await fresh();
  await allocate();
  await a().CreateDisasterRecoverGroup({ Name: "g", Type: "SW" });
  await server.control("quotas", { placement_group_sw: 3 });
  await server.control("reset");
  assert.equal((await a().DescribeHosts({})).TotalCount, 0);
  assert.equal((await a().DescribeDisasterRecoverGroups({})).TotalCount, 0);
  assert.equal((await a().DescribeDisasterRecoverGroupQuota({})).CvmInSwGroupQuota, 20);
});
