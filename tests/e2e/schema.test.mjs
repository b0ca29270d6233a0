// Issue 3, end to end: every one of the 59 actions, called through the
// official SDK with a required parameter missing, answers MissingParameter
// naming it — under TC3-HMAC-SHA256 and under HmacSHA256.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, client, sdkError, EXTERNAL } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(fs.readFileSync(path.resolve(here, "../../schema/cvm_2017_03_12.json"), "utf8"));

let server;
before(async () => {
  // v1 signatures repeat when the same request is sent twice in one second
  // with the same random Nonce; the replay check is not what is tested here.
  // A server started elsewhere keeps its check: such a repeat needs the same
  // action and parameters, the same second and the same Nonce (1 in 65,536).
  server = await startServer(EXTERNAL ? {} : { args: ["--replay-check", "off"] });
});
after(async () => server?.stop());

// What is missing when an action is called with no parameters: its first
// required input, or (for actions without one) the Region.
function expectedMissing(action, signMethod) {
  const required = action.inputs.find((m) => m.required);
  if (required) return { params: {}, region: "ap-guangzhou", name: required.name };
  if (action.region === "required") {
    return { params: {}, region: null, name: signMethod === "TC3-HMAC-SHA256" ? "X-TC-Region" : "Region" };
  }
  return null;  // DescribeRegions: nothing is required at all
}

test("the schema has 59 actions, and all but DescribeRegions require something", () => {
  assert.equal(schema.actions.length, 59);
  const free = schema.actions.filter((a) => !expectedMissing(a, "TC3-HMAC-SHA256")).map((a) => a.name);
  assert.deepEqual(free, ["DescribeRegions"]);
});

for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
  test(`every action with a missing required parameter gets MissingParameter naming it (${signMethod})`, async () => {
    const failures = [];
    let checked = 0;
    for (const action of schema.actions) {
      const expected = expectedMissing(action, signMethod);
      if (!expected) continue;
      const c = client(server, { signMethod, region: expected.region });
      const e = await sdkError(c.request(action.name, expected.params));
      checked++;
      if (e.code !== "MissingParameter" || !new RegExp(`\\b${expected.name}\\b`).test(e.message)) {
        failures.push(`${action.name}: expected MissingParameter naming ${expected.name}, got ${e.code}: ${e.message}`);
      }
    }
    assert.equal(checked, 58);
    assert.deepEqual(failures, []);
  });
}

test("a missing member inside a structure is named by its full path", async () => {
  for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
    const c = client(server, { signMethod });
    let e = await sdkError(c.RunInstances({ Placement: { ProjectId: 0 }, ImageId: "img-eb30mz89" }));
    assert.equal(e.code, "MissingParameter");
    assert.match(e.message, /\bPlacement\.Zone\b/);
    e = await sdkError(c.RunInstances({
      Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-eb30mz89",
      DataDisks: [{ DiskSize: 50 }, { DiskType: "CLOUD_SSD" }],
    }));
    assert.equal(e.code, "MissingParameter");
    assert.match(e.message, /\bDataDisks\.1\.DiskSize\b/);
  }
});

test("an empty list means the same under TC3 ([] in JSON) and v1 (nothing sent): a required one is missing", async () => {
  // Every action whose first required input is a list, called with that list empty.
  const listFirst = schema.actions.filter((a) => a.inputs.find((m) => m.required)?.array);
  assert.ok(listFirst.length >= 10);
  for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"]) {
    const c = client(server, { signMethod });
    const failures = [];
    for (const action of listFirst) {
      const name = action.inputs.find((m) => m.required).name;
      const e = await sdkError(c.request(action.name, { [name]: [] }));
      if (e.code !== "MissingParameter" || !new RegExp(`\\b${name}\\b`).test(e.message)) {
        failures.push(`${action.name}: expected MissingParameter naming ${name}, got ${e.code}: ${e.message}`);
      }
    }
    assert.deepEqual(failures, [], signMethod);
    // The request that once crashed the server: the server is still answering.
    const e = await sdkError(c.SyncImages({ ImageIds: [], DestinationRegions: ["ap-beijing"] }));
    assert.equal(e.code, "MissingParameter");
    const zones = await c.DescribeZones({});
    assert.ok(zones.TotalCount > 0);
  }
});
