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
  `local errors = 0`,
  `function response(status, headers, body) if string.find(body, '"Error"', 1, true) then errors = errors + 1 end end`,
  `function done(summary, latency, requests) io.write(string.format("api_errors_in_last_thread=%d\\n", errors)) end`,
];
console.log(lua.join("\n"));
