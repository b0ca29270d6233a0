// Instance end-to-end tests: the whole lifecycle through the official SDK
// (TC3 and v1 signatures), ClientToken replay, account and region isolation,
// errors (state, zone, ID, missing parameter, quota, injected fault),
// concurrent launches against a quota, and crash safety of acknowledged
// launches across SIGKILL. State changes are driven by the emulator clock
// (POST /_emulator/clock/advance), never by sleeping.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startServer, client, sdkError, DEFAULT_KEY, ownServerOnly } from "./harness.mjs";

const execFileP = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const ZONE = "ap-guangzhou-3";
const IMAGE = "img-eb30mz89"; // CentOS 7.5 64位
const WINDOWS_IMAGE = "img-qsdfv2dr"; // Windows Server 2016 数据中心版 64位英文版
const UBUNTU_IMAGE = "img-pi0ii46r"; // Ubuntu Server 18.04.1 LTS 64位
const INSTANCE_ID = /^ins-[0-9a-z]{8}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const KEY_B = {
  secretId: "AKIDbQ7r2Lx9VwTn4pZs8KcY3mHf6JdE1uGa",
  secretKey: "kP3vW8nZq2Rt6Yx1Bc5Hm9Lf4Js7Dg0A",
};
const TWO_ACCOUNTS = {
  accounts: [
    { AppId: 1250000000, Uin: "100000000001", Name: "team-a",
      Keys: [{ SecretId: DEFAULT_KEY.secretId, SecretKey: DEFAULT_KEY.secretKey }] },
    { AppId: 1250000001, Uin: "100000000002", Name: "team-b",
      Keys: [{ SecretId: KEY_B.secretId, SecretKey: KEY_B.secretKey }] },
  ],
};

// ---------------------------------------------------------------------------
// Helpers.

function runParams(extra = {}) {
  return { Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceCount: 1, ...extra };
}

async function advance(server, seconds) {
  const r = await server.control("clock/advance", { seconds });
  assert.equal(r.status, 200, `clock/advance ${seconds}: ${JSON.stringify(r.body)}`);
}

async function control(server, route, body) {
  const r = await server.control(route, body);
  assert.equal(r.status, 200, `${route} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Instances by ID (batches of 100), as a Map id → instance. */
async function byId(c, ids) {
  const out = new Map();
  for (let i = 0; i < ids.length; i += 100) {
    const batch = ids.slice(i, i + 100);
    const r = await c.DescribeInstances({ InstanceIds: batch, Limit: 100 });
    for (const inst of r.InstanceSet) out.set(inst.InstanceId, inst);
  }
  return out;
}

async function stateOf(c, ids) {
  const m = await byId(c, ids);
  return ids.map((id) => m.get(id)?.InstanceState ?? "ABSENT");
}

/**
 * Polls DescribeInstances, advancing the emulator clock 1 s per iteration,
 * until every instance of `ids` shows `final` (at most `bound` iterations).
 * Every state seen on the way must be one of `via`. Returns the number of
 * seconds advanced.
 */
async function pollUntil(server, c, ids, final, { via = [], bound = 40 } = {}) {
  const seen = new Set();
  for (let i = 0; i <= bound; i++) {
    const states = await stateOf(c, ids);
    if (states.every((s) => s === final)) return i;
    for (const s of states) {
      if (s !== final) seen.add(s);
      assert.ok(s === final || via.includes(s), `while waiting for ${final}: unexpected state ${s} (${ids})`);
    }
    await advance(server, 1);
  }
  assert.fail(`${ids} not ${final} after ${bound} s; seen ${[...seen]}`);
}

/** Every instance of the caller in the client's region, through pages of `limit`. */
async function listAll(c, limit = 100, extra = {}) {
  const all = [];
  let total;
  for (let offset = 0; ; offset += limit) {
    const r = await c.DescribeInstances({ ...extra, Offset: offset, Limit: limit });
    if (total === undefined) total = r.TotalCount;
    assert.equal(r.TotalCount, total, "TotalCount stays the same across pages");
    all.push(...r.InstanceSet);
    if (r.InstanceSet.length < limit) break;
  }
  return { total, instances: all };
}

async function totalCount(c) {
  return (await c.DescribeInstances({})).TotalCount;
}

function freshAgent() {
  return new http.Agent({ keepAlive: true });
}

// ---------------------------------------------------------------------------
// 1. The lifecycle.

test("lifecycle through the SDK (TC3): run, stop, start, reboot, reset, modify, reset password, terminate", async () => {
  const server = await startServer();
  try {
    await control(server, "clock/freeze");
    const c = client(server);

    const run = await c.RunInstances(runParams({ InstanceCount: 3, InstanceName: "web-{R:1}" }));
    assert.match(run.RequestId, UUID);
    assert.equal(run.InstanceIdSet.length, 3);
    for (const id of run.InstanceIdSet) assert.match(id, INSTANCE_ID);
    assert.equal(new Set(run.InstanceIdSet).size, 3, "distinct IDs");
    const ids = run.InstanceIdSet;
    const [a, b, d] = ids;

    let desc = await c.DescribeInstances({});
    assert.equal(desc.TotalCount, 3);
    assert.deepEqual(desc.InstanceSet.map((i) => i.InstanceName).sort(), ["web-1", "web-2", "web-3"]);
    const m0 = await byId(c, ids);
    ids.forEach((id, i) => {
      const inst = m0.get(id);
      assert.equal(inst.InstanceName, `web-${i + 1}`, `name of the ${i + 1}th ID`);
      assert.equal(inst.InstanceState, "PENDING");
      assert.equal(inst.Placement.Zone, ZONE);
      assert.equal(inst.Placement.ProjectId, 0);
      assert.equal(inst.ImageId, IMAGE);
      assert.equal(inst.OsName, "CentOS 7.5 64位");
      assert.equal(inst.InstanceChargeType, "POSTPAID_BY_HOUR");
    });

    // PENDING → RUNNING after the pending duration (10 s by default).
    await advance(server, 9);
    assert.deepEqual(await stateOf(c, ids), ["PENDING", "PENDING", "PENDING"], "still PENDING after 9 s");
    await advance(server, 1);
    const extra = await pollUntil(server, c, ids, "RUNNING", { via: ["PENDING"], bound: 20 });
    assert.equal(extra, 0, "RUNNING exactly 10 s after RunInstances");

    // Stop → STOPPING → STOPPED.
    const stop = await c.StopInstances({ InstanceIds: [a] });
    assert.match(stop.RequestId, UUID);
    assert.deepEqual(await stateOf(c, ids), ["STOPPING", "RUNNING", "RUNNING"]);
    await pollUntil(server, c, [a], "STOPPED", { via: ["STOPPING"] });

    // Start → STARTING → RUNNING.
    await c.StartInstances({ InstanceIds: [a] });
    assert.deepEqual(await stateOf(c, [a]), ["STARTING"]);
    await pollUntil(server, c, [a], "RUNNING", { via: ["STARTING"] });

    // Reboot → REBOOTING → RUNNING.
    await c.RebootInstances({ InstanceIds: [a] });
    assert.deepEqual(await stateOf(c, [a]), ["REBOOTING"]);
    await pollUntil(server, c, [a], "RUNNING", { via: ["REBOOTING"] });

    // ResetInstance with a Windows image → REBOOTING → RUNNING, new ImageId/OsName.
    await c.ResetInstance({ InstanceId: a, ImageId: WINDOWS_IMAGE });
    assert.deepEqual(await stateOf(c, [a]), ["REBOOTING"]);
    await pollUntil(server, c, [a], "RUNNING", { via: ["REBOOTING"] });
    let inst = (await byId(c, [a])).get(a);
    assert.equal(inst.ImageId, WINDOWS_IMAGE);
    assert.equal(inst.OsName, "Windows Server 2016 数据中心版 64位英文版");

    // ResetInstance of a STOPPED instance with an Ubuntu image.
    await c.StopInstances({ InstanceIds: [d] });
    await pollUntil(server, c, [d], "STOPPED", { via: ["STOPPING"] });
    await c.ResetInstance({ InstanceId: d, ImageId: UBUNTU_IMAGE });
    assert.deepEqual(await stateOf(c, [d]), ["REBOOTING"]);
    await pollUntil(server, c, [d], "RUNNING", { via: ["REBOOTING"] });
    inst = (await byId(c, [d])).get(d);
    assert.equal(inst.ImageId, UBUNTU_IMAGE);
    assert.equal(inst.OsName, "Ubuntu Server 18.04.1 LTS 64位");

    // Rename.
    await c.ModifyInstancesAttribute({ InstanceIds: [a], InstanceName: "renamed-web" });
    inst = (await byId(c, [a])).get(a);
    assert.equal(inst.InstanceName, "renamed-web");
    const byName = await c.DescribeInstances({ Filters: [{ Name: "instance-name", Values: ["renamed-web"] }] });
    assert.deepEqual(byName.InstanceSet.map((i) => i.InstanceId), [a]);
    assert.equal(byName.TotalCount, 1);

    // Move to another project.
    await c.ModifyInstancesProject({ InstanceIds: [b], ProjectId: 1029 });
    inst = (await byId(c, [b])).get(b);
    assert.equal(inst.Placement.ProjectId, 1029);
    const byProject = await c.DescribeInstances({ Filters: [{ Name: "project-id", Values: ["1029"] }] });
    assert.equal(byProject.TotalCount, 1);
    assert.deepEqual(byProject.InstanceSet.map((i) => i.InstanceId), [b]);
    const inZero = await c.DescribeInstances({ Filters: [{ Name: "project-id", Values: ["0"] }] });
    assert.deepEqual(inZero.InstanceSet.map((i) => i.InstanceId).sort(), [a, d].sort());

    // ResetInstancesPassword with ForceStop on a RUNNING instance: STOPPING → STARTING → RUNNING.
    await c.ResetInstancesPassword({ InstanceIds: [b], Password: "Reset-Pass123!", ForceStop: true });
    assert.deepEqual(await stateOf(c, [b]), ["STOPPING"]);
    const seen = [];
    for (let i = 0; i < 30; i++) {
      const [s] = await stateOf(c, [b]);
      if (seen.at(-1) !== s) seen.push(s);
      if (s === "RUNNING") break;
      await advance(server, 1);
    }
    assert.deepEqual(seen, ["STOPPING", "STARTING", "RUNNING"], "states after ResetInstancesPassword ForceStop");

    // DescribeInstanceVncUrl on a RUNNING instance: a fresh URL per call.
    const vnc1 = await c.DescribeInstanceVncUrl({ InstanceId: b });
    const vnc2 = await c.DescribeInstanceVncUrl({ InstanceId: b });
    assert.match(vnc1.InstanceVncUrl, /^wss:\/\//);
    assert.notEqual(vnc1.InstanceVncUrl, vnc2.InstanceVncUrl);

    // Terminate one: TERMINATING, then gone, TotalCount drops.
    assert.equal(await totalCount(c), 3);
    await c.TerminateInstances({ InstanceIds: [d] });
    assert.deepEqual(await stateOf(c, [d]), ["TERMINATING"]);
    assert.equal(await totalCount(c), 3, "a TERMINATING instance is still listed");
    await pollUntil(server, c, [d], "ABSENT", { via: ["TERMINATING"] });
    desc = await c.DescribeInstances({});
    assert.equal(desc.TotalCount, 2);
    assert.deepEqual(desc.InstanceSet.map((i) => i.InstanceId).sort(), [a, b].sort());
    const gone = await sdkError(c.StopInstances({ InstanceIds: [d] }));
    assert.equal(gone.code, "InvalidInstanceId.NotFound");

    // Terminate the rest.
    await c.TerminateInstances({ InstanceIds: [a, b] });
    assert.deepEqual(await stateOf(c, [a, b]), ["TERMINATING", "TERMINATING"]);
    await pollUntil(server, c, [a, b], "ABSENT", { via: ["TERMINATING"] });
    assert.equal(await totalCount(c), 0);
  } finally {
    await server.stop();
  }
});

test("lifecycle with HmacSHA256 (v1) signatures: run, stop, start, reboot (observed through TC3)", async () => {
  const server = await startServer();
  try {
    await control(server, "clock/freeze");
    const post = client(server, { signMethod: "HmacSHA256", reqMethod: "POST" });
    const get = client(server, { signMethod: "HmacSHA256", reqMethod: "GET" });
    const tc3 = client(server);

    const run = await post.RunInstances(runParams({ InstanceCount: 2, InstanceName: "v1-{R:7}" }));
    assert.match(run.RequestId, UUID);
    assert.equal(run.InstanceIdSet.length, 2);
    const [x, y] = run.InstanceIdSet;
    const m = await byId(tc3, [x, y]);
    assert.equal(m.get(x).InstanceName, "v1-7");
    assert.equal(m.get(y).InstanceName, "v1-8");
    assert.deepEqual(await stateOf(tc3, [x, y]), ["PENDING", "PENDING"]);
    await advance(server, 10);
    await pollUntil(server, tc3, [x, y], "RUNNING", { via: ["PENDING"] });

    await get.StopInstances({ InstanceIds: [x, y] });
    assert.deepEqual(await stateOf(tc3, [x, y]), ["STOPPING", "STOPPING"]);
    await pollUntil(server, tc3, [x, y], "STOPPED", { via: ["STOPPING"] });

    await post.StartInstances({ InstanceIds: [x] });
    assert.deepEqual(await stateOf(tc3, [x, y]), ["STARTING", "STOPPED"]);
    await pollUntil(server, tc3, [x], "RUNNING", { via: ["STARTING"] });

    await get.RebootInstances({ InstanceIds: [x] });
    assert.deepEqual(await stateOf(tc3, [x]), ["REBOOTING"]);
    await pollUntil(server, tc3, [x], "RUNNING", { via: ["REBOOTING"] });

    // A wrong-state error comes back through v1 too.
    const e = await sdkError(get.StartInstances({ InstanceIds: [x] }));
    assert.equal(e.code, "UnsupportedOperation.InstanceStateRunning");

    // HmacSHA1 once as well.
    const sha1 = client(server, { signMethod: "HmacSHA1" });
    const r = await sha1.RunInstances(runParams());
    assert.equal((await tc3.DescribeInstances({ InstanceIds: r.InstanceIdSet })).TotalCount, 1);
  } finally {
    await server.stop();
  }
});

test("HmacSHA256 (v1) POST and GET: DescribeInstances, DescribeInstanceVncUrl, ModifyInstancesAttribute, ResetInstancesPassword, TerminateInstances", async () => {
  const server = await startServer();
  try {
    await control(server, "clock/freeze");
    const tc3 = client(server);
    const [x] = (await tc3.RunInstances(runParams({ InstanceName: "v1-long" }))).InstanceIdSet;
    await advance(server, 10);
    await pollUntil(server, tc3, [x], "RUNNING", { via: ["PENDING"] });

    // Each call is tried with both wire forms; every failure is collected so
    // that the assertion names all of them.
    const failures = [];
    async function both(action, params, check = () => {}) {
      for (const reqMethod of ["POST", "GET"]) {
        const c = client(server, { signMethod: "HmacSHA256", reqMethod });
        try {
          check(await c[action](params), reqMethod);
        } catch (err) {
          failures.push(`${action} ${reqMethod}: ${err.code ?? ""} ${JSON.stringify(err.message).slice(0, 100)}`);
        }
      }
    }
    await both("DescribeInstances", { InstanceIds: [x] }, (r) => {
      assert.equal(r.TotalCount, 1);
      assert.equal(r.InstanceSet[0].InstanceState, "RUNNING");
    });
    await both("DescribeInstancesStatus", { InstanceIds: [x] }, (r) => {
      assert.deepEqual(r.InstanceStatusSet, [{ InstanceId: x, InstanceState: "RUNNING" }]);
    });
    await both("DescribeInstanceVncUrl", { InstanceId: x }, (r) => assert.match(r.InstanceVncUrl, /^wss:\/\//));
    await both("ModifyInstancesAttribute", { InstanceIds: [x], InstanceName: "v1 renamed" }, () => {});
    await both("ModifyInstancesProject", { InstanceIds: [x], ProjectId: 7 }, () => {});
    const after = (await byId(tc3, [x])).get(x);
    if (!failures.some((f) => f.startsWith("ModifyInstancesAttribute"))) assert.equal(after.InstanceName, "v1 renamed");
    if (!failures.some((f) => f.startsWith("ModifyInstancesProject"))) assert.equal(after.Placement.ProjectId, 7);

    const post = client(server, { signMethod: "HmacSHA256", reqMethod: "POST" });
    try {
      await post.ResetInstancesPassword({ InstanceIds: [x], Password: "Reset-Pass123!", ForceStop: true });
      assert.deepEqual(await stateOf(tc3, [x]), ["STOPPING"]);
      await pollUntil(server, tc3, [x], "RUNNING", { via: ["STOPPING", "STARTING"] });
    } catch (err) {
      failures.push(`ResetInstancesPassword POST: ${err.code ?? ""} ${JSON.stringify(err.message).slice(0, 100)}`);
    }
    try {
      await post.TerminateInstances({ InstanceIds: [x] });
      assert.deepEqual(await stateOf(tc3, [x]), ["TERMINATING"]);
      await pollUntil(server, tc3, [x], "ABSENT", { via: ["TERMINATING"] });
    } catch (err) {
      failures.push(`TerminateInstances POST: ${err.code ?? ""} ${JSON.stringify(err.message).slice(0, 100)}`);
    }
    // A region name longer than 15 bytes through v1 (with a short action name).
    const far = client(server, { signMethod: "HmacSHA256", region: "na-siliconvalley" });
    const farErr = await sdkError(far.StopInstances({ InstanceIds: ["ins-abcdefgh"] }));
    if (farErr.code !== "InvalidInstanceId.NotFound") {
      failures.push(`StopInstances in na-siliconvalley: ${farErr.code ?? ""} ${JSON.stringify(farErr.message).slice(0, 100)}`);
    }
    assert.deepEqual(failures, [], "v1-signed calls that failed");
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// 2. ClientToken.

test("ClientToken: a replay returns the same IDs and creates nothing; other parameters → InvalidParameterValue", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const params = runParams({ InstanceCount: 2, InstanceName: "idem", ClientToken: "token-7f3a-0001" });
    const first = await c.RunInstances(params);
    assert.equal(first.InstanceIdSet.length, 2);
    assert.equal(await totalCount(c), 2);

    const second = await c.RunInstances(params);
    assert.deepEqual(second.InstanceIdSet, first.InstanceIdSet, "same InstanceIdSet");
    assert.notEqual(second.RequestId, first.RequestId, "a new RequestId");
    assert.equal(await totalCount(c), 2, "the replay creates nothing");

    // Another client (another connection, v1 signature) replays too.
    const v1 = client(server, { signMethod: "HmacSHA256" });
    const third = await v1.RunInstances(params);
    assert.deepEqual(third.InstanceIdSet, first.InstanceIdSet);
    assert.equal(await totalCount(c), 2);

    // Same token, other parameters.
    const e = await sdkError(c.RunInstances({ ...params, InstanceCount: 3 }));
    assert.equal(e.code, "InvalidParameterValue");
    assert.match(e.message, /ClientToken/);
    const e2 = await sdkError(c.RunInstances({ ...params, InstanceName: "other" }));
    assert.equal(e2.code, "InvalidParameterValue");
    assert.equal(await totalCount(c), 2, "nothing created by the refused calls");

    // Another token with the same parameters creates new instances.
    const other = await c.RunInstances({ ...params, ClientToken: "token-7f3a-0002" });
    assert.equal(other.InstanceIdSet.length, 2);
    assert.equal(other.InstanceIdSet.filter((id) => first.InstanceIdSet.includes(id)).length, 0);
    assert.equal(await totalCount(c), 4);
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// 3. Isolation.

test("isolation: accounts never see each other's instances, regions never see each other's", async () => {
  const server = await startServer({ accounts: TWO_ACCOUNTS });
  try {
    await control(server, "clock/freeze");
    const a = client(server);
    const b = client(server, { credential: KEY_B });
    const aShanghai = client(server, { region: "ap-shanghai" });

    const run = await a.RunInstances(runParams({ InstanceCount: 2, InstanceName: "a-{R:1}" }));
    const ids = run.InstanceIdSet;
    await advance(server, 10);
    await pollUntil(server, a, ids, "RUNNING", { via: ["PENDING"] });

    // B sees nothing, not even by ID.
    const bAll = await b.DescribeInstances({});
    assert.equal(bAll.TotalCount, 0);
    assert.deepEqual(bAll.InstanceSet, []);
    const bById = await b.DescribeInstances({ InstanceIds: ids });
    assert.equal(bById.TotalCount, 0);
    assert.deepEqual(bById.InstanceSet, []);

    // B cannot act on A's instance.
    const stop = await sdkError(b.StopInstances({ InstanceIds: [ids[0]] }));
    assert.equal(stop.code, "InvalidInstanceId.NotFound");
    const rename = await sdkError(b.ModifyInstancesAttribute({ InstanceIds: [ids[0]], InstanceName: "stolen" }));
    assert.equal(rename.code, "InvalidInstanceId.NotFound");
    const term = await sdkError(b.TerminateInstances({ InstanceIds: ids }));
    assert.equal(term.code, "InvalidInstanceId.NotFound");
    let m = await byId(a, ids);
    assert.deepEqual(ids.map((id) => m.get(id).InstanceState), ["RUNNING", "RUNNING"], "A's instances untouched");
    assert.equal(m.get(ids[0]).InstanceName, "a-1");

    // A's ap-guangzhou instances are invisible from ap-shanghai.
    const sh = await aShanghai.DescribeInstances({});
    assert.equal(sh.TotalCount, 0);
    assert.deepEqual(sh.InstanceSet, []);
    assert.equal((await aShanghai.DescribeInstances({ InstanceIds: ids })).TotalCount, 0);
    const shStop = await sdkError(aShanghai.StopInstances({ InstanceIds: [ids[0]] }));
    assert.equal(shStop.code, "InvalidInstanceId.NotFound");

    // B's own instance is B's alone; A's Shanghai instance stays in Shanghai.
    const bRun = await b.RunInstances(runParams({ InstanceName: "b-only" }));
    const shRun = await aShanghai.RunInstances(runParams({ Placement: { Zone: "ap-shanghai-2" }, InstanceName: "a-sh" }));
    const bList = await b.DescribeInstances({});
    assert.deepEqual(bList.InstanceSet.map((i) => i.InstanceId), bRun.InstanceIdSet);
    const aList = await a.DescribeInstances({});
    assert.equal(aList.TotalCount, 2);
    assert.deepEqual(aList.InstanceSet.map((i) => i.InstanceId).sort(), [...ids].sort());
    const shList = await aShanghai.DescribeInstances({});
    assert.deepEqual(shList.InstanceSet.map((i) => i.InstanceId), shRun.InstanceIdSet);
    const aStopB = await sdkError(a.StopInstances({ InstanceIds: bRun.InstanceIdSet }));
    assert.equal(aStopB.code, "InvalidInstanceId.NotFound");
    m = await byId(a, ids);
    assert.equal(m.size, 2);
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// 4. Errors.

test("errors through the SDK: wrong state, zone of another region, malformed ID, missing Placement.Zone, quota, injected fault", async () => {
  const server = await startServer();
  try {
    await control(server, "clock/freeze");
    const c = client(server);
    const [id] = (await c.RunInstances(runParams())).InstanceIdSet;

    // PENDING allows no Start either.
    const pending = await sdkError(c.StartInstances({ InstanceIds: [id] }));
    assert.equal(pending.code, "UnsupportedOperation.InstanceStatePending");
    await advance(server, 10);
    await pollUntil(server, c, [id], "RUNNING", { via: ["PENDING"] });

    // Wrong state.
    const running = await sdkError(c.StartInstances({ InstanceIds: [id] }));
    assert.equal(running.code, "UnsupportedOperation.InstanceStateRunning");
    assert.match(running.requestId, UUID);
    assert.deepEqual(await stateOf(c, [id]), ["RUNNING"]);
    const pw = await sdkError(c.ResetInstancesPassword({ InstanceIds: [id], Password: "Reset-Pass123!" }));
    assert.equal(pw.code, "UnsupportedOperation.InstanceStateRunning", "ResetInstancesPassword without ForceStop");
    assert.deepEqual(await stateOf(c, [id]), ["RUNNING"]);

    // Zone of another region.
    const zone = await sdkError(c.RunInstances(runParams({ Placement: { Zone: "ap-shanghai-2" } })));
    assert.equal(zone.code, "InvalidZone.MismatchRegion");
    assert.equal(await totalCount(c), 1);

    // Malformed IDs, alone and in a batch with a good one (nothing changes).
    const bad = await sdkError(c.StopInstances({ InstanceIds: ["ins-123"] }));
    assert.equal(bad.code, "InvalidInstanceId.Malformed");
    const mixed = await sdkError(c.StopInstances({ InstanceIds: [id, "i-abcdefgh"] }));
    assert.equal(mixed.code, "InvalidInstanceId.Malformed");
    assert.deepEqual(await stateOf(c, [id]), ["RUNNING"], "a refused batch changes nothing");
    const descBad = await sdkError(c.DescribeInstances({ InstanceIds: ["ins-UPPER123"] }));
    assert.equal(descBad.code, "InvalidInstanceId.Malformed");
    const unknown = await sdkError(c.StopInstances({ InstanceIds: [id, "ins-zzzzzzzz"] }));
    assert.equal(unknown.code, "InvalidInstanceId.NotFound");
    assert.deepEqual(await stateOf(c, [id]), ["RUNNING"]);

    // Missing Placement.Zone.
    const missing = await sdkError(c.RunInstances({ Placement: { ProjectId: 0 }, ImageId: IMAGE }));
    assert.equal(missing.code, "MissingParameter");
    assert.match(missing.message, /Placement\.Zone/);
    const missingPlacement = await sdkError(c.RunInstances({ ImageId: IMAGE }));
    assert.equal(missingPlacement.code, "MissingParameter");
    assert.match(missingPlacement.message, /Placement/);

    // An injected fault comes back once as its code, then the action works again.
    const set = await control(server, "faults", { action: "RunInstances", code: "ResourceInsufficient", count: 1 });
    assert.equal(set.faults.length, 1);
    const fault = await sdkError(c.RunInstances(runParams()));
    assert.equal(fault.code, "ResourceInsufficient");
    assert.equal(await totalCount(c), 1, "the faulted call created nothing");
    const afterFault = await c.RunInstances(runParams());
    assert.equal(afterFault.InstanceIdSet.length, 1);
    assert.equal(await totalCount(c), 2);
    const describeFault = await control(server, "faults", { action: "StopInstances", code: "InternalError", count: 1 });
    assert.equal(describeFault.faults.length, 1);
    const internal = await sdkError(c.StopInstances({ InstanceIds: [id] }));
    assert.equal(internal.code, "InternalError");
    assert.deepEqual(await stateOf(c, [id]), ["RUNNING"], "the faulted Stop changed nothing");
    await c.StopInstances({ InstanceIds: [id] });
    assert.deepEqual(await stateOf(c, [id]), ["STOPPING"]);

    // Quota through the control plane: 2 in use, quota 4.
    await control(server, "quotas", { instances: 4 });
    const over = await sdkError(c.RunInstances(runParams({ InstanceCount: 3 })));
    assert.equal(over.code, "InstancesQuotaLimitExceeded");
    assert.equal(await totalCount(c), 2, "an over-quota call creates nothing");
    await c.RunInstances(runParams({ InstanceCount: 2 }));
    assert.equal(await totalCount(c), 4);
    const full = await sdkError(c.RunInstances(runParams()));
    assert.equal(full.code, "InstancesQuotaLimitExceeded");
    // Per-account quota wins over the default.
    await control(server, "quotas", { app_id: 1250000000, instances: 5 });
    await c.RunInstances(runParams());
    const full5 = await sdkError(c.RunInstances(runParams()));
    assert.equal(full5.code, "InstancesQuotaLimitExceeded");
    assert.equal(await totalCount(c), 5);
    // The quota is per region: Shanghai still has room.
    const sh = client(server, { region: "ap-shanghai" });
    await sh.RunInstances(runParams({ Placement: { Zone: "ap-shanghai-2" } }));
    assert.equal(await totalCount(sh), 1);
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// 5. Concurrency against the quota.

test("concurrency: 160 RunInstances from 16 clients against a quota of 50 → exactly 50 instances", async () => {
  // The quota is set through the control endpoint (as --instance-quota 50
  // would), so this runs against the container too.
  const server = await startServer();
  const agents = [];
  try {
    const quota = await server.control("quotas", { instances: 50 });
    assert.equal(quota.status, 200, JSON.stringify(quota.body));
    const CLIENTS = 16;
    const CALLS = 10;
    const created = [];
    const failures = [];
    const workers = Array.from({ length: CLIENTS }, async (_, w) => {
      const agent = freshAgent();
      agents.push(agent);
      const c = client(server, { agent });
      for (let i = 0; i < CALLS; i++) {
        try {
          const r = await c.RunInstances(runParams({ InstanceName: `w${w}-${i}` }));
          created.push(...r.InstanceIdSet);
        } catch (e) {
          failures.push(e);
        }
      }
    });
    await Promise.all(workers);

    const codes = {};
    for (const e of failures) codes[e.code ?? e.message] = (codes[e.code ?? e.message] || 0) + 1;
    assert.equal(created.length + failures.length, CLIENTS * CALLS);
    assert.deepEqual(codes, { InstancesQuotaLimitExceeded: 110 }, "every failure is the quota");
    assert.equal(created.length, 50, "exactly the quota succeeded");
    assert.equal(new Set(created).size, 50, "distinct IDs");

    const c = client(server);
    const r = await c.DescribeInstances({ Limit: 100 });
    assert.equal(r.TotalCount, 50);
    assert.equal(r.InstanceSet.length, 50);
    const pages100 = await listAll(c, 100);
    assert.equal(pages100.total, 50);
    assert.deepEqual(pages100.instances.map((i) => i.InstanceId).sort(), [...created].sort());
    const pages7 = await listAll(c, 7);
    assert.equal(pages7.instances.length, 50);
    assert.deepEqual(pages7.instances.map((i) => i.InstanceId).sort(), [...created].sort(), "pages of 7 agree");
    const byIds = await byId(c, created);
    assert.equal(byIds.size, 50);
  } finally {
    for (const a of agents) a.destroy();
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// 6. Crash safety.

test("crash safety: every acknowledged RunInstances survives SIGKILL (3 cycles), database intact",
  { skip: ownServerOnly("kills it with SIGKILL and restarts it on the same data, with its own flags") }, async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-e2e-crash-"));
  const args = ["--pending-seconds", "0", "--instance-quota", "100000"];
  const dbPath = path.join(dataDir, "cvm.sqlite3");
  const acked = []; // { id, name }
  const COUNT = 3; // instances per call: a call is all or nothing
  try {
    for (let cycle = 1; cycle <= 3; cycle++) {
      const server = await startServer({ dataDir, args });
      assert.ok(fs.existsSync(dbPath), "the file database is used");
      let killed = false;
      const unexpected = [];
      const agents = [];
      let calls = 0;
      const workers = Array.from({ length: 8 }, async (_, w) => {
        const agent = freshAgent();
        agents.push(agent);
        const c = client(server, { agent });
        for (let i = 0; ; i++) {
          const name = `c${cycle}-w${w}-${i}-`;
          try {
            calls++;
            const r = await c.RunInstances(runParams({ InstanceCount: COUNT, InstanceName: `${name}{R:1}` }));
            assert.equal(r.InstanceIdSet.length, COUNT);
            for (const id of r.InstanceIdSet) acked.push({ id, prefix: name });
          } catch (e) {
            if (!killed) unexpected.push(e);
            return;
          }
          if (killed) return;
        }
      });
      await sleep(300);
      killed = true;
      server.child.kill("SIGKILL");
      const exit = await server.exited;
      assert.equal(exit.signal, "SIGKILL");
      await Promise.all(workers);
      for (const a of agents) a.destroy();
      assert.deepEqual(unexpected.map((e) => e.code ?? e.message), [], "no failures before the kill");
      assert.ok(calls > 8, `cycle ${cycle}: requests were made (${calls})`);
      t.diagnostic(`cycle ${cycle}: ${calls} calls, ${acked.length} acknowledged instances in total`);

      // Restart on the same data: every acknowledged instance is there, RUNNING.
      const again = await startServer({ dataDir, args });
      try {
        const c = client(again);
        const ids = acked.map((x) => x.id);
        const found = await byId(c, ids);
        const missing = ids.filter((id) => !found.has(id));
        assert.deepEqual(missing, [], `cycle ${cycle}: acknowledged instances lost (${missing.length} of ${ids.length})`);
        const notRunning = ids.filter((id) => found.get(id).InstanceState !== "RUNNING");
        assert.deepEqual(notRunning, [], `cycle ${cycle}: instances not RUNNING`);
        for (const { id, prefix } of acked) assert.ok(found.get(id).InstanceName.startsWith(prefix), `name of ${id}`);

        // Paging agrees; unacknowledged calls may have committed, but only whole.
        const all = await listAll(c, 100);
        assert.equal(all.instances.length, all.total);
        assert.ok(all.total >= ids.length, `TotalCount ${all.total} >= acknowledged ${ids.length}`);
        assert.equal(new Set(all.instances.map((i) => i.InstanceId)).size, all.total, "no duplicates across pages");
        const perCall = new Map();
        for (const inst of all.instances) {
          assert.equal(inst.InstanceState, "RUNNING", `${inst.InstanceId} state`);
          const prefix = inst.InstanceName.replace(/\d+$/, "");
          perCall.set(prefix, (perCall.get(prefix) || 0) + 1);
        }
        for (const [prefix, n] of perCall) assert.equal(n, COUNT, `call ${prefix} created ${n} of ${COUNT}`);
      } finally {
        const stopped = await again.stop();
        assert.equal(stopped.code, 0, `graceful stop:\n${again.output()}`);
      }
      const { stdout } = await execFileP("sqlite3", [dbPath, "PRAGMA integrity_check"]);
      assert.equal(stdout.trim(), "ok", `cycle ${cycle}: integrity_check`);
    }
    assert.ok(acked.length > 0, "some launches were acknowledged");
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
