// Prints a wrk Lua script that sends several TC3-HMAC-SHA256 signed
// requests of one action in turn, each with its own body (one JSON body a
// line on stdin), so a benchmark can spread its writes over many resources.
// usage: node tc3_sign_each.mjs <host:port> <Action> [region] < bodies
import fs from "node:fs";
import { tc3Headers } from "./tc3_headers.mjs";

const [host, action, region = "ap-guangzhou"] = process.argv.slice(2);
const bodies = fs.readFileSync(0, "utf8").split("\n").filter((l) => l.trim());
const lua = [`local requests = {}`];
for (const body of bodies) {
  // wrk.format adds no Host while the script loads: name the signed one.
  const headers = { Host: host, ...tc3Headers({ host, action, body, region }) };
  const h = Object.entries(headers).map(([k, v]) => `[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join(", ");
  lua.push(`table.insert(requests, wrk.format("POST", "/", {${h}}, ${JSON.stringify(body)}))`);
}
// Each thread starts at its own place in the list and counts the API errors
// it gets; done() adds up every thread's count.
lua.push(
  `local threads = {}`,
  `function setup(thread) thread:set("offset", #threads) table.insert(threads, thread) end`,
  `local i = 0`,
  `errors = 0`,
  `function request() i = i + 1 return requests[(i + (offset or 0) * 1000) % #requests + 1] end`,
  `function response(status, headers, body) if string.find(body, '"Error"', 1, true) then errors = errors + 1 end end`,
  `function done(summary, latency, requests) local n = 0 for _, t in ipairs(threads) do n = n + t:get("errors") end io.write(string.format("api_errors=%d\\n", n)) end`,
);
console.log(lua.join("\n"));
