// Throughput and latency of v1 (HmacSHA256) reads, each request signed with
// a fresh Nonce (a v1 signature is accepted once, so wrk cannot replay one).
// Every accepted v1 signature is saved to the database before its answer
// (docs/decisions.md D-82): this measures what that costs reads.
// usage: node v1_reads.mjs <host:port> [seconds] [connections] [Action]
import crypto from "node:crypto";
import http from "node:http";
import querystring from "node:querystring";

const [host, secondsText = "10", connectionsText = "16", action = "DescribeRegions"] =
  process.argv.slice(2);
const [hostname, port] = host.split(":");
const secretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const secretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connectionsText) });

function form() {
  const p = { Action: action, Nonce: String(crypto.randomInt(1, 2 ** 47)),
    Timestamp: String(Math.floor(Date.now() / 1000)), Version: "2017-03-12", SecretId: secretId,
    Region: "ap-guangzhou", SignatureMethod: "HmacSHA256" };
  const toSign = `POST${host}/?` + Object.keys(p).sort().map((k) => `${k}=${p[k]}`).join("&");
  p.Signature = crypto.createHmac("sha256", secretKey).update(toSign).digest("base64");
  return querystring.stringify(p);
}

function call() {
  const body = form();
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method: "POST", path: "/", agent,
      headers: { "content-type": "application/x-www-form-urlencoded" } }, (res) => {
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => {
        const r = JSON.parse(data).Response;
        if (r.Error) reject(new Error(`${r.Error.Code}: ${r.Error.Message}`));
        else resolve();
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const latencies = [];
const end = Date.now() + Number(secondsText) * 1000;
await Promise.all(Array.from({ length: Number(connectionsText) }, async () => {
  while (Date.now() < end) {
    const t0 = process.hrtime.bigint();
    await call();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}));
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2);
console.log(`${action} v1 HmacSHA256, ${connectionsText} connections, ${secondsText} s: ` +
  `${(latencies.length / Number(secondsText)).toFixed(0)} requests/s, ` +
  `p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
