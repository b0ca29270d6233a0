// Foundation end-to-end tests: transport (http, https, keep-alive, limits),
// signing (TC3 and v1, every AuthFailure code), request routing errors,
// control endpoints, startup line and graceful shutdown. Everything goes
// through the official Node.js SDK or raw sockets against the real binary.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import querystring from "node:querystring";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startServer, client, sdkError, rawRequest, DEFAULT_KEY, ownServerOnly } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const execFileP = promisify(execFile);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KB = 1024;
const MB = 1024 * 1024;

const REGIONS = [
  "ap-bangkok", "ap-beijing", "ap-chengdu", "ap-chongqing", "ap-guangzhou",
  "ap-guangzhou-open", "ap-hongkong", "ap-mumbai", "ap-seoul", "ap-shanghai",
  "ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-singapore", "ap-tokyo", "eu-frankfurt",
  "eu-moscow", "na-ashburn", "na-siliconvalley", "na-toronto",
];

const SIGNINGS = [
  { name: "TC3 POST", signMethod: "TC3-HMAC-SHA256", reqMethod: "POST" },
  { name: "TC3 GET", signMethod: "TC3-HMAC-SHA256", reqMethod: "GET" },
  { name: "HmacSHA1 POST", signMethod: "HmacSHA1", reqMethod: "POST" },
  { name: "HmacSHA1 GET", signMethod: "HmacSHA1", reqMethod: "GET" },
  { name: "HmacSHA256 POST", signMethod: "HmacSHA256", reqMethod: "POST" },
  { name: "HmacSHA256 GET", signMethod: "HmacSHA256", reqMethod: "GET" },
];

// ---------------------------------------------------------------------------
// Content checks shared by the in-process and the child-process runs.

function checkRegions(res, label) {
  assert.ok(Array.isArray(res.RegionSet), `${label}: RegionSet is an array`);
  assert.equal(res.RegionSet.length, 19, `${label}: 19 regions`);
  if (res.TotalCount !== undefined) assert.equal(res.TotalCount, 19, `${label}: TotalCount`);
  assert.match(res.RequestId, UUID, `${label}: RequestId`);
  for (const r of res.RegionSet) {
    assert.equal(typeof r.Region, "string", `${label}: Region`);
    assert.equal(typeof r.RegionName, "string", `${label}: RegionName of ${r.Region}`);
    assert.ok(r.RegionName.length > 0, `${label}: RegionName of ${r.Region} not empty`);
    assert.equal(r.RegionState, "AVAILABLE", `${label}: RegionState of ${r.Region}`);
  }
  assert.deepEqual(res.RegionSet.map((r) => r.Region).sort(), [...REGIONS].sort(), `${label}: region codes`);
  const gz = res.RegionSet.find((r) => r.Region === "ap-guangzhou");
  assert.ok(gz, `${label}: ap-guangzhou listed`);
  assert.equal(gz.RegionName, "华南地区(广州)", `${label}: ap-guangzhou name`);
}

function checkGuangzhouZones(res, label) {
  assert.ok(Array.isArray(res.ZoneSet), `${label}: ZoneSet is an array`);
  assert.ok(res.ZoneSet.length >= 2, `${label}: several zones`);
  assert.equal(res.TotalCount, res.ZoneSet.length, `${label}: TotalCount == ZoneSet.length`);
  assert.match(res.RequestId, UUID, `${label}: RequestId`);
  for (const z of res.ZoneSet) {
    assert.match(z.Zone, /^ap-guangzhou-\d+$/, `${label}: zone ${z.Zone} belongs to ap-guangzhou`);
    assert.match(z.ZoneId, /^\d+$/, `${label}: ZoneId of ${z.Zone} is a numeric string`);
    assert.ok(["AVAILABLE", "UNAVAILABLE"].includes(z.ZoneState), `${label}: ZoneState of ${z.Zone}`);
  }
  const gz3 = res.ZoneSet.find((z) => z.Zone === "ap-guangzhou-3");
  assert.deepEqual(
    gz3 && { Zone: gz3.Zone, ZoneId: gz3.ZoneId, ZoneName: gz3.ZoneName, ZoneState: gz3.ZoneState },
    { Zone: "ap-guangzhou-3", ZoneId: "100003", ZoneName: "广州三区", ZoneState: "AVAILABLE" },
    `${label}: ap-guangzhou-3`,
  );
  const gz1 = res.ZoneSet.find((z) => z.Zone === "ap-guangzhou-1");
  assert.ok(gz1, `${label}: ap-guangzhou-1 listed`);
  assert.equal(gz1.ZoneState, "UNAVAILABLE", `${label}: ap-guangzhou-1 state`);
}

function checkSingaporeZones(res, label) {
  assert.ok(res.ZoneSet.length >= 1, `${label}: at least one zone`);
  assert.equal(res.TotalCount, res.ZoneSet.length, `${label}: TotalCount == ZoneSet.length`);
  for (const z of res.ZoneSet) assert.match(z.Zone, /^ap-singapore-\d+$/, `${label}: ${z.Zone}`);
}

// ---------------------------------------------------------------------------
// Hand-made signed requests (for raw HTTP checks).

const sha256hex = (s) => crypto.createHash("sha256").update(s).digest("hex");
const hmac = (key, s, enc) => crypto.createHmac("sha256", key).update(s).digest(enc);

/** Headers of a TC3-HMAC-SHA256 POST to 127.0.0.1:port, signed the way the Node SDK signs. */
function tc3Headers(port, { action, region, body, key = DEFAULT_KEY, timestamp = Math.floor(Date.now() / 1000) }) {
  const contentType = "application/json";
  const service = "127";
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonical = ["POST", "/", "", `content-type:${contentType}`, "host:127.0.0.1", "", "content-type;host", sha256hex(body)].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256hex(canonical)}`;
  const kDate = hmac("TC3" + key.secretKey, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, "tc3_request");
  const signature = hmac(kSigning, toSign, "hex");
  const headers = {
    "Content-Type": contentType,
    Authorization: `TC3-HMAC-SHA256 Credential=${key.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
    "X-TC-Action": action,
    "X-TC-Timestamp": String(timestamp),
    "X-TC-Version": "2017-03-12",
  };
  if (region) headers["X-TC-Region"] = region;
  return headers;
}

/** A v1 (HmacSHA256 / HmacSHA1) signed parameter string for host 127.0.0.1:port (docs/wire.md §3). */
function v1Form(port, {
  method = "POST", action, region, params = {}, key = DEFAULT_KEY, signatureMethod = "HmacSHA256",
  nonce = crypto.randomInt(1, 1 << 30), timestamp = Math.round(Date.now() / 1000),
}) {
  const p = { ...params, Action: action, Nonce: String(nonce), Timestamp: String(timestamp), Version: "2017-03-12", SecretId: key.secretId };
  if (region) p.Region = region;
  p.SignatureMethod = signatureMethod;
  const toSign = `${method}127.0.0.1:${port}/?` + Object.keys(p).sort().map((k) => `${k}=${p[k]}`).join("&");
  const alg = signatureMethod === "HmacSHA1" ? "sha1" : "sha256";
  p.Signature = crypto.createHmac(alg, key.secretKey).update(toSign, "utf8").digest("base64");
  return querystring.stringify(p);
}

/**
 * Writes `chunks` on a fresh TCP connection and collects everything until the
 * server closes. A chunk { waitMs } pauses: if the server has already answered
 * by then, the remaining chunks are not sent (a server may answer a request
 * from its headers alone, e.g. an oversized Content-Length).
 */
function rawSocket(server, chunks, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect(server.port, "127.0.0.1");
    const parts = [];
    let error = null;
    const timer = setTimeout(() => sock.destroy(new Error("timeout")), timeoutMs);
    sock.on("data", (d) => parts.push(d));
    sock.on("error", (e) => (error = e));
    sock.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(parts).toString("utf8");
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      const sep = text.indexOf("\r\n\r\n");
      const head = sep >= 0 ? text.slice(0, sep) : text;
      const headers = {};
      for (const line of head.split("\r\n").slice(1)) {
        const i = line.indexOf(":");
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: m ? Number(m[1]) : null, headers, body: sep >= 0 ? text.slice(sep + 4) : "", error, text });
    });
    sock.on("connect", async () => {
      for (const c of chunks) {
        if (sock.destroyed) break;
        if (c.waitMs !== undefined) {
          await new Promise((r) => setTimeout(r, c.waitMs));
          if (parts.length > 0) break;
          continue;
        }
        if (!sock.write(c)) await new Promise((r) => { sock.once("drain", r); sock.once("close", r); });
      }
    });
  });
}

function envelope(res) {
  assert.equal(res.headers["content-type"], "application/json", `Content-Type of ${res.body.slice(0, 200)}`);
  const body = JSON.parse(res.body);
  assert.ok(body.Response, "has a Response member");
  assert.match(body.Response.RequestId, UUID, "RequestId is a UUID");
  return body.Response;
}

/** Runs fn with the process clock (Date and Date.now) shifted by offsetMs. */
async function withSkewedClock(offsetMs, fn) {
  const RealDate = globalThis.Date;
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = SkewedDate;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

const childEnv = (extra) => {
  const env = { ...process.env, ...extra };
  for (const k of ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "NODE_TLS_REJECT_UNAUTHORIZED"]) delete env[k];
  return env;
};

// ---------------------------------------------------------------------------

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  if (server) await server.stop();
});

describe("DescribeRegions and DescribeZones over every protocol and signing method", () => {
  for (const protocol of ["http", "https"]) {
    for (const s of SIGNINGS) {
      test(`${protocol} ${s.name}`, async () => {
        const label = `${protocol} ${s.name}`;
        const opts = { protocol, signMethod: s.signMethod, reqMethod: s.reqMethod };
        checkRegions(await client(server, { ...opts, region: null }).DescribeRegions({}), `${label} DescribeRegions`);
        checkGuangzhouZones(await client(server, opts).DescribeZones({}), `${label} DescribeZones gz`);
        checkSingaporeZones(await client(server, { ...opts, region: "ap-singapore" }).DescribeZones({}), `${label} DescribeZones sg`);
      });
    }
  }

  test("https without trusting the certificate fails verification (control)", async () => {
    const agent = new https.Agent({ keepAlive: false });
    const e = await sdkError(client(server, { protocol: "https", agent, region: null }).DescribeRegions({}));
    assert.match(String(e.message), /certificate/i);
  });

  test("https trusted through NODE_EXTRA_CA_CERTS in a child process, every signing method", async () => {
    const script = `
      const tencentcloud = require("tencentcloud-sdk-nodejs-cvm");
      const methods = JSON.parse(process.env.CVM_METHODS);
      (async () => {
        const out = [];
        for (const m of methods) {
          const mk = (region) => new tencentcloud.cvm.v20170312.Client({
            credential: { secretId: process.env.CVM_SID, secretKey: process.env.CVM_SKEY },
            region,
            profile: { signMethod: m.signMethod, httpProfile: {
              endpoint: "127.0.0.1:" + process.env.CVM_PORT, protocol: "https://", reqMethod: m.reqMethod, reqTimeout: 20 } },
          });
          try {
            out.push({ name: m.name,
              regions: await mk(null).DescribeRegions({}),
              gz: await mk("ap-guangzhou").DescribeZones({}),
              sg: await mk("ap-singapore").DescribeZones({}) });
          } catch (e) { out.push({ name: m.name, error: String(e && e.message) }); }
        }
        process.stdout.write(JSON.stringify(out));
      })();`;
    const env = {
      CVM_PORT: String(server.port),
      CVM_SID: DEFAULT_KEY.secretId,
      CVM_SKEY: DEFAULT_KEY.secretKey,
      CVM_METHODS: JSON.stringify(SIGNINGS),
    };
    const { stdout } = await execFileP(process.execPath, ["-e", script], {
      cwd: here, env: childEnv({ ...env, NODE_EXTRA_CA_CERTS: server.certPath }), timeout: 30000,
    });
    const results = JSON.parse(stdout);
    assert.equal(results.length, SIGNINGS.length);
    for (const r of results) {
      assert.equal(r.error, undefined, `${r.name}: ${r.error}`);
      checkRegions(r.regions, `child ${r.name} DescribeRegions`);
      checkGuangzhouZones(r.gz, `child ${r.name} DescribeZones gz`);
      checkSingaporeZones(r.sg, `child ${r.name} DescribeZones sg`);
    }

    // Control: the same child without NODE_EXTRA_CA_CERTS must not trust the server.
    const control = await execFileP(process.execPath, ["-e", script], {
      cwd: here, env: childEnv({ ...env, CVM_METHODS: JSON.stringify(SIGNINGS.slice(0, 1)) }), timeout: 30000,
    });
    const [c] = JSON.parse(control.stdout);
    assert.match(String(c.error), /certificate/i);
  });
});

describe("authentication failures", () => {
  test("wrong SecretKey → AuthFailure.SignatureFailure (TC3, HmacSHA256, HmacSHA1)", async () => {
    const credential = { secretId: DEFAULT_KEY.secretId, secretKey: "WrongWrongWrongWrongWrongWrong12" };
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"]) {
      for (const reqMethod of ["POST", "GET"]) {
        const e = await sdkError(client(server, { credential, signMethod, reqMethod }).DescribeZones({}));
        assert.equal(e.code, "AuthFailure.SignatureFailure", `${signMethod} ${reqMethod}: ${e.message}`);
        assert.match(e.requestId, UUID);
      }
    }
  });

  test("unknown AKID SecretId → AuthFailure.SecretIdNotFound", async () => {
    const credential = { secretId: "AKIDunknownUnknownUnknownUnknown1234", secretKey: DEFAULT_KEY.secretKey };
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
      const e = await sdkError(client(server, { credential, signMethod }).DescribeZones({}));
      assert.equal(e.code, "AuthFailure.SecretIdNotFound", `${signMethod}: ${e.message}`);
    }
  });

  test("SecretId not of the AKID form → AuthFailure.InvalidSecretId", async () => {
    const credential = { secretId: "XYZz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: DEFAULT_KEY.secretKey };
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
      const e = await sdkError(client(server, { credential, signMethod }).DescribeZones({}));
      assert.equal(e.code, "AuthFailure.InvalidSecretId", `${signMethod}: ${e.message}`);
    }
  });

  test("a client clock an hour off → AuthFailure.SignatureExpire; 100 s off is still accepted", async () => {
    for (const offset of [-3600 * 1000, 3600 * 1000]) {
      for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
        const c = client(server, { signMethod });
        const e = await withSkewedClock(offset, () => sdkError(c.DescribeZones({})));
        assert.equal(e.code, "AuthFailure.SignatureExpire", `${signMethod} offset ${offset}: ${e.message}`);
      }
    }
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
      const c = client(server, { signMethod });
      const res = await withSkewedClock(-100 * 1000, () => c.DescribeZones({}));
      checkGuangzhouZones(res, `${signMethod} skewed 100 s`);
    }
  });

  test("advancing the emulator clock 30 days does not expire signatures", async () => {
    const s = await startServer();
    try {
      const before = await s.control("clock", undefined, "GET");
      assert.equal(before.status, 200);
      const adv = await s.control("clock/advance", { seconds: 86400 * 30 });
      assert.equal(adv.status, 200, JSON.stringify(adv.body));
      const afterClock = await s.control("clock", undefined, "GET");
      assert.ok(afterClock.body.now - before.body.now >= 86400 * 30 - 5, `clock moved: ${JSON.stringify(afterClock.body)}`);
      for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"]) {
        checkGuangzhouZones(await client(s, { signMethod }).DescribeZones({}), `${signMethod} after advance`);
      }
      // And a timestamp that matches the virtual clock (30 days ahead of wall time) is refused.
      const c = client(s);
      const e = await withSkewedClock(86400 * 30 * 1000, () => sdkError(c.DescribeZones({})));
      assert.equal(e.code, "AuthFailure.SignatureExpire", e.message);
    } finally {
      await s.stop();
    }
  });

  describe("tokens of temporary keys", { skip: ownServerOnly("its only account is the temporary one, so the default key must be unknown") }, () => {
    const TEMP = { secretId: "AKIDtempTempTempTempTempTempTemp0001", secretKey: "TempSecretKeyTempSecretKeyTemp01" };
    const PERM = { secretId: "AKIDpermPermPermPermPermPermPerm0002", secretKey: "PermSecretKeyPermSecretKeyPerm02" };
    let s;
    before(async () => {
      s = await startServer({
        accounts: {
          accounts: [
            { AppId: 1250000001, Uin: "100000000002", Name: "b", Keys: [
              { SecretId: TEMP.secretId, SecretKey: TEMP.secretKey, Token: "tok-1" },
              { SecretId: PERM.secretId, SecretKey: PERM.secretKey },
            ] },
          ],
        },
      });
    });
    after(async () => {
      if (s) await s.stop();
    });

    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
      test(`${signMethod}: wrong, missing and unexpected tokens → AuthFailure.TokenFailure; right token works`, async () => {
        const cases = [
          ["wrong token", { ...TEMP, token: "tok-2" }],
          ["no token for a temporary key", { ...TEMP }],
          ["token for a permanent key", { ...PERM, token: "tok-1" }],
        ];
        for (const [what, credential] of cases) {
          const e = await sdkError(client(s, { credential, signMethod }).DescribeZones({}));
          assert.equal(e.code, "AuthFailure.TokenFailure", `${what}: ${e.message}`);
        }
        checkGuangzhouZones(await client(s, { credential: { ...TEMP, token: "tok-1" }, signMethod }).DescribeZones({}), "temp key + token");
        checkGuangzhouZones(await client(s, { credential: PERM, signMethod }).DescribeZones({}), "permanent key");
        // The default development key is not an account of this server.
        const e = await sdkError(client(s, { signMethod }).DescribeZones({}));
        assert.equal(e.code, "AuthFailure.SecretIdNotFound", e.message);
      });
    }
  });

  test("v1 replay: the same signed request twice → second is AuthFailure.SignatureFailure (replay)", async () => {
    for (const signatureMethod of ["HmacSHA256", "HmacSHA1"]) {
      const body = v1Form(server.port, { action: "DescribeZones", region: "ap-guangzhou", signatureMethod });
      const req = { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body };
      const first = envelope(await rawRequest(server, req));
      assert.equal(first.Error, undefined, JSON.stringify(first.Error));
      checkGuangzhouZones(first, `${signatureMethod} first`);
      const second = envelope(await rawRequest(server, req));
      assert.equal(second.Error?.Code, "AuthFailure.SignatureFailure", JSON.stringify(second));
      assert.match(second.Error.Message, /replay/i);
      // A new Nonce is a new request.
      const fresh = v1Form(server.port, { action: "DescribeZones", region: "ap-guangzhou", signatureMethod });
      const third = envelope(await rawRequest(server, { ...req, body: fresh }));
      assert.equal(third.Error, undefined, JSON.stringify(third.Error));
    }
    // GET carries the signature in the query: same rule.
    const query = v1Form(server.port, { method: "GET", action: "DescribeRegions" });
    const g1 = envelope(await rawRequest(server, { method: "GET", path: `/?${query}` }));
    assert.equal(g1.Error, undefined, JSON.stringify(g1.Error));
    const g2 = envelope(await rawRequest(server, { method: "GET", path: `/?${query}` }));
    assert.equal(g2.Error?.Code, "AuthFailure.SignatureFailure");
    assert.match(g2.Error.Message, /replay/i);
  });
});

describe("request routing errors", () => {
  test("unknown action → InvalidAction", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
      const e = await sdkError(client(server, { signMethod }).request("NoSuchAction", {}));
      assert.equal(e.code, "InvalidAction", `${signMethod}: ${e.message}`);
    }
  });

  test("unknown version → NoSuchVersion", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
      const c = client(server, { signMethod });
      assert.equal(c.apiVersion, "2017-03-12");
      c.apiVersion = "2017-03-13";
      const e = await sdkError(c.DescribeZones({}));
      assert.equal(e.code, "NoSuchVersion", `${signMethod}: ${e.message}`);
    }
  });

  test("DescribeZones without a region → MissingParameter", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
      const e = await sdkError(client(server, { signMethod, region: null }).DescribeZones({}));
      assert.equal(e.code, "MissingParameter", `${signMethod}: ${e.message}`);
      assert.match(e.message, /Region/);
    }
  });

  test("unknown region → UnsupportedRegion", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
      const e = await sdkError(client(server, { signMethod, region: "ap-nowhere" }).DescribeZones({}));
      assert.equal(e.code, "UnsupportedRegion", `${signMethod}: ${e.message}`);
    }
  });

  test("unknown parameter → UnknownParameter", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
      const e = await sdkError(client(server, { signMethod, region: null }).DescribeRegions({ Foo: 1 }));
      assert.equal(e.code, "UnknownParameter", `${signMethod}: ${e.message}`);
      assert.match(e.message, /Foo/);
    }
  });
});

describe("raw HTTP", () => {
  test("PUT → HTTP 200 envelope with UnsupportedProtocol", async () => {
    const res = await rawRequest(server, { method: "PUT", headers: { "Content-Type": "application/json" }, body: "{}" });
    assert.equal(res.status, 200);
    const r = envelope(res);
    assert.equal(r.Error?.Code, "UnsupportedProtocol");
  });

  test("every response is exactly application/json with a fresh UUID RequestId", async () => {
    const ids = [];
    const responses = [
      await rawRequest(server, { method: "POST", headers: tc3Headers(server.port, { action: "DescribeRegions", body: "{}" }), body: "{}" }),
      await rawRequest(server, { method: "POST", headers: tc3Headers(server.port, { action: "DescribeRegions", body: "{}" }), body: "{}" }),
      await rawRequest(server, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: v1Form(server.port, { action: "DescribeRegions" }) }),
      await rawRequest(server, { method: "GET", path: `/?${v1Form(server.port, { method: "GET", action: "DescribeZones", region: "ap-guangzhou" })}` }),
      await rawRequest(server, { method: "POST", headers: tc3Headers(server.port, { action: "NoSuchAction", body: "{}" }), body: "{}" }),
      await rawRequest(server, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }),
      await rawRequest(server, { method: "GET", path: "/" }),
      await rawRequest(server, { method: "DELETE", path: "/" }),
    ];
    responses.forEach((res, i) => {
      assert.equal(res.status, 200, `response ${i}`);
      const r = envelope(res);
      ids.push(r.RequestId);
      if (i < 4) assert.equal(r.Error, undefined, `response ${i}: ${JSON.stringify(r.Error)}`);
      else assert.equal(typeof r.Error?.Code, "string", `response ${i} is an error`);
    });
    assert.equal(JSON.parse(responses[0].body).Response.RegionSet.length, 19);
    assert.equal(new Set(ids).size, ids.length, `distinct RequestIds: ${ids}`);

    const sdkIds = [];
    for (let i = 0; i < 3; i++) sdkIds.push((await client(server).DescribeZones({})).RequestId);
    sdkIds.forEach((id) => assert.match(id, UUID));
    assert.equal(new Set([...ids, ...sdkIds]).size, ids.length + sdkIds.length);

    const health = await rawRequest(server, { method: "GET", path: "/_emulator/health" });
    assert.equal(health.headers["content-type"], "application/json");
  });

  test("GET /_emulator/health", async () => {
    const res = await rawRequest(server, { method: "GET", path: "/_emulator/health" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/json");
    const h = JSON.parse(res.body);
    assert.equal(h.status, "ok");
    assert.equal(typeof h.version, "string");
    assert.ok(h.version.length > 0);
    assert.equal(typeof h.uptime_seconds, "number");
    assert.ok(h.uptime_seconds >= 0);
    assert.equal(h.database?.status, "ok");
  });

  test("URL over 32 KB → RequestSizeLimitExceeded, and the server keeps serving", async () => {
    const res = await rawRequest(server, { method: "GET", path: `/?Action=DescribeRegions&Version=2017-03-12&X=${"a".repeat(33 * KB)}` });
    assert.equal(res.status, 200);
    assert.equal(envelope(res).Error?.Code, "RequestSizeLimitExceeded");
    checkRegions(await client(server, { region: null }).DescribeRegions({}), "after long URL");
  });

  test("TC3 POST body over 10 MB → RequestSizeLimitExceeded", async () => {
    const headers = tc3Headers(server.port, { action: "DescribeRegions", body: "{}" });
    const head = [`POST / HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      `Content-Length: ${10 * MB + 1}`, "Connection: close", "", ""].join("\r\n");
    const res = await rawSocket(server, [head, { waitMs: 2000 }, Buffer.alloc(10 * MB + 1, 0x20)], { timeoutMs: 15000 });
    assert.ok(res.status !== null, `an HTTP answer (got ${JSON.stringify(res.text.slice(0, 200))}, ${res.error})`);
    assert.equal(JSON.parse(res.body).Response?.Error?.Code, "RequestSizeLimitExceeded", res.body);
    assert.equal(res.status, 200, `API errors are HTTP 200 (got ${res.status})`);
    assert.equal(res.headers["content-type"], "application/json");
    checkRegions(await client(server, { region: null }).DescribeRegions({}), "after big TC3 body");
  });

  test("TC3 POST body of exactly 10 MB is not refused for its size", async () => {
    const body = "{}" + " ".repeat(10 * MB - 2);
    const headers = tc3Headers(server.port, { action: "DescribeRegions", body });
    const head = [`POST / HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      `Content-Length: ${10 * MB}`, "Connection: close", "", ""].join("\r\n");
    const res = await rawSocket(server, [head, body], { timeoutMs: 15000 });
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const r = JSON.parse(res.body).Response;
    assert.equal(r.Error, undefined, JSON.stringify(r.Error));
    assert.equal(r.RegionSet.length, 19);
  });

  test("v1 form POST body over 1 MB → RequestSizeLimitExceeded", async () => {
    const form = v1Form(server.port, { action: "DescribeRegions" });
    const body = form + "&Pad=" + "a".repeat(MB + 1 - form.length - 5);
    assert.equal(body.length, MB + 1);
    const head = [`POST / HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, "Content-Type: application/x-www-form-urlencoded",
      `Content-Length: ${body.length}`, "Connection: close", "", ""].join("\r\n");
    const res = await rawSocket(server, [head, { waitMs: 2000 }, body], { timeoutMs: 10000 });
    assert.equal(res.status, 200, res.text.slice(0, 300) || String(res.error));
    assert.equal(res.headers["content-type"], "application/json");
    assert.equal(JSON.parse(res.body).Response?.Error?.Code, "RequestSizeLimitExceeded", res.body);
    checkRegions(await client(server, { region: null, signMethod: "HmacSHA256" }).DescribeRegions({}), "after big v1 body");
  });

  test("through the SDK: a TC3 body over 10 MB → RequestSizeLimitExceeded", async () => {
    const tc3 = await sdkError(client(server, { region: null }).DescribeRegions({ Foo: "a".repeat(10 * MB + KB) }));
    assert.equal(tc3.code, "RequestSizeLimitExceeded", `TC3: httpCode ${tc3.httpCode}, ${tc3.message}`);
    checkRegions(await client(server, { region: null }).DescribeRegions({}), "after an oversized TC3 body");
  });

  test("through the SDK over https: a TC3 body over 10 MB → RequestSizeLimitExceeded, not a reset connection", async () => {
    const filters = [{ Name: "instance-name", Values: ["a".repeat(11 * MB)] }];
    const e = await sdkError(client(server, { protocol: "https" }).DescribeInstances({ Filters: filters }));
    assert.equal(e.code, "RequestSizeLimitExceeded", `https TC3: httpCode ${e.httpCode}, ${e.message}`);
    checkRegions(await client(server, { protocol: "https", region: null }).DescribeRegions({}), "after an oversized https body");
  });

  test("a raw https TC3 POST with an 11 MB body gets the RequestSizeLimitExceeded answer", async () => {
    const body = "{}" + " ".repeat(11 * MB);
    const headers = tc3Headers(server.port, { action: "DescribeRegions", body });
    const res = await new Promise((resolve, reject) => {
      const req = https.request({
        host: "127.0.0.1", port: server.port, method: "POST", path: "/", agent: false,
        ca: fs.readFileSync(server.certPath), headers,
      }, (r) => {
        let data = "";
        r.setEncoding("utf8");
        r.on("data", (d) => (data += d));
        r.on("end", () => resolve({ status: r.statusCode, body: data }));
      });
      req.on("error", reject);
      req.end(body);
    });
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).Response?.Error?.Code, "RequestSizeLimitExceeded", res.body);
  });

  test("through the SDK: a v1 form body over 1 MB → RequestSizeLimitExceeded", async () => {
    const v1 = await sdkError(client(server, { region: null, signMethod: "HmacSHA256" }).DescribeRegions({ Foo: "a".repeat(MB + KB) }));
    assert.equal(v1.code, "RequestSizeLimitExceeded", `v1: httpCode ${v1.httpCode}, ${v1.message}`);
    checkRegions(await client(server, { region: null, signMethod: "HmacSHA256" }).DescribeRegions({}), "after an oversized v1 body");
  });

  test("an unsigned JSON POST of 2 MB is measured against the 10 MB TC3 limit, not the 1 MB v1 one", async () => {
    const body = "{}" + " ".repeat(2 * MB);
    const res = await rawRequest(server, {
      method: "POST", headers: { "Content-Type": "application/json", "Content-Length": body.length }, body,
    });
    assert.equal(envelope(res).Error?.Code, "AuthFailure.SignatureFailure", res.body);
  });

  test("GET with a body: the body is read and ignored (API and control endpoints)", async () => {
    const query = v1Form(server.port, { method: "GET", action: "DescribeRegions" });
    const api = await rawRequest(server, {
      method: "GET", path: `/?${query}`, headers: { "Content-Type": "application/json", "Content-Length": 2 }, body: "{}",
    });
    const r = envelope(api);
    assert.equal(r.Error, undefined, JSON.stringify(r.Error));
    assert.equal(r.RegionSet.length, 19);
    const health = await rawRequest(server, { method: "GET", path: "/_emulator/health", headers: { "Content-Length": 2 }, body: "{}" });
    assert.equal(health.status, 200, health.body);
    assert.equal(JSON.parse(health.body).status, "ok");
    const unsigned = await rawRequest(server, { method: "GET", path: "/?Action=DescribeRegions", headers: { "Content-Length": 2 }, body: "{}" });
    assert.equal(envelope(unsigned).Error?.Code, "AuthFailure.SignatureFailure", unsigned.body);
  });

  test("GET with a body over 1 MB → RequestSizeLimitExceeded naming the GET body's limit", async () => {
    const head = ["GET /?Action=DescribeRegions HTTP/1.1", `Host: 127.0.0.1:${server.port}`,
      `Content-Length: ${MB + 1}`, "Connection: close", "", ""].join("\r\n");
    const res = await rawSocket(server, [head, { waitMs: 2000 }, Buffer.alloc(MB + 1, 0x20)], { timeoutMs: 10000 });
    assert.equal(res.status, 200, res.text.slice(0, 300) || String(res.error));
    const error = JSON.parse(res.body).Response?.Error;
    assert.equal(error?.Code, "RequestSizeLimitExceeded", res.body);
    assert.equal(error?.Message, "The request is too large: the body of a GET request exceeds the limit of 1048576 bytes.");
  });

  test("HEAD: the status and headers of the answer, no body bytes, and the connection stays usable", async () => {
    const host = `Host: 127.0.0.1:${server.port}`;
    const res = await rawSocket(server, [
      `HEAD / HTTP/1.1\r\n${host}\r\n\r\n` +
      `HEAD /_emulator/health HTTP/1.1\r\n${host}\r\n\r\n` +
      `GET /_emulator/health HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`,
    ]);
    const parts = res.text.split("\r\n\r\n");
    assert.equal(parts.length, 4, `three heads and one body: ${JSON.stringify(res.text)}`);
    const [headApi, headHealth, getHealth, body] = parts;
    assert.match(headApi, /^HTTP\/1\.1 200 /);
    assert.match(headApi, /\r\nContent-Type: application\/json(\r\n|$)/i);
    assert.match(headApi, /\r\nContent-Length: [1-9]\d*(\r\n|$)/i);
    assert.match(headHealth, /^HTTP\/1\.1 200 /, "the second answer follows the first head at once");
    assert.match(headHealth, /\r\nContent-Length: [1-9]\d*(\r\n|$)/i);
    assert.match(getHealth, /^HTTP\/1\.1 200 /, "the third answer follows the second head at once");
    assert.equal(JSON.parse(body).status, "ok");
  });

  test("garbage bytes → 400 or close, and the server keeps serving", async () => {
    const res = await rawSocket(server, ["GARBAGE\r\n\r\n"]);
    if (res.status !== null) assert.equal(res.status, 400, res.text.slice(0, 300));
    else assert.equal(res.text, "", "either an HTTP answer or nothing");
    const res2 = await rawSocket(server, [Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a])]);
    if (res2.status !== null) assert.equal(res2.status, 400, res2.text.slice(0, 300));
    checkRegions(await client(server, { region: null }).DescribeRegions({}), "after garbage");
    const health = await rawRequest(server, { method: "GET", path: "/_emulator/health" });
    assert.equal(health.status, 200);
  });
});

describe("keep-alive", () => {
  function countingAgent(Agent, options) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ...options });
    const orig = agent.createConnection.bind(agent);
    agent.created = 0;
    agent.createConnection = (...args) => {
      agent.created++;
      return orig(...args);
    };
    return agent;
  }

  test("two SDK calls through one keep-alive agent use one socket (http and https)", async () => {
    for (const protocol of ["http", "https"]) {
      const agent = protocol === "http"
        ? countingAgent(http.Agent)
        : countingAgent(https.Agent, { ca: fs.readFileSync(server.certPath) });
      const c = client(server, { protocol, agent });
      checkGuangzhouZones(await c.DescribeZones({}), `${protocol} first`);
      checkGuangzhouZones(await c.DescribeZones({}), `${protocol} second`);
      checkRegions(await client(server, { protocol, agent, region: null, signMethod: "HmacSHA256" }).DescribeRegions({}), `${protocol} third`);
      assert.equal(agent.created, 1, `${protocol}: sockets created`);
      agent.destroy();
    }
  });

  test("a keep-alive response carries a Keep-Alive header and the socket is reused", async () => {
    const agent = countingAgent(http.Agent);
    const call = () => new Promise((resolve, reject) => {
      const body = "{}";
      const req = http.request({
        host: "127.0.0.1", port: server.port, method: "POST", path: "/", agent,
        headers: tc3Headers(server.port, { action: "DescribeRegions", body }),
      }, (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (data += d));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: data, reused: req.reusedSocket }));
      });
      req.on("error", reject);
      req.end(body);
    });
    const a = await call();
    const b = await call();
    for (const r of [a, b]) {
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(r.body).Response.RegionSet.length, 19);
      assert.match(String(r.headers["keep-alive"]), /timeout=\d+/i, `Keep-Alive header: ${JSON.stringify(r.headers)}`);
      assert.notEqual(String(r.headers.connection).toLowerCase(), "close");
    }
    assert.equal(b.reused, true, "second request reused the socket");
    assert.equal(agent.created, 1);
    agent.destroy();
  });
});

describe("request log", { skip: ownServerOnly("starts with --log-level info and reads its stdout") }, () => {
  let logged;
  before(async () => {
    logged = await startServer({ args: ["--log-level", "info"] });
  });
  after(async () => {
    if (logged) await logged.stop();
  });

  // The log line (JSON on stdout) with this RequestId, once it has arrived.
  async function logLine(requestId) {
    for (let i = 0; i < 100; i++) {
      const line = logged.stdout().split("\n").filter((l) => l.includes(requestId))[0];
      if (line) return JSON.parse(line);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail(`no log line for ${requestId}:\n${logged.stdout().slice(-2000)}`);
  }

  test("answers before the pipeline (size limits, malformed HTTP) are logged with their RequestId and Code", async () => {
    const host = `Host: 127.0.0.1:${logged.port}`;
    const cases = [
      { name: "URL over 32 KB", status: 200, code: "RequestSizeLimitExceeded", action: "DescribeRegions",
        chunks: [`GET /?Action=DescribeRegions&X=${"a".repeat(33 * KB)} HTTP/1.1\r\n${host}\r\n\r\n`] },
      { name: "not HTTP", status: 400, code: "UnsupportedProtocol", action: "",
        chunks: ["HELLO WORLD\r\n\r\n"] },
      { name: "Content-Length: abc", status: 400, code: "UnsupportedProtocol", action: "",
        chunks: [`POST / HTTP/1.1\r\n${host}\r\nContent-Length: abc\r\n\r\n`] },
      { name: "TC3 body over 10 MB", status: 200, code: "RequestSizeLimitExceeded", action: "DescribeZones",
        chunks: [`POST / HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nX-TC-Action: DescribeZones\r\n` +
          `X-TC-Region: ap-guangzhou\r\nContent-Length: ${10 * MB + 1}\r\n\r\n`] },
    ];
    for (const c of cases) {
      const res = await rawSocket(logged, c.chunks);
      assert.equal(res.status, c.status, `${c.name}: ${res.text.slice(0, 300)}`);
      const r = envelope(res);
      assert.equal(r.Error?.Code, c.code, c.name);
      const line = await logLine(r.RequestId);
      assert.equal(line.RequestId, r.RequestId, c.name);
      assert.equal(line.Code, c.code, c.name);
      assert.equal(line.Action, c.action, c.name);
      assert.equal(line.level, "info", c.name);
      assert.equal(typeof line.time, "string", c.name);
      assert.equal(typeof line.LatencyUs, "number", c.name);
      assert.match(line.Remote, /^127\.0\.0\.1:\d+$/, c.name);
      if (c.name === "TC3 body over 10 MB") assert.equal(line.Region, "ap-guangzhou");
    }
  });
});

describe("timeouts", { skip: ownServerOnly("starts with --request-timeout 2 --idle-timeout 10") }, () => {
  let timed;
  before(async () => {
    timed = await startServer({ args: ["--request-timeout", "2", "--idle-timeout", "10"] });
  });
  after(async () => {
    if (timed) await timed.stop();
  });

  /** Writes `bytes` one at a time, `intervalMs` apart; resolves with the ms until the server closes. */
  function dribble(bytes, intervalMs) {
    return new Promise((resolve) => {
      const t0 = Date.now();
      const sock = net.connect(timed.port, "127.0.0.1");
      let timer;
      let i = 0;
      sock.on("error", () => {});
      sock.on("close", () => {
        clearInterval(timer);
        resolve(Date.now() - t0);
      });
      sock.on("connect", () => {
        const next = () => {
          if (i < bytes.length && !sock.destroyed) sock.write(bytes.subarray(i, ++i));
        };
        next();
        timer = setInterval(next, intervalMs);
      });
      setTimeout(() => sock.destroy(), 15000);
    });
  }

  test("a request line sent one byte per second is cut off by --request-timeout (2 s), not --idle-timeout (10 s)", async () => {
    const ms = await dribble(Buffer.from("GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n"), 1000);
    assert.ok(ms >= 1500 && ms < 5000, `closed after ${ms} ms`);
  });

  test("a TLS ClientHello cut at 6 bytes is cut off by --request-timeout, not --idle-timeout", async () => {
    const ms = await dribble(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]), 0);
    assert.ok(ms >= 1500 && ms < 5000, `closed after ${ms} ms`);
  });

  test("an idle keep-alive connection waits longer than --request-timeout for its next request", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () => new Promise((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port: timed.port, path: "/_emulator/health", agent }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
      });
      req.on("error", reject);
    });
    assert.equal((await get()).status, 200);
    await new Promise((r) => setTimeout(r, 3500));
    const second = await get();
    assert.equal(second.status, 200);
    assert.equal(second.reused, true, "the idle socket was still open after 3.5 s");
    agent.destroy();
  });
});

describe("process lifecycle", () => {
  test("startup line on stdout", { skip: ownServerOnly("reads the start-up line of its stdout") }, async () => {
    const lines = server.stdout().split("\n").filter((l) => l.trim().startsWith("{"));
    const events = lines.map((l) => JSON.parse(l)).filter((o) => o.event === "listening");
    assert.equal(events.length, 1, `one listening line in stdout:\n${server.stdout()}`);
    const info = events[0].info;
    assert.equal(info.port, server.port);
    assert.equal(info.tls_certificate, server.certPath);
    assert.equal(info.default_credentials?.SecretId, "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE");
    assert.match(fs.readFileSync(info.tls_certificate, "utf8"), /-----BEGIN CERTIFICATE-----/);
  });

  test("SIGTERM: exit code 0 within 5 s; the file database passes integrity_check and keeps its state",
    { skip: ownServerOnly("stops and restarts it (scripts/test-container does this to the container)") }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-e2e-shutdown-"));
    const servers = [];
    try {
      const s = await startServer({ dataDir });
      servers.push(s);
      checkGuangzhouZones(await client(s).DescribeZones({}), "before shutdown");
      // Write some state: the virtual clock's offset is stored in the database (D-12).
      const adv = await s.control("clock/advance", { seconds: 86400 });
      assert.equal(adv.status, 200, JSON.stringify(adv.body));
      const health = await s.control("health", undefined, "GET");
      assert.equal(health.body.database?.status, "ok");

      const t0 = Date.now();
      const result = await Promise.race([s.stop("SIGTERM"), new Promise((r) => setTimeout(() => r("timeout"), 5000))]);
      assert.notEqual(result, "timeout", "exited within 5 s of SIGTERM");
      assert.deepEqual(result, { code: 0, signal: null });
      assert.ok(Date.now() - t0 < 5000);

      const db = path.join(dataDir, "cvm.sqlite3");
      assert.ok(fs.existsSync(db), `${db} exists`);
      const { stdout } = await execFileP("sqlite3", [db, "PRAGMA integrity_check"]);
      assert.equal(stdout.trim(), "ok");

      const s2 = await startServer({ dataDir });
      servers.push(s2);
      const clock = await s2.control("clock", undefined, "GET");
      assert.ok(clock.body.offset_seconds >= 86400 - 5, `clock offset survived the restart: ${JSON.stringify(clock.body)}`);
      checkGuangzhouZones(await client(s2).DescribeZones({}), "after restart");
    } finally {
      for (const s of servers) {
        if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
