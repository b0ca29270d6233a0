// Prints a wrk Lua script that sends one TC3-HMAC-SHA256 signed request over
// and over. TC3 has no nonce, so a signature stays valid for the whole
// signature window (300 s): every request is fully verified by the server.
// usage: node tc3_sign.mjs <host:port> <Action> <json-body> [region]
import { tc3Headers } from "./tc3_headers.mjs";

const [host, action, body = "{}", region = "ap-guangzhou"] = process.argv.slice(2);
const headers = tc3Headers({ host, action, body, region });
const lua = [
  `wrk.method = "POST"`,
  `wrk.body = ${JSON.stringify(body)}`,
  ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
  // Count API errors, so a benchmark of failures cannot pass for success.
  // done() runs in the main Lua state: it sums the threads' counters.
  `local threads = {}`,
  `function setup(thread) table.insert(threads, thread) end`,
  `errors = 0`,
  `function response(status, headers, body) if string.find(body, '"Error"', 1, true) then errors = errors + 1 end end`,
  `function done(summary, latency, requests) local n = 0 for _, t in ipairs(threads) do n = n + t:get("errors") end io.write(string.format("api_errors=%d\\n", n)) end`,
];
console.log(lua.join("\n"));
