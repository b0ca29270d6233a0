// Starts the real cvm-emulator binary and builds official-SDK clients for it.
//
// Or, with CVM_E2E_ENDPOINT=host:port, targets a server that is already
// running (the container: scripts/test-container): startServer() then resets
// that server (POST /_emulator/reset) instead of starting one, so every test
// still begins from the seeded catalog. CVM_E2E_CERT is the certificate its
// HTTPS answers with, CVM_E2E_ACCOUNTS the accounts file it was started with.
// CVM_E2E_PROTOCOL=https makes https the SDK clients' default protocol.
// CVM_E2E_CONTROL_TOKEN is the control token that server requires, if any.
// A test that needs its own server (start-up flags, its log, a restart, a
// signal) says so with ownServerOnly() and is skipped there.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import tencentcloud from "tencentcloud-sdk-nodejs-cvm";

const here = path.dirname(fileURLToPath(import.meta.url));
export const BINARY = process.env.CVM_EMULATOR_BIN || path.resolve(here, "../../build/cvm-emulator");

export const EXTERNAL = process.env.CVM_E2E_ENDPOINT || "";

/**
 * For test() and describe() options: skips the test, giving `why`, when the
 * suite targets an external server, because the test needs a server of its
 * own (flags, log, restart or signal).
 */
export function ownServerOnly(why) {
  return EXTERNAL ? `needs its own server: ${why}` : false;
}

export const DEFAULT_KEY = {
  secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
  secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a server. Options: args (extra flags), env, accounts (object written
 * to an accounts file), dataDir (reuse a directory), db (":memory:" by default
 * unless dataDir is given).
 */
export async function startServer({ args = [], env = {}, accounts, dataDir, db } = {}) {
  if (EXTERNAL) return externalServer({ args, env, accounts, dataDir, db });
  const ownDir = !dataDir;
  const dir = dataDir || fs.mkdtempSync(path.join(os.tmpdir(), "cvm-e2e-"));
  const portFile = path.join(dir, `port-${process.pid}-${Date.now()}`);
  const flags = ["--port", "0", "--port-file", portFile, "--data-dir", dir, "--log-level", "warn",
    "--check-output", "on"];
  if (db || !dataDir) flags.push("--db", db || ":memory:");
  if (accounts) {
    const file = path.join(dir, "accounts.json");
    fs.writeFileSync(file, JSON.stringify(accounts));
    flags.push("--accounts", file);
  }
  const child = spawn(BINARY, [...flags, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let stdout = "";
  child.stdout.on("data", (d) => {
    output += d;
    stdout += d;
  });
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  let port;
  for (let i = 0; i < 500 && port === undefined; i++) {
    if (child.exitCode !== null) throw new Error(`cvm-emulator exited at start:\n${output}`);
    if (fs.existsSync(portFile)) port = Number(fs.readFileSync(portFile, "utf8"));
    else await sleep(10);
  }
  if (!port) throw new Error(`cvm-emulator did not start:\n${output}`);
  fs.rmSync(portFile, { force: true });
  const certPath = path.join(dir, "tls", "cert.pem");
  const server = {
    host: "127.0.0.1",
    port,
    dataDir: dir,
    certPath,
    child,
    exited,
    output: () => output,
    stdout: () => stdout,
    controlToken: controlTokenOf(args, env),
    async control(route, body, method = "POST") {
      return controlRequest(`http://${server.host}:${port}`, server.controlToken, route, body, method);
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await exited;
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
      return result;
    },
  };
  return server;
}

// A control request (/_emulator/route) with a JSON body, carrying the
// control token if the server has one.
async function controlRequest(base, token, route, body, method) {
  const headers = body ? { "content-type": "application/json" } : {};
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/_emulator/${route}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

// The control token a server started with `args` and `env` requires ("" for
// none): --control-token wins over CVM_EMULATOR_CONTROL_TOKEN, as in the
// server, and a CVM_E2E_CONTROL_TOKEN in the environment is passed on too.
function controlTokenOf(args, env) {
  for (let i = args.length - 1; i >= 0; i--) {
    if (args[i] === "--control-token") return args[i + 1] || "";
    if (args[i].startsWith("--control-token=")) return args[i].slice("--control-token=".length);
  }
  return env.CVM_EMULATOR_CONTROL_TOKEN ?? process.env.CVM_EMULATOR_CONTROL_TOKEN ?? "";
}

// The server at CVM_E2E_ENDPOINT, reset to the seeded catalog. Refuses what a
// server started elsewhere cannot honour: flags, environment, a data
// directory, or accounts its accounts file does not hold.
async function externalServer({ args, env, accounts, dataDir, db }) {
  if (args.length || Object.keys(env).length || dataDir || db) {
    throw new Error(`CVM_E2E_ENDPOINT: this test starts its own server (${JSON.stringify({ args, env, dataDir, db })}); ` +
      "mark it with ownServerOnly()");
  }
  if (accounts) checkExternalAccounts(accounts);
  // The tests sign for host 127.0.0.1 and its certificate names that address.
  const match = /^127\.0\.0\.1:(\d+)$/.exec(EXTERNAL);
  if (!match) throw new Error(`CVM_E2E_ENDPOINT must be 127.0.0.1:PORT, not ${EXTERNAL}`);
  const host = "127.0.0.1";
  const port = Number(match[1]);
  const server = {
    host,
    port,
    dataDir: null,
    certPath: process.env.CVM_E2E_CERT || "",
    child: null,
    external: true,
    controlToken: process.env.CVM_E2E_CONTROL_TOKEN || "",
    async control(route, body, method = "POST") {
      return controlRequest(`http://${host}:${port}`, server.controlToken, route, body, method);
    },
    async stop() {
      await server.control("reset");  // leave no resources, faults or clock offset behind
      return { code: 0, signal: null };
    },
  };
  const reset = await server.control("reset");
  if (reset.status !== 200) throw new Error(`POST /_emulator/reset: ${reset.status} ${JSON.stringify(reset.body)}`);
  return server;
}

// Every key of `accounts` must be in CVM_E2E_ACCOUNTS, in the same account.
function checkExternalAccounts(accounts) {
  const file = process.env.CVM_E2E_ACCOUNTS;
  if (!file) throw new Error("CVM_E2E_ACCOUNTS is not set, but this test needs accounts");
  const have = JSON.parse(fs.readFileSync(file, "utf8")).accounts;
  for (const want of accounts.accounts) {
    const got = have.find((a) => a.AppId === want.AppId && a.Uin === want.Uin);
    if (!got) throw new Error(`${file} has no account AppId ${want.AppId} Uin ${want.Uin}`);
    for (const key of want.Keys) {
      const match = got.Keys.find((k) => k.SecretId === key.SecretId);
      if (!match || match.SecretKey !== key.SecretKey || (match.Token || "") !== (key.Token || "")) {
        throw new Error(`${file}: account ${want.AppId} lacks key ${key.SecretId} as the test gives it`);
      }
    }
  }
}

/**
 * An official SDK client for `server`. Options: protocol ("http" | "https"),
 * signMethod ("TC3-HMAC-SHA256" | "HmacSHA1" | "HmacSHA256"), reqMethod
 * ("POST" | "GET"), region (null for none), credential, language, endpoint,
 * agent (an http/https Agent to use instead of a fresh keep-alive one),
 * reqTimeout (seconds the SDK waits for an answer).
 */
export function client(server, {
  protocol: givenProtocol,
  signMethod = "TC3-HMAC-SHA256",
  reqMethod = "POST",
  region = "ap-guangzhou",
  credential = DEFAULT_KEY,
  language,
  endpoint,
  agent: givenAgent,
  reqTimeout = 30,
} = {}) {
  // A given agent decides the protocol unless one is named; else https when
  // CVM_E2E_PROTOCOL says so.
  const protocol = givenProtocol ||
    (givenAgent ? (givenAgent instanceof https.Agent ? "https" : "http") : process.env.CVM_E2E_PROTOCOL || "http");
  const agent = givenAgent || (protocol === "https"
    ? new https.Agent({ keepAlive: true, ca: fs.readFileSync(server.certPath) })
    : new http.Agent({ keepAlive: true }));
  const profile = {
    signMethod,
    httpProfile: {
      endpoint: endpoint || `${server.host}:${server.port}`,
      protocol: `${protocol}://`,
      reqMethod,
      reqTimeout,
      agent,
    },
  };
  if (language) profile.language = language;
  return new tencentcloud.cvm.v20170312.Client({ credential, region, profile });
}

/** Runs `promise` and returns the SDK error it rejects with (fails if it resolves). */
export async function sdkError(promise) {
  try {
    const value = await promise;
    throw new Error(`expected an error, got ${JSON.stringify(value)}`);
  } catch (e) {
    if (e.message?.startsWith("expected an error")) throw e;
    return e;
  }
}

/** A raw HTTP request (for things the SDK cannot send). */
export function rawRequest(server, { method = "POST", path: target = "/", headers = {}, body = "" }) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: server.host, port: server.port, method, path: target, headers, agent: false },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (data += d));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
      },
    );
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}
