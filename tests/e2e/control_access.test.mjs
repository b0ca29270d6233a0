// The control plane against web pages: a page on another origin, or one
// reached through a rebound DNS name, cannot reset or steer the emulator;
// curl, scripts and the emulator's own pages can. With --control-token every
// control request needs the token (the health probe excepted).
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startServer, ownServerOnly } from "./harness.mjs";

// One request with exactly these headers (fetch would add its own).
function raw(server, method, route, { headers = {}, body = "" } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: server.host, port: server.port, method, path: `/_emulator/${route}`,
      headers: { "content-length": Buffer.byteLength(body), ...headers }, agent: false }, (res) => {
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: JSON.parse(data) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("a page on http://evil.example cannot reset the emulator or move its clock: 403, nothing changes", async () => {
  const server = await startServer();
  try {
    assert.equal((await server.control("quotas", { instances: 7 })).status, 200);
    const before = (await server.control("clock", undefined, "GET")).body;
    const evil = { origin: "http://evil.example" };
    for (const [route, headers, body] of [
      ["reset", { ...evil, "content-type": "application/x-www-form-urlencoded" }, ""],
      ["reset", { ...evil, "content-type": "text/plain" }, "x"],
      ["reset", { ...evil, "content-type": "multipart/form-data; boundary=b" }, "--b--\r\n"],
      ["clock/advance?seconds=86400", evil, ""],
      ["reset", { ...evil, "content-type": "application/json" }, "{}"],
    ]) {
      const res = await raw(server, "POST", route, { headers, body });
      assert.equal(res.status, 403, `${route} ${JSON.stringify(headers)}`);
      assert.match(res.body.error, /^cross-site control request refused: Origin http:\/\/evil\.example/);
    }
    assert.equal((await server.control("quotas", undefined, "GET")).body.default.instances, 7);
    const after = (await server.control("clock", undefined, "GET")).body;
    assert.equal(after.offset_seconds, before.offset_seconds);
  } finally {
    await server.stop();
  }
});

test("DNS rebinding: a browser request whose Host is not the emulator's is refused, a script's is not", async () => {
  const server = await startServer();
  try {
    const rebound = await raw(server, "GET", "clock", {
      headers: { host: `evil.example:${server.port}`, "sec-fetch-site": "same-origin" } });
    assert.equal(rebound.status, 403);
    assert.match(rebound.body.error, /Host evil\.example:\d+ does not name this emulator/);
    // docker compose reaches the container as cvm:8100: scripts keep working.
    const script = await raw(server, "POST", "clock/freeze", { headers: { host: "cvm:8100" } });
    assert.equal(script.status, 200);
    const json = await raw(server, "POST", "clock/resume", {
      headers: { host: "cvm:8100", "content-type": "application/json" }, body: "{}" });
    assert.equal(json.status, 200);
  } finally {
    await server.stop();
  }
});

test("the emulator's own origin, and curl with or without a JSON body, still use the control plane", async () => {
  const server = await startServer();
  try {
    const own = `http://${server.host}:${server.port}`;
    assert.equal((await raw(server, "POST", "clock/freeze", {
      headers: { origin: own, "sec-fetch-site": "same-origin", "content-type": "application/json" },
      body: "{}" })).status, 200);
    assert.equal((await raw(server, "GET", "clock", {
      headers: { "sec-fetch-site": "same-origin" } })).status, 200);
    assert.equal((await raw(server, "POST", "clock/resume")).status, 200);  // curl -X POST
    assert.equal((await raw(server, "POST", "clock/advance", {
      headers: { "content-type": "application/json" }, body: '{"seconds": 1}' })).status, 200);
  } finally {
    await server.stop();
  }
});

test("--control-allowed-origins lets a page of another origin in",
  { skip: ownServerOnly("starts with --control-allowed-origins") }, async () => {
  const server = await startServer({ args: ["--control-allowed-origins", "http://localhost:3000"] });
  try {
    const from = (origin) => raw(server, "POST", "clock/freeze", { headers: { origin } });
    assert.equal((await from("http://localhost:3000")).status, 200);
    assert.equal((await from("http://localhost:3001")).status, 403);
  } finally {
    await server.stop();
  }
});

test("--control-token: control requests need Authorization: Bearer <token> (401 otherwise); the health probe does not",
  { skip: ownServerOnly("starts with --control-token") }, async () => {
  const server = await startServer({ args: ["--control-token", "e2e-s3cret"] });
  try {
    const res = await raw(server, "POST", "reset");
    assert.equal(res.status, 401);
    assert.match(res.headers["www-authenticate"], /^Bearer/);
    assert.match(res.body.error, /^no control token/);
    assert.equal((await raw(server, "POST", "reset", { headers: { authorization: "Bearer nope" } })).status, 401);
    assert.equal((await raw(server, "GET", "health")).status, 200);
    // The harness passes the token it started the server with.
    assert.equal((await server.control("reset")).status, 200);
    assert.equal((await server.control("clock", undefined, "GET")).status, 200);
  } finally {
    await server.stop();
  }
});

test("CVM_EMULATOR_CONTROL_TOKEN sets the token too",
  { skip: ownServerOnly("starts with CVM_EMULATOR_CONTROL_TOKEN") }, async () => {
  const server = await startServer({ env: { CVM_EMULATOR_CONTROL_TOKEN: "from-env" } });
  try {
    assert.equal((await raw(server, "POST", "clock/freeze")).status, 401);
    assert.equal((await raw(server, "POST", "clock/freeze", {
      headers: { authorization: "Bearer from-env" } })).status, 200);
  } finally {
    await server.stop();
  }
});

test("listening on a non-loopback address warns that the control endpoints are unauthenticated, unless there is a token",
  { skip: ownServerOnly("reads the start-up log of servers on 0.0.0.0") }, async () => {
  const open = await startServer({ args: ["--host", "0.0.0.0"] });
  try {
    assert.match(open.output(), /"event":"control_unauthenticated"/);
  } finally {
    await open.stop();
  }
  const guarded = await startServer({ args: ["--host", "0.0.0.0", "--control-token", "t"] });
  try {
    assert.doesNotMatch(guarded.output(), /control_unauthenticated/);
  } finally {
    await guarded.stop();
  }
  const loopback = await startServer();
  try {
    assert.doesNotMatch(loopback.output(), /control_unauthenticated/);
  } finally {
    await loopback.stop();
  }
});
