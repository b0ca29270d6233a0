// The request journal (GET /_emulator/requests, its NDJSON stream) and
// snapshots (GET/POST /_emulator/snapshot), driven by the official SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer, client, sdkError } from "./harness.mjs";

const ZONE = "ap-guangzhou-3";
const IMAGE = "img-eb30mz89";

async function get(server, path) {
  const res = await fetch(`http://${server.host}:${server.port}/_emulator/${path}`);
  return { status: res.status, body: await res.json() };
}

test("journal: an SDK request is recorded with its RequestId, account and redacted password", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const run = await c.RunInstances({
      Placement: { Zone: ZONE }, ImageId: IMAGE,
      LoginSettings: { Password: "Secret-Passw0rd!" },
    });
    const err = await sdkError(c.StopInstances({ InstanceIds: ["ins-00000000"] }));
    const r = await get(server, `requests?request_id=${run.RequestId}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.requests.length, 1);
    const entry = r.body.requests[0];
    assert.equal(entry.Action, "RunInstances");
    assert.equal(entry.Code, null);
    assert.equal(entry.AppId, 1250000000);
    assert.equal(entry.Region, "ap-guangzhou");
    assert.equal(entry.Params.LoginSettings.Password, "<redacted>");
    assert.ok(!JSON.stringify(entry).includes("Secret-Passw0rd!"));
    assert.equal(JSON.parse(entry.Response).Response.InstanceIdSet[0], run.InstanceIdSet[0]);
    const errors = await get(server, "requests?code=error&action=StopInstances");
    assert.equal(errors.body.requests.length, 1);
    assert.equal(errors.body.requests[0].Code, err.code);
  } finally {
    await server.stop();
  }
});

test("journal: ?follow=1 streams new entries as NDJSON", async () => {
  const server = await startServer();
  const abort = new AbortController();
  try {
    const res = await fetch(
      `http://${server.host}:${server.port}/_emulator/requests?follow=1&action=DescribeZones`,
      { signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /ndjson/);
    const reader = res.body.getReader();
    const c = client(server);
    await c.DescribeRegions({});  // filtered out
    const zones = await c.DescribeZones({});
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      assert.ok(!done, "the stream ended early");
      text += new TextDecoder().decode(value);
    }
    const line = JSON.parse(text.split("\n")[0]);
    assert.equal(line.Action, "DescribeZones");
    assert.equal(line.RequestId, zones.RequestId);
  } finally {
    abort.abort();
    await server.stop();
  }
});

test("snapshot: export → reset → import → export gives the same document, and the SDK sees it", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const run = await c.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceCount: 2 });
    await c.CreateKeyPair({ KeyName: "fixture", ProjectId: 0 });
    await server.control("clock/freeze");
    const before = await get(server, "snapshot");
    assert.equal(before.status, 200);
    assert.equal(before.body.tables.instances.rows.length, 2);
    assert.equal((await server.control("reset")).status, 200);
    await server.control("clock/freeze");
    const res = await fetch(`http://${server.host}:${server.port}/_emulator/snapshot`, {
      method: "POST", body: JSON.stringify(before.body),
    });
    assert.equal(res.status, 200, JSON.stringify(await res.clone().json()));
    const after = await get(server, "snapshot");
    assert.deepEqual(after.body, before.body);
    const described = await c.DescribeInstances({ InstanceIds: run.InstanceIdSet });
    assert.equal(described.TotalCount, 2);
    const keys = await c.DescribeKeyPairs({});
    assert.deepEqual(keys.KeyPairSet.map((k) => k.KeyName), ["fixture"]);

    // A broken one is refused and changes nothing.
    const bad = structuredClone(before.body);
    bad.tables.instances.rows[0][3] = 7;
    const refused = await fetch(`http://${server.host}:${server.port}/_emulator/snapshot`, {
      method: "POST", body: JSON.stringify(bad),
    });
    assert.equal(refused.status, 400);
    assert.match((await refused.json()).error, /tables\.instances row 0: instance_id/);
    assert.deepEqual((await get(server, "snapshot")).body, before.body);
  } finally {
    await server.stop();
  }
});
