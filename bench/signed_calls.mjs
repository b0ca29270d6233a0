// Signed calls from the bench scripts to an emulator: one client over a
// keep-alive agent, and a total split into batches over parallel workers.
import http from "node:http";
import { tc3Headers } from "./tc3_headers.mjs";

// A client of the emulator at `host` ("host:port") in `region`: call(action,
// params) resolves to the answer's Response, and rejects on an API error.
export function client(host, region) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const [hostname, port] = host.split(":");
  const call = (action, params) => {
    const body = JSON.stringify(params);
    const headers = tc3Headers({ host, action, body, region });
    return new Promise((resolve, reject) => {
      const req = http.request({ hostname, port, method: "POST", path: "/", headers, agent }, (res) => {
        let data = "";
        res.on("data", (d) => (data += d));
        res.on("end", () => {
          const r = JSON.parse(data).Response;
          if (r.Error) reject(new Error(`${action}: ${r.Error.Code}: ${r.Error.Message}`));
          else resolve(r);
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  };
  return { call, close: () => agent.destroy() };
}

// Runs run(first, count) over batches of at most `size` of `total` items,
// `workers` batches at a time; `first` numbers the batch's first item.
export async function inBatches(total, size, workers, run) {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < total) {
      const first = next;
      const count = Math.min(size, total - next);
      next += count;
      await run(first, count);
    }
  }));
}
