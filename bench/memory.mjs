// Peak memory (issue 10, item 8): large TC3 bodies within the 10 MB limit,
// one and four at once, and the server's resident memory before, at its
// peak, after, and after /_emulator/reset. The bodies are refused (their
// lists are past the documented maximum); what matters is what answering
// them costs. Linux only (/proc/<pid>/status, clear_refs).
// usage: node bench/memory.mjs        CVM_EMULATOR_BIN=<binary> (default build/cvm-emulator)
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tc3Headers } from "./tc3_headers.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const binary = process.env.CVM_EMULATOR_BIN || path.resolve(here, "../build/cvm-emulator");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-memory-bench-"));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MiB = (kb) => (kb / 1024).toFixed(1);

const portFile = path.join(dir, "port");
const child = spawn(binary, ["--port", "0", "--port-file", portFile, "--data-dir", dir,
  "--log-level", "warn"], { stdio: ["ignore", "ignore", "inherit"] });
while (!fs.existsSync(portFile)) await sleep(5);
const port = Number(fs.readFileSync(portFile, "utf8"));

// VmRSS and VmHWM (peak) of the server, in KiB.
function memory() {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))[1]);
  return { rss: field("VmRSS"), peak: field("VmHWM") };
}
const resetPeak = () => fs.writeFileSync(`/proc/${child.pid}/clear_refs`, "5");

function post(action, body) {
  const headers = tc3Headers({ host: `127.0.0.1:${port}`, action, body });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/", headers, agent: false },
      (res) => {
        let data = "";
        res.on("data", (d) => (data += d));
        res.on("end", () => resolve(JSON.parse(data).Response));
      });
    req.on("error", reject);
    req.end(body);
  });
}

// 16,000 filters × 100 values: about 9.6 MB.
const filters = [];
for (let f = 0; f < 16000; f++) {
  const values = [];
  for (let v = 0; v < 100; v++) values.push(`v${v}`);
  filters.push({ Name: "instance-id", Values: values });
}
const filterBody = JSON.stringify({ Filters: filters });
// 2.3 million one-character InstanceIds: about 9.2 MB.
const idsBody = `{"InstanceIds":[${new Array(2_300_000).fill('"x"').join(",")}]}`;

async function scenario(label, body, copies) {
  await sleep(200);
  const before = memory();
  resetPeak();
  const t0 = Date.now();
  const answers = await Promise.all(Array.from({ length: copies }, () => post("DescribeInstances", body)));
  const ms = Date.now() - t0;
  await sleep(200);  // the sessions read their next request (and give memory back)
  const after = memory();
  const codes = [...new Set(answers.map((a) => a.Error?.Code ?? "ok"))].join(", ");
  console.log(`${label}: ${copies} × ${(body.length / 1e6).toFixed(1)} MB, ${ms} ms → ${codes}; ` +
    `RSS before ${MiB(before.rss)} MiB, peak ${MiB(after.peak)} MiB, after ${MiB(after.rss)} MiB`);
}

console.log(`${binary}`);
console.log(`start: RSS ${MiB(memory().rss)} MiB`);
await scenario("16,000 filters x 100 values", filterBody, 1);
await scenario("16,000 filters x 100 values", filterBody, 4);
await scenario("2.3 million one-character InstanceIds", idsBody, 1);
await scenario("2.3 million one-character InstanceIds", idsBody, 4);
await fetch(`http://127.0.0.1:${port}/_emulator/reset`, { method: "POST" });
await sleep(200);
console.log(`after /_emulator/reset: RSS ${MiB(memory().rss)} MiB`);
child.kill("SIGTERM");
await new Promise((r) => child.on("exit", r));
fs.rmSync(dir, { recursive: true, force: true });
