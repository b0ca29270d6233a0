// Prints a wrk Lua script that sends one TC3-HMAC-SHA256 signed request over
// and over. TC3 has no nonce, so a signature stays valid for the whole
// signature window (300 s): every request is fully verified by the server.
// usage: node tc3_sign.mjs <host:port> <Action> <json-body> [region]
import crypto from "node:crypto";

const [hostPort, action, body = "{}", region = "ap-guangzhou"] = process.argv.slice(2);
const secretId = process.env.SECRET_ID || "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const secretKey = process.env.SECRET_KEY || "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const host = hostPort.split(":")[0];
const service = host.split(".")[0];
const timestamp = Math.floor(Date.now() / 1000);
const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
const sha256 = (s) => crypto.createHash("sha256").update(s).digest("hex");
const hmac = (k, s) => crypto.createHmac("sha256", k).update(s).digest();
const canonical = ["POST", "/", "", "content-type:application/json\nhost:" + host + "\n",
  "content-type;host", sha256(body)].join("\n");
const scope = `${date}/${service}/tc3_request`;
const toSign = ["TC3-HMAC-SHA256", String(timestamp), scope, sha256(canonical)].join("\n");
const key = hmac(hmac(hmac("TC3" + secretKey, date), service), "tc3_request");
const signature = crypto.createHmac("sha256", key).update(toSign).digest("hex");
const headers = {
  "Content-Type": "application/json",
  "Authorization": `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
  "X-TC-Action": action,
  "X-TC-Timestamp": String(timestamp),
  "X-TC-Version": "2017-03-12",
};
if (region) headers["X-TC-Region"] = region;
const lua = [
  `wrk.method = "POST"`,
  `wrk.body = ${JSON.stringify(body)}`,
  ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
  // Count API errors too, so a benchmark of failures cannot pass for success.
  `local errors = 0`,
  `function response(status, headers, body) if string.find(body, '"Error"', 1, true) then errors = errors + 1 end end`,
  `function done(summary, latency, requests) io.write(string.format("api_errors_in_last_thread=%d\\n", errors)) end`,
];
console.log(lua.join("\n"));
