// Hardening end-to-end tests (issue 10): only what was signed is executed,
// accepted v1 signatures survive a restart, the WAL stays bounded and a
// kill -9 loses nothing acknowledged, the request head has one size limit.
// Raw signed requests stand in where the SDK cannot produce the attack.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import querystring from "node:querystring";
import { startServer, client, sdkError, rawRequest, DEFAULT_KEY, ownServerOnly } from "./harness.mjs";

const ZONE = "ap-guangzhou-3";
const IMAGE = "img-eb30mz89";

/**
 * A v1 signed form (docs/wire.md §3) for host 127.0.0.1:port. `goStyle` leaves
 * empty values out of the string to sign, as the Go SDK does.
 */
function v1Form(port, {
  method = "POST", action, region = "ap-guangzhou", params = {}, key = DEFAULT_KEY,
  signatureMethod = "HmacSHA256", nonce = crypto.randomInt(1, 1 << 30),
  timestamp = Math.round(Date.now() / 1000), goStyle = false,
}) {
  const p = { ...params, Action: action, Nonce: String(nonce), Timestamp: String(timestamp),
    Version: "2017-03-12", SecretId: key.secretId, SignatureMethod: signatureMethod };
  if (region) p.Region = region;
  const signed = Object.keys(p).filter((k) => !(goStyle && p[k] === "")).sort();
  const toSign = `${method}127.0.0.1:${port}/?` + signed.map((k) => `${k}=${p[k]}`).join("&");
  const alg = signatureMethod === "HmacSHA1" ? "sha1" : "sha256";
  p.Signature = crypto.createHmac(alg, key.secretKey).update(toSign, "utf8").digest("base64");
  return querystring.stringify(p);
}

/** POSTs a v1 form; returns the parsed {"Response": …}. */
async function postForm(server, form, headers = {}) {
  const res = await rawRequest(server, {
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: form,
  });
  assert.equal(res.status, 200, res.body);
  return JSON.parse(res.body).Response;
}

// ---------------------------------------------------------------------------
// Only what was signed is executed.

test("v1: a DescribeInstances signed with HmacSHA256 plus unsigned X-TC-Action: TerminateInstances is AuthFailure.SignatureFailure and terminates nothing (--unknown-params ignore)",
  { skip: ownServerOnly("starts with --unknown-params ignore") }, async () => {
  const server = await startServer({ args: ["--unknown-params", "ignore", "--pending-seconds", "0"] });
  try {
    const c = client(server);
    const [id] = (await c.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceCount: 1 }))
      .InstanceIdSet;
    const form = v1Form(server.port, { action: "DescribeInstances", params: { "InstanceIds.0": id } });
    const r = await postForm(server, form, {
      "X-TC-Action": "TerminateInstances", "X-TC-Version": "2017-03-12", "X-TC-Region": "ap-guangzhou",
    });
    assert.equal(r.Error?.Code, "AuthFailure.SignatureFailure", JSON.stringify(r));
    assert.match(r.Error.Message, /X-TC-Action/);
    const after = await c.DescribeInstances({ InstanceIds: [id] });
    assert.equal(after.InstanceSet[0].InstanceState, "RUNNING");

    // The same form without the headers is the DescribeInstances that was signed.
    const plain = await postForm(server, v1Form(server.port, {
      action: "DescribeInstances", params: { "InstanceIds.0": id } }));
    assert.equal(plain.TotalCount, 1, JSON.stringify(plain));
  } finally {
    await server.stop();
  }
});

test("v1: an empty parameter appended after signing (the Go SDK's rule leaves empties out) is not executed: Description= does not clear the description", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const { KeyPair } = await c.CreateKeyPair({ KeyName: "keep", ProjectId: 0 });
    await c.ModifyKeyPairAttribute({ KeyId: KeyPair.KeyId, Description: "keep me" });
    const form = v1Form(server.port, { action: "ModifyKeyPairAttribute", goStyle: true,
      params: { KeyId: KeyPair.KeyId, KeyName: "renamed" } });
    const r = await postForm(server, form + "&Description=");
    assert.equal(r.Error, undefined, JSON.stringify(r));
    const [after] = (await c.DescribeKeyPairs({ KeyIds: [KeyPair.KeyId] })).KeyPairSet;
    assert.equal(after.KeyName, "renamed");
    assert.equal(after.Description, "keep me");
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// Accepted v1 signatures survive a restart.

test("v1 replay: a request accepted before SIGKILL is still a replay after a restart on the same data (DescribeRegions, DescribeInstances)",
  { skip: ownServerOnly("restarts it on the same data") }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-e2e-replay-"));
  try {
    const server = await startServer({ dataDir });
    const forms = [
      v1Form(server.port, { action: "DescribeInstances" }),  // saved before its answer
      v1Form(server.port, { action: "DescribeRegions" }),    // answered from the catalog
    ];
    for (const form of forms) {
      const r = await postForm(server, form);
      assert.equal(r.Error, undefined, JSON.stringify(r));
    }
    // A catalog read's signature is saved by the next batch at the latest.
    await client(server).DescribeInstances({});
    server.child.kill("SIGKILL");
    assert.equal((await server.exited).signal, "SIGKILL");

    const again = await startServer({ dataDir });
    try {
      for (const form of forms) {
        // The form was signed for the old port's Host; send it with that Host.
        const r = await postForm(again, form, { host: `127.0.0.1:${server.port}` });
        assert.equal(r.Error?.Code, "AuthFailure.SignatureFailure", JSON.stringify(r));
        assert.match(r.Error.Message, /replay/);
      }
      // A fresh signature is accepted.
      const fresh = await postForm(again, v1Form(again.port, { action: "DescribeRegions" }));
      assert.equal(fresh.Error, undefined, JSON.stringify(fresh));
    } finally {
      await again.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------
// Durability: kill -9 loses nothing acknowledged; the WAL is folded in at start.

test("kill -9 during nonstop ModifyInstancesAttribute: every acknowledged name survives, and the restarted server starts with an empty WAL",
  { skip: ownServerOnly("kills it with SIGKILL and restarts it on the same data") }, async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-e2e-wal-"));
  const wal = path.join(dataDir, "cvm.sqlite3-wal");
  const walBytes = () => (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
  const WORKERS = 8;
  try {
    const server = await startServer({ dataDir, args: ["--pending-seconds", "0"] });
    const ids = (await client(server).RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE,
      InstanceCount: WORKERS })).InstanceIdSet;
    const acked = new Array(WORKERS).fill(0);  // the last name number acknowledged per instance
    let total = 0;
    let killed = false;
    const unexpected = [];
    let allWorking;
    const working = new Promise((resolve) => (allWorking = resolve));
    const workers = ids.map(async (id, w) => {
      const c = client(server);
      for (let n = 1; !killed; n++) {
        try {
          await c.ModifyInstancesAttribute({ InstanceIds: [id], InstanceName: `w${w}-${n}` });
        } catch (e) {
          if (!killed) unexpected.push(e);
          return;
        }
        if (!killed) {
          acked[w] = n;
          if (++total >= 400) allWorking();
        }
      }
    });
    await working;
    killed = true;
    server.child.kill("SIGKILL");
    assert.equal((await server.exited).signal, "SIGKILL");
    await Promise.all(workers);
    assert.deepEqual(unexpected.map((e) => e.code ?? e.message), [], "no failures before the kill");
    const left = walBytes();
    assert.ok(left > 0, "the killed server left a WAL behind");
    t.diagnostic(`${total} acknowledged writes; WAL left behind: ${left} bytes`);

    const again = await startServer({ dataDir });
    try {
      assert.equal(walBytes(), 0, "the WAL was folded into the database file at start");
      const found = (await client(again).DescribeInstances({ InstanceIds: ids, Limit: 100 })).InstanceSet;
      for (const [w, id] of ids.entries()) {
        const name = found.find((i) => i.InstanceId === id).InstanceName;
        // The write in flight at the kill may have committed too.
        assert.ok([`w${w}-${acked[w]}`, `w${w}-${acked[w] + 1}`].includes(name),
          `${id}: ${name}, acknowledged w${w}-${acked[w]}`);
      }
    } finally {
      await again.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------
// Input edges.

test("names: a NUL or other control character in InstanceName, ImageName or KeyName is InvalidParameterValue naming it, and nothing is stored", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    for (const bad of ["web\u0000one", "web\none", "esc\u001b[31m", "c1\u0085"]) {
      const run = await sdkError(c.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE,
        InstanceCount: 1, InstanceName: bad }));
      assert.equal(run.code, "InvalidParameterValue");
      assert.match(run.message, /InstanceName/);
      const key = await sdkError(c.CreateKeyPair({ KeyName: bad, ProjectId: 0 }));
      assert.equal(key.code, "InvalidKeyPairName.IncludeIllegalChar");
      assert.match(key.message, /KeyName/);
    }
    assert.equal((await c.DescribeInstances({})).TotalCount, 0);
    const [id] = (await c.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceCount: 1 }))
      .InstanceIdSet;
    await server.control("clock/advance", { seconds: 600 });  // PENDING → RUNNING
    const modify = await sdkError(c.ModifyInstancesAttribute({ InstanceIds: [id], InstanceName: "a\u0000b" }));
    assert.equal(modify.code, "InvalidParameterValue");
    assert.match(modify.message, /InstanceName/);
    await c.StopInstances({ InstanceIds: [id] });
    await server.control("clock/advance", { seconds: 3600 });
    const image = await sdkError(c.CreateImage({ InstanceId: id, ImageName: "img\u0007" }));
    assert.equal(image.code, "InvalidParameterValue");
    assert.match(image.message, /ImageName/);
  } finally {
    await server.stop();
  }
});

/** Sends `text` on a fresh connection and reads until the server closes it (or 5 s). */
function rawExchange(server, text) {
  return new Promise((resolve) => {
    const sock = net.connect(server.port, "127.0.0.1");
    const parts = [];
    const timer = setTimeout(() => sock.destroy(), 5000);
    sock.on("data", (d) => parts.push(d));
    sock.on("error", () => {});
    sock.on("close", () => {
      clearTimeout(timer);
      const reply = Buffer.concat(parts).toString("utf8");
      const sep = reply.indexOf("\r\n\r\n");
      resolve({ head: sep >= 0 ? reply.slice(0, sep) : reply, body: sep >= 0 ? reply.slice(sep + 4) : "" });
    });
    sock.on("connect", () => sock.end(text));
  });
}

test("request head: one 48 KiB limit on the request line and all headers together, however many headers carry it", async () => {
  const server = await startServer();
  try {
    const request = (headers) => `GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}` +
      "Connection: close\r\n\r\n";
    // 12,000 small headers, 72,000 bytes in all: refused like one large header.
    const many = await rawExchange(server, request("a: b\r\n".repeat(12_000)));
    assert.match(many.head, /^HTTP\/1\.1 200/, many.head);
    const error = JSON.parse(many.body).Response?.Error;
    assert.equal(error?.Code, "RequestSizeLimitExceeded", many.body);
    assert.match(error.Message, /49152 bytes/);
    const one = await rawExchange(server, request(`X-Big: ${"x".repeat(49 * 1024)}\r\n`));
    assert.equal(JSON.parse(one.body).Response?.Error?.Code, "RequestSizeLimitExceeded", one.body);
    // 40,000 bytes of small headers are within the limit.
    const fine = await rawExchange(server, request("a: b\r\n".repeat(40_000 / 6)));
    assert.match(fine.head, /^HTTP\/1\.1 200/, fine.head);
    assert.equal(JSON.parse(fine.body).status, "ok", fine.body);
  } finally {
    await server.stop();
  }
});
