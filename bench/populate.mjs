// Creates `total` instances through signed RunInstances calls of 100 each.
// `extra` (JSON) is merged into every RunInstances body, e.g. tags.
// usage: node populate.mjs <host:port> <total> [region] [extra]
import { client, inBatches } from "./signed_calls.mjs";

const [host, totalText, region = "ap-guangzhou", extraText = "{}"] = process.argv.slice(2);
const extra = JSON.parse(extraText);
const emulator = client(host, region);
await inBatches(Number(totalText), 100, 4, (first, count) =>
  emulator.call("RunInstances", { Placement: { Zone: `${region}-3` }, ImageId: "img-eb30mz89",
                                  InstanceCount: count, ...extra }));
emulator.close();
