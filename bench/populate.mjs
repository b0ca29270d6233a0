// Creates `total` instances through signed RunInstances calls of 100 each.
// `extra` (JSON) is merged into every RunInstances body, e.g. tags.
// usage: node populate.mjs <host:port> <total> [region] [extra]
import http from "node:http";
import { tc3Headers } from "./tc3_headers.mjs";

const [host, totalText, region = "ap-guangzhou", extraText = "{}"] = process.argv.slice(2);
const extra = JSON.parse(extraText);
let remaining = Number(totalText);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const [hostname, port] = host.split(":");

function call(count) {
  const body = JSON.stringify({ Placement: { Zone: `${region}-3` }, ImageId: "img-eb30mz89",
                                InstanceCount: count, ...extra });
  const headers = tc3Headers({ host, action: "RunInstances", body, region });
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method: "POST", path: "/", headers, agent }, (res) => {
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => {
        const r = JSON.parse(data).Response;
        if (r.Error) reject(new Error(`${r.Error.Code}: ${r.Error.Message}`));
        else resolve(r.InstanceIdSet.length);
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
