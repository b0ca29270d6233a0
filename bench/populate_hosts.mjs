// Buys `total` dedicated hosts through signed AllocateHosts calls of 100
// each and prints their IDs, one a line.
// usage: node populate_hosts.mjs <host:port> <total> [region]
import http from "node:http";
import { tc3Headers } from "./tc3_headers.mjs";

const [host, totalText, region = "ap-guangzhou"] = process.argv.slice(2);
let remaining = Number(totalText);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const [hostname, port] = host.split(":");
const ids = [];

function call(count) {
  const body = JSON.stringify({
    Placement: { Zone: `${region}-3` },
    HostChargePrepaid: { Period: 1 },
    HostCount: count,
  });
  const headers = tc3Headers({ host, action: "AllocateHosts", body, region });
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method: "POST", path: "/", headers, agent }, (res) => {
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => {
        const r = JSON.parse(data).Response;
        if (r.Error) reject(new Error(`${r.Error.Code}: ${r.Error.Message}`));
        else resolve(ids.push(...r.HostIdSet));
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const workers = [];
for (let w = 0; w < 4; w++) {
  workers.push((async () => {
    while (remaining > 0) {
      const n = Math.min(100, remaining);
      remaining -= n;
      await call(n);
    }
  })());
}
await Promise.all(workers);
agent.destroy();
console.log(ids.join("\n"));
