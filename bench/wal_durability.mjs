// Sustained writes against a file database (issue 10, item 1): 16
// connections send signed ModifyInstancesAttribute (each renames its own
// instance, c<w>-<n>) without a pause. Every 10 s it prints the WAL's and the
// database file's size and the write rate; at the end it kills the server
// with SIGKILL in the middle of the writes, restarts it on the same data,
// prints how long the restart took, and checks that every acknowledged
// write is there (the name is the last one acknowledged, or the one that was
// in flight at the kill).
// usage: node bench/wal_durability.mjs [seconds=300] [connections=16]
//        CVM_EMULATOR_BIN=<binary> (default build/cvm-emulator)
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tc3Headers } from "./tc3_headers.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const binary = process.env.CVM_EMULATOR_BIN || path.resolve(here, "../build/cvm-emulator");
const seconds = Number(process.argv[2] || 300);
const connections = Number(process.argv[3] || 16);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-wal-bench-"));
const dbFile = path.join(dir, "cvm.sqlite3");
const MiB = (bytes) => (bytes / 1048576).toFixed(1);
const size = (file) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts the server; resolves with { child, port, startMs } once it answers.
async function start() {
  const portFile = path.join(dir, `port-${Date.now()}`);
  const t0 = process.hrtime.bigint();
  const child = spawn(binary, ["--port", "0", "--port-file", portFile, "--data-dir", dir,
    "--log-level", "warn", "--pending-seconds", "0", "--instance-quota", "100000"],
  { stdio: ["ignore", "ignore", "inherit"] });
  while (!fs.existsSync(portFile)) {
    if (child.exitCode !== null) throw new Error("the server exited at start");
    await sleep(1);
  }
  const port = Number(fs.readFileSync(portFile, "utf8"));
  const listeningMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { child, port, listeningMs };
}

function call(port, agent, action, params) {
  const body = JSON.stringify(params);
  const headers = tc3Headers({ host: `127.0.0.1:${port}`, action, body });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/", headers, agent },
      (res) => {
        let data = "";
        res.on("data", (d) => (data += d));
        res.on("end", () => {
          const r = JSON.parse(data).Response;
          if (r.Error) reject(new Error(`${r.Error.Code}: ${r.Error.Message}`));
          else resolve(r);
        });
      });
    req.on("error", reject);
    req.end(body);
  });
}

const first = await start();
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const ids = (await call(first.port, agent, "RunInstances", { Placement: { Zone: "ap-guangzhou-3" },
  ImageId: "img-eb30mz89", InstanceCount: connections })).InstanceIdSet;
console.log(`${binary}: ${connections} connections, ${seconds} s of ModifyInstancesAttribute`);

const acked = new Array(connections).fill(0);
let writes = 0;
let killed = false;
const perInterval = [];
const workers = ids.map(async (id, w) => {
  for (let n = 1; !killed; n++) {
    try {
      await call(first.port, agent, "ModifyInstancesAttribute", { InstanceIds: [id], InstanceName: `c${w}-${n}` });
    } catch (e) {
      if (killed) return;
      throw e;
    }
    if (killed) return;  // answered after the kill: not counted as acknowledged
    acked[w] = n;
    writes++;
  }
});

const t0 = Date.now();
let last = 0;
let maxWal = 0;
for (let s = 10; s <= seconds; s += 10) {
  while (Date.now() - t0 < s * 1000) {
    maxWal = Math.max(maxWal, size(`${dbFile}-wal`));
    await sleep(100);
  }
  const rate = (writes - last) / 10;
  last = writes;
  perInterval.push(rate);
  console.log(`t=${String(s).padStart(3)} s  WAL ${MiB(size(`${dbFile}-wal`)).padStart(7)} MiB` +
    `  db ${MiB(size(dbFile)).padStart(6)} MiB  ${rate.toFixed(0).padStart(5)} writes/s`);
}
killed = true;
first.child.kill("SIGKILL");
await new Promise((r) => first.child.on("exit", r));
await Promise.all(workers);
agent.destroy();

const minute = Math.min(6, perInterval.length);
const avg = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const firstMinute = avg(perInterval.slice(0, minute));
const lastMinute = avg(perInterval.slice(-minute));
console.log(`acknowledged writes: ${writes}; largest WAL seen: ${MiB(maxWal)} MiB`);
console.log(`write rate: first minute ${firstMinute.toFixed(0)}/s, last minute ${lastMinute.toFixed(0)}/s`);
console.log(`after SIGKILL: WAL ${MiB(size(`${dbFile}-wal`))} MiB, db ${MiB(size(dbFile))} MiB`);

const again = await start();
const t1 = process.hrtime.bigint();
const agent2 = new http.Agent({ keepAlive: true });
const found = (await call(again.port, agent2, "DescribeInstances", { InstanceIds: ids, Limit: 100 })).InstanceSet;
const firstAnswerMs = again.listeningMs + Number(process.hrtime.bigint() - t1) / 1e6;
console.log(`restart after SIGKILL: listening after ${again.listeningMs.toFixed(0)} ms, first answer after ` +
  `${firstAnswerMs.toFixed(0)} ms; WAL then ${MiB(size(`${dbFile}-wal`))} MiB`);
let lost = 0;
for (const [w, id] of ids.entries()) {
  const name = found.find((i) => i.InstanceId === id)?.InstanceName;
  if (name !== `c${w}-${acked[w]}` && name !== `c${w}-${acked[w] + 1}`) {
    lost++;
    console.log(`LOST: ${id} is ${name}, acknowledged c${w}-${acked[w]}`);
  }
}
console.log(lost === 0 ? `verified: all ${connections} instances hold their last acknowledged write`
  : `${lost} instances lost acknowledged writes`);
agent2.destroy();
again.child.kill("SIGTERM");
await new Promise((r) => again.child.on("exit", r));
fs.rmSync(dir, { recursive: true, force: true });
process.exitCode = lost === 0 ? 0 : 1;
