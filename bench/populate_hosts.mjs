// Buys `total` dedicated hosts through signed AllocateHosts calls of 100
// each and prints their IDs, one a line.
// usage: node populate_hosts.mjs <host:port> <total> [region]
import { client, inBatches } from "./signed_calls.mjs";

const [host, totalText, region = "ap-guangzhou"] = process.argv.slice(2);
const emulator = client(host, region);
const ids = [];
await inBatches(Number(totalText), 100, 4, async (first, count) => {
  const r = await emulator.call("AllocateHosts", {
    Placement: { Zone: `${region}-3` },
    HostChargePrepaid: { Period: 1 },
    HostCount: count,
  });
  ids.push(...r.HostIdSet);
});
emulator.close();
console.log(ids.join("\n"));
