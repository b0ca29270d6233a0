// Fault injection as the official Node.js SDK sees it (README "Fault
// injection"): each effect's error (API error object, timeout, ECONNRESET,
// HTTP exception on a gateway page, JSON parse error), a fault after the
// commit and the ClientToken retry, latency that blocks no one, the same
// seed firing the same sequence, a count-1 rule under 16 parallel callers,
// and new resources unseen by Describe for a while (hide_new).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer, client, sdkError, ownServerOnly, DEFAULT_KEY } from "./harness.mjs";

const ZONE = "ap-guangzhou-3";
const IMAGE = "img-eb30mz89"; // CentOS 7.5 64位

async function addRules(server, body) {
  const r = await server.control("faults", body);
  assert.equal(r.status, 200, `faults ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function rule(server, id) {
  const r = await server.control("faults", undefined, "GET");
  return r.body.rules.find((x) => x.id === id);
}

async function withServer(options, f) {
  const server = await startServer(options);
  try {
    await f(server);
  } finally {
    await server.stop();
  }
}

test("an error effect comes back as the SDK's error object, with its code, message and RequestId", () =>
  withServer({}, async (server) => {
    await addRules(server, { id: "e1", action: "DescribeZones", code: "RequestLimitExceeded", message: "slow down", count: 1 });
    const c = client(server);
    const e = await sdkError(c.DescribeZones({}));
    assert.equal(e.code, "RequestLimitExceeded");
    assert.equal(e.message, "slow down");
    assert.match(e.requestId, /^[0-9a-f-]{36}$/);
    await c.DescribeZones({}); // count 1: the next call succeeds
    const r = await rule(server, "e1");
    assert.deepEqual([r.matched, r.fired, r.active], [1, 1, false]);
  }));

test("a rule with probability 0 that matches first does not hide a later rule for the same action", () =>
  withServer({}, async (server) => {
    await addRules(server, { action: "DescribeZones", code: "InternalError", probability: 0, count: -1 });
    await addRules(server, { action: "DescribeZones", code: "ResourceInsufficient", count: 1 });
    const e = await sdkError(client(server).DescribeZones({}));
    assert.equal(e.code, "ResourceInsufficient");
  }));

test("a reset connection and a closed one reject with the socket's error; nothing was applied", () =>
  withServer({}, async (server) => {
    await addRules(server, { rules: [
      { id: "rst", action: "DescribeRegions", effect: { type: "reset" } },
      { id: "shut", action: "RunInstances", effect: { type: "close" } },
    ] });
    const c = client(server);
    const reset = await sdkError(c.DescribeRegions({}));
    assert.match(reset.message, /ECONNRESET|socket hang up/);
    const closed = await sdkError(c.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE }));
    assert.match(closed.message, /ECONNRESET|socket hang up/);
    assert.equal((await c.DescribeInstances({})).TotalCount, 0);
  }));

test("a held request times out in the SDK", () =>
  withServer({}, async (server) => {
    await addRules(server, { id: "h", action: "DescribeZones", effect: { type: "hold", hold_ms: 5000 } });
    const c = client(server, { reqTimeout: 1 });
    const e = await sdkError(c.DescribeZones({}));
    assert.match(e.message, /timeout/i);
    assert.equal((await rule(server, "h")).fired, 1);
  }));

test("a gateway answer is the SDK's HTTP exception with the status", () =>
  withServer({}, async (server) => {
    await addRules(server, { rules: [
      { id: "g502", action: "DescribeZones", effect: { type: "gateway", status: 502 } },
      { id: "g504", action: "DescribeRegions", effect: { type: "gateway", status: 504 } },
    ] });
    const c = client(server);
    const bad = await sdkError(c.DescribeZones({}));
    assert.equal(bad.httpCode, 502);
    assert.equal(bad.message, "Bad Gateway");
    const timeout = await sdkError(c.DescribeRegions({}));
    assert.equal(timeout.httpCode, 504);
  }));

test("a truncated or malformed answer is a JSON parse error in the SDK", () =>
  withServer({}, async (server) => {
    await addRules(server, { rules: [
      { id: "cut", action: "DescribeZones", effect: { type: "truncate" } },
      { id: "bad", action: "DescribeRegions", effect: { type: "malformed" } },
    ] });
    const c = client(server);
    // One call at a time: a second promise made up front could reject
    // before it is awaited (an unhandled rejection).
    for (const call of [() => c.DescribeZones({}), () => c.DescribeRegions({})]) {
      const e = await sdkError(call());
      assert.equal(e.type, "invalid-json", e.message);
    }
  }));

test("after the commit: RunInstances retried with its ClientToken returns the first call's IDs and creates nothing more", () =>
  withServer({}, async (server) => {
    const c = client(server);
    const params = { Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceCount: 2, ClientToken: "e2e-after-commit" };
    for (const effect of [
      { type: "error", code: "InternalError", after_commit: true },
      { type: "reset", after_commit: true },
    ]) {
      await server.control("faults/clear");
      await addRules(server, { action: "RunInstances", count: 1, effect });
      const e = await sdkError(c.RunInstances(params));
      if (effect.type === "error") assert.equal(e.code, "InternalError");
      else assert.match(e.message, /ECONNRESET|socket hang up/);
      const retry = await c.RunInstances(params);
      assert.equal(retry.InstanceIdSet.length, 2);
      const all = await c.DescribeInstances({ Limit: 100 });
      assert.equal(all.TotalCount, 2, "the faulted call took effect once, the retry created nothing");
      assert.deepEqual(all.InstanceSet.map((i) => i.InstanceId).sort(), [...retry.InstanceIdSet].sort());
    }
  }));

test("latency delays one answer without blocking other connections", () =>
  withServer({}, async (server) => {
    await addRules(server, { id: "slow", action: "DescribeZones", effect: { type: "latency", delay_ms: 1500 } });
    const order = [];
    const slow = client(server).DescribeZones({}).then(() => order.push("slow"));
    // Another connection, the same database worker: answered first.
    const fast = client(server).DescribeInstances({}).then(() => order.push("fast"));
    await Promise.all([slow, fast]);
    assert.deepEqual(order, ["fast", "slow"]);
    // A delay longer than the client's timeout is a timeout.
    await server.control("faults/clear");
    await addRules(server, { action: "DescribeZones", effect: { type: "latency", delay_ms: 3000 } });
    const e = await sdkError(client(server, { reqTimeout: 1 }).DescribeZones({}));
    assert.match(e.message, /timeout/i);
  }));

test("a count-1 rule fires exactly once under 16 parallel callers", () =>
  withServer({}, async (server) => {
    await addRules(server, { id: "once", action: "DescribeRegions", code: "InternalError", count: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, () => client(server).DescribeRegions({})));
    const failed = results.filter((r) => r.status === "rejected");
    assert.equal(failed.length, 1);
    assert.equal(failed[0].reason.code, "InternalError");
    const r = await rule(server, "once");
    assert.deepEqual([r.matched, r.fired], [1, 1]);
  }));

test("the same --seed fires the same sequence; the log line names the rule", { skip: ownServerOnly("--seed, the log") }, async () => {
  const pattern = async () => {
    let seen = "";
    await withServer({ args: ["--seed", "20261204", "--log-level", "info"] }, async (server) => {
      await addRules(server, { id: "coin", action: "DescribeZones", code: "InternalError", probability: 0.5 });
      const c = client(server);
      for (let i = 0; i < 24; i++) {
        seen += await c.DescribeZones({}).then(() => ".", () => "F");
      }
      const lines = server.stdout().split("\n").filter((l) => l.includes('"Faults"'));
      assert.equal(lines.length, [...seen].filter((x) => x === "F").length);
      assert.deepEqual(JSON.parse(lines[0]).Faults, [{ Rule: "coin", Effect: "error" }]);
    });
    return seen;
  };
  const first = await pattern();
  assert.match(first, /F/);
  assert.match(first, /\./);
  assert.equal(await pattern(), first);
});

test("--faults FILE loads rules at start", { skip: ownServerOnly("--faults") }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-faults-"));
  const file = path.join(dir, "rules.json");
  fs.writeFileSync(file, JSON.stringify([{ id: "boot", action: "DescribeRegions", code: "InternalServerError" }]));
  try {
    await withServer({ args: ["--faults", file] }, async (server) => {
      const e = await sdkError(client(server).DescribeRegions({}));
      assert.equal(e.code, "InternalServerError");
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a stuck rule keeps an instance STOPPING until it is deleted; then it shows STOPPED", () =>
  withServer({}, async (server) => {
    const c = client(server);
    const run = await c.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceCount: 2 });
    const [id, other] = run.InstanceIdSet;
    await server.control("clock/advance", { seconds: 10 });
    await addRules(server, { id: "stuck-stop", match: { resource_id: id }, effect: { type: "stuck", phase: "STOPPING" } });
    await c.StopInstances({ InstanceIds: [id, other] });
    await server.control("clock/advance", { seconds: 3600 });
    const states = async () => {
      const r = await c.DescribeInstancesStatus({ InstanceIds: [id, other] });
      return Object.fromEntries(r.InstanceStatusSet.map((s) => [s.InstanceId, s.InstanceState]));
    };
    assert.deepEqual(await states(), { [id]: "STOPPING", [other]: "STOPPED" });
    const d = await c.DescribeInstances({ InstanceIds: [id] });
    assert.equal(d.InstanceSet[0].InstanceState, "STOPPING");
    const e = await sdkError(c.StartInstances({ InstanceIds: [id] }));
    assert.equal(e.code, "UnsupportedOperation.InstanceStateStopping");
    assert.equal((await server.control("faults/delete", { id: "stuck-stop" })).status, 200);
    assert.deepEqual(await states(), { [id]: "STOPPED", [other]: "STOPPED" });
    await c.StartInstances({ InstanceIds: [id] });
    assert.deepEqual(await states(), { [id]: "STARTING", [other]: "STOPPED" });
  }));

test("control input is validated: 400 naming the field, nothing changed", () =>
  withServer({}, async (server) => {
    for (const [body, error] of [
      [{ code: "NoSuchCode" }, "effect.code: NoSuchCode is not an error code of the API"],
      [{ code: "InternalError", probability: 2 }, "trigger.probability must be between 0 and 1"],
      [{ code: "InternalError", match: { action: 3 } }, "match.action must be a string"],
    ]) {
      const r = await server.control("faults", body);
      assert.equal(r.status, 400);
      assert.equal(r.body.error, error);
    }
    const listed = await server.control("faults", undefined, "GET");
    assert.deepEqual(listed.body.rules, []);
  }));

test("rate limits: off by default; on, the 21st DescribeRegions in one emulator second is RequestLimitExceeded", () =>
  withServer({}, async (server) => {
    const c = client(server);
    await server.control("clock/freeze");
    for (let i = 0; i < 25; i++) await c.DescribeRegions({});
    const on = await server.control("rate_limits", { enabled: true, limits: { DescribeZones: 1 } });
    assert.equal(on.status, 200);
    for (let i = 0; i < 20; i++) await c.DescribeRegions({});
    const e = await sdkError(c.DescribeRegions({}));
    assert.equal(e.code, "RequestLimitExceeded");
    assert.equal(e.message, "Too many requests for DescribeRegions: the limit is 20 per second.");
    await c.DescribeZones({});
    assert.equal((await sdkError(c.DescribeZones({}))).code, "RequestLimitExceeded");
    await server.control("clock/advance", { seconds: 1 });
    await c.DescribeRegions({});
    await server.control("reset");
    assert.deepEqual((await server.control("rate_limits", undefined, "GET")).body, { enabled: false, limits: {} });
  }));

test("rate limits: --rate-limits on starts them on", { skip: ownServerOnly("--rate-limits") }, () =>
  withServer({ args: ["--rate-limits", "on"] }, async (server) => {
    assert.equal((await server.control("rate_limits", undefined, "GET")).body.enabled, true);
  }));

const B_KEY = { secretId: "AKIDbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", secretKey: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" };
const TWO_ACCOUNTS = {
  accounts: [
    { AppId: 1250000000, Uin: "100000000001", Name: "a", Keys: [{ SecretId: DEFAULT_KEY.secretId, SecretKey: DEFAULT_KEY.secretKey }] },
    { AppId: 1250000001, Uin: "100000000002", Name: "b", Keys: [{ SecretId: B_KEY.secretId, SecretKey: B_KEY.secretKey }] },
  ],
};

test("hide_new: a new instance, key pair and host are unseen by Describe for N emulator seconds, yet real", () =>
  withServer({}, async (server) => {
    await server.control("clock/freeze");
    const c = client(server);
    await addRules(server, { id: "lag", effect: { type: "hide_new", seconds: 30 } });
    const [id] = (await c.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE })).InstanceIdSet;
    const byId = await c.DescribeInstances({ InstanceIds: [id] });
    assert.equal(byId.TotalCount, 0);
    assert.deepEqual(byId.InstanceSet, []);
    assert.equal((await c.DescribeInstances({})).TotalCount, 0);
    assert.deepEqual((await c.DescribeInstancesStatus({ InstanceIds: [id] })).InstanceStatusSet, []);
    const key = (await c.CreateKeyPair({ KeyName: "fresh", ProjectId: 0 })).KeyPair.KeyId;
    assert.equal((await c.DescribeKeyPairs({ KeyIds: [key] })).TotalCount, 0);
    const [host] = (await c.AllocateHosts({ Placement: { Zone: ZONE }, HostChargePrepaid: { Period: 1 } })).HostIdSet;
    assert.equal((await c.DescribeHosts({})).TotalCount, 0);
    // Unseen, not absent: StopInstances on its ID is taken once it is RUNNING.
    await server.control("clock/advance", { seconds: 10 });
    await c.StopInstances({ InstanceIds: [id] });
    await server.control("clock/advance", { seconds: 19 });
    assert.equal((await c.DescribeInstances({ InstanceIds: [id] })).TotalCount, 0);
    await server.control("clock/advance", { seconds: 1 });
    const seen = await c.DescribeInstances({ InstanceIds: [id] });
    assert.equal(seen.TotalCount, 1);
    assert.equal(seen.InstanceSet[0].InstanceId, id);
    assert.equal(seen.InstanceSet[0].InstanceState, "STOPPED");
    assert.deepEqual((await c.DescribeKeyPairs({ KeyIds: [key] })).KeyPairSet.map((k) => k.KeyId), [key]);
    const hosts = await c.DescribeHosts({});
    assert.equal(hosts.TotalCount, 1);
    assert.equal(hosts.HostSet[0].HostId, host);
    const r = await rule(server, "lag");
    assert.equal(r.fired, 9);  // the Describe calls; RunInstances and the others are not matched
    assert.equal(r.matched, 9);
  }));

test("hide_new: a rule for one account hides nothing of another; deleting the rule shows the new resources at once", () =>
  withServer({ accounts: TWO_ACCOUNTS }, async (server) => {
    await server.control("clock/freeze");
    const a = client(server);
    const b = client(server, { credential: B_KEY });
    await addRules(server, { id: "b-lag", match: { app_id: 1250000001 }, effect: { type: "hide_new", seconds: 600 } });
    const [mine] = (await a.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE })).InstanceIdSet;
    const [theirs] = (await b.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE })).InstanceIdSet;
    assert.deepEqual((await a.DescribeInstances({})).InstanceSet.map((i) => i.InstanceId), [mine]);
    assert.equal((await b.DescribeInstances({})).TotalCount, 0);
    assert.equal((await b.DescribeInstances({ InstanceIds: [theirs] })).TotalCount, 0);
    assert.equal((await server.control("faults/delete", { id: "b-lag" })).status, 200);
    const shown = await b.DescribeInstances({ InstanceIds: [theirs] });
    assert.equal(shown.TotalCount, 1);
    assert.equal(shown.InstanceSet[0].InstanceId, theirs);
  }));

test("hide_new: a malformed rule is 400 naming the field, and nothing is added", () =>
  withServer({}, async (server) => {
    for (const [body, field, error] of [
      [{ effect: { type: "hide_new", seconds: 0 } }, "effect.seconds", "effect.seconds must be a whole number from 1 to 86400"],
      [{ effect: { type: "hide_new" } }, "effect", "effect.seconds is required for a hide_new effect"],
      [{ action: "RunInstances", effect: { type: "hide_new", seconds: 5 } }, "match",
        "match.action RunInstances does not list resources: a hide_new effect applies to DescribeInstances, " +
        "DescribeInstancesStatus, DescribeImages, DescribeKeyPairs, DescribeHosts and DescribeDisasterRecoverGroups (or *)"],
    ]) {
      const r = await server.control("faults", body);
      assert.equal(r.status, 400);
      assert.equal(r.body.field, field);
      assert.equal(r.body.error, error);
    }
    assert.deepEqual((await server.control("faults", undefined, "GET")).body.rules, []);
  }));
