// Issue 12 (catalog), end to end through the official SDK: the five catalog
// actions with every filter and every error code they can produce, the
// consistency rules (SELL in DescribeZoneInstanceConfigInfos ⇔ RunInstances
// accepts; every family DescribeInstanceTypeConfigs lists is one
// DescribeInstanceFamilyConfigs lists), prices on the wire with two decimals,
// and a prepaid instance's bandwidth configuration.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, client, sdkError, rawRequest } from "./harness.mjs";
import { tc3Headers } from "../../bench/tc3_headers.mjs";

const IMAGE = "img-eb30mz89"; // CentOS 7.5 64位
const DOCUMENT_FAMILIES = ["S1", "N1", "I1", "M1", "S2", "SN2", "I2", "M2", "C2", "CN2",
  "S3", "C3", "FX2", "GN2", "GA2", "GN8", "CDH", "SHARED", "SPECIAL", "OTHER"];

let server;
before(async () => {
  server = await startServer();
  await server.control("clock/freeze");
});
after(async () => server?.stop());

const c = (region = "ap-guangzhou", opts = {}) => client(server, { region, ...opts });
const filter = (Name, ...Values) => ({ Name, Values });

async function expectCode(promise, code) {
  const e = await sdkError(promise);
  assert.equal(e.code, code, e.message);
  return e;
}

// ---------------------------------------------------------------------------
// DescribeInstanceFamilyConfigs and DescribeInternetChargeTypeConfigs

test("DescribeInstanceFamilyConfigs: the document's 20 families in order, then S5 and SN3ne; an unknown region is InvalidRegion.NotFound", async () => {
  const r = await c().DescribeInstanceFamilyConfigs({});
  const families = r.InstanceFamilyConfigSet.map((f) => f.InstanceFamily);
  assert.deepEqual(families, [...DOCUMENT_FAMILIES, "S5", "SN3ne"]);
  assert.deepEqual(r.InstanceFamilyConfigSet[0], { InstanceFamilyName: "标准型S1", InstanceFamily: "S1" });
  assert.match(r.RequestId, /^[0-9a-f-]{36}$/);
  await expectCode(c("ap-nowhere").DescribeInstanceFamilyConfigs({}), "InvalidRegion.NotFound");
  // v1 signatures get the same answer.
  const v1 = await c("ap-guangzhou", { signMethod: "HmacSHA256", reqMethod: "GET" }).DescribeInstanceFamilyConfigs({});
  assert.deepEqual(v1.InstanceFamilyConfigSet, r.InstanceFamilyConfigSet);
});

test("DescribeInternetChargeTypeConfigs: the document's five network charge types", async () => {
  const r = await c().DescribeInternetChargeTypeConfigs({});
  assert.deepEqual(r.InternetChargeTypeConfigSet, [
    { InternetChargeType: "BANDWIDTH_POSTPAID_BY_MONTH", Description: "按月后计费" },
    { InternetChargeType: "BANDWIDTH_PREPAID", Description: "按带宽计费" },
    { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", Description: "按流量计费" },
    { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", Description: "按带宽使用时长计费" },
    { InternetChargeType: "BANDWIDTH_PACKAGE", Description: "带宽包计费" },
  ]);
});

// ---------------------------------------------------------------------------
// DescribeInstanceTypeConfigs

test("DescribeInstanceTypeConfigs: the document's example, each filter, and families that DescribeInstanceFamilyConfigs knows", async () => {
  const example = await c().DescribeInstanceTypeConfigs({
    Filters: [filter("zone", "ap-guangzhou-2"), filter("instance-family", "I1")],
  });
  assert.deepEqual(example.InstanceTypeConfigSet.map((t) => [t.InstanceType, t.CPU, t.Memory, t.GPU]), [
    ["I1.MEDIUM4", 2, 4, 0], ["I1.MEDIUM8", 2, 8, 0], ["I1.MEDIUM16", 2, 16, 0], ["I1.LARGE8", 4, 8, 0],
  ]);
  for (const t of example.InstanceTypeConfigSet) {
    assert.equal(t.Zone, "ap-guangzhou-2");
    assert.equal(t.InstanceFamily, "I1");
    assert.equal(t.CbsSupport, "TRUE");
    assert.equal(t.InstanceTypeState, "AVAILABLE");
  }

  const all = (await c().DescribeInstanceTypeConfigs({})).InstanceTypeConfigSet;
  assert.deepEqual([...new Set(all.map((t) => t.Zone))], ["ap-guangzhou-2", "ap-guangzhou-3", "ap-guangzhou-4"]);
  const zone = (await c().DescribeInstanceTypeConfigs({ Filters: [filter("zone", "ap-guangzhou-4")] })).InstanceTypeConfigSet;
  assert.deepEqual(zone, all.filter((t) => t.Zone === "ap-guangzhou-4"));
  const family = (await c().DescribeInstanceTypeConfigs({ Filters: [filter("instance-family", "GN8")] })).InstanceTypeConfigSet;
  assert.deepEqual(family, all.filter((t) => t.InstanceFamily === "GN8"));
  // GN8 is SOLD_OUT in ap-guangzhou-4: listed there as UNAVAILABLE.
  assert.deepEqual(family.map((t) => [t.Zone, t.InstanceTypeState]), [
    ["ap-guangzhou-2", "AVAILABLE"], ["ap-guangzhou-2", "AVAILABLE"],
    ["ap-guangzhou-3", "AVAILABLE"], ["ap-guangzhou-3", "AVAILABLE"],
    ["ap-guangzhou-4", "UNAVAILABLE"], ["ap-guangzhou-4", "UNAVAILABLE"],
  ]);
  // Filters AND.
  const none = await c().DescribeInstanceTypeConfigs({ Filters: [filter("zone", "ap-guangzhou-2"), filter("zone", "ap-guangzhou-3")] });
  assert.deepEqual(none.InstanceTypeConfigSet, []);

  const known = new Set((await c().DescribeInstanceFamilyConfigs({})).InstanceFamilyConfigSet.map((f) => f.InstanceFamily));
  const regions = (await c().DescribeRegions({})).RegionSet.map((r) => r.Region);
  assert.equal(regions.length, 19);
  for (const region of regions) {
    const types = (await c(region).DescribeInstanceTypeConfigs({})).InstanceTypeConfigSet;
    assert.ok(types.length > 0, region);
    for (const t of types) assert.ok(known.has(t.InstanceFamily), `${region}: ${t.InstanceFamily}`);
  }
});

test("DescribeInstanceTypeConfigs: InvalidZone.MismatchRegion, InvalidFilter, InvalidFilterValue.LimitExceeded", async () => {
  await expectCode(c().DescribeInstanceTypeConfigs({ Filters: [filter("zone", "ap-shanghai-1")] }), "InvalidZone.MismatchRegion");
  await expectCode(c().DescribeInstanceTypeConfigs({ Filters: [filter("zone", "ap-guangzhou-9")] }), "InvalidZone.MismatchRegion");
  await expectCode(c().DescribeInstanceTypeConfigs({ Filters: [filter("instance-type", "S1.SMALL1")] }), "InvalidFilter");
  await expectCode(c().DescribeInstanceTypeConfigs({ Filters: [filter("zone", "ap-guangzhou-2", "ap-guangzhou-3")] }),
    "InvalidFilterValue.LimitExceeded");
  await expectCode(c().DescribeInstanceTypeConfigs({ Filters: Array(11).fill(filter("instance-family", "S1")) }),
    "InvalidFilterValue.LimitExceeded");
});

// ---------------------------------------------------------------------------
// DescribeZoneInstanceConfigInfos

test("DescribeZoneInstanceConfigInfos: the document's example item, and each of the four filters", async () => {
  const example = await c().DescribeZoneInstanceConfigInfos({
    Filters: [filter("zone", "ap-guangzhou-2"), filter("instance-charge-type", "POSTPAID_BY_HOUR")],
  });
  const s2 = example.InstanceTypeQuotaSet.find((i) => i.InstanceType === "S2.MEDIUM4");
  assert.deepEqual(s2, {
    Zone: "ap-guangzhou-2", InstanceType: "S2.MEDIUM4", InstanceChargeType: "POSTPAID_BY_HOUR", NetworkCard: 0,
    Externals: { ReleaseAddress: null, UnsupportNetworks: null, StorageBlockAttr: null },
    Cpu: 2, Memory: 4, InstanceFamily: "S2", TypeName: "标准型S2",
    LocalDiskTypeList: [
      { Type: "LOCAL_BASIC", PartitionType: "ROOT", MinSize: 50, MaxSize: 50 },
      { Type: "LOCAL_BASIC", PartitionType: "DATA", MinSize: 0, MaxSize: 500 },
    ],
    Status: "SELL",
    Price: { UnitPrice: 0.64, ChargeUnit: "HOUR", OriginalPrice: null, DiscountPrice: null },
  });

  const all = (await c().DescribeZoneInstanceConfigInfos({})).InstanceTypeQuotaSet;
  const same = async (filters, keep) => {
    const r = (await c().DescribeZoneInstanceConfigInfos({ Filters: filters })).InstanceTypeQuotaSet;
    assert.deepEqual(r, all.filter(keep), JSON.stringify(filters));
    return r;
  };
  assert.equal((await same([filter("zone", "ap-guangzhou-3", "ap-guangzhou-4")],
    (i) => i.Zone === "ap-guangzhou-3" || i.Zone === "ap-guangzhou-4")).length, 2 * 80 * 2);
  await same([filter("instance-family", "S5", "I1")], (i) => i.InstanceFamily === "S5" || i.InstanceFamily === "I1");
  await same([filter("instance-type", "S1.SMALL1")], (i) => i.InstanceType === "S1.SMALL1");
  await same([filter("instance-charge-type", "PREPAID")], (i) => i.InstanceChargeType === "PREPAID");
  await same([filter("zone", "ap-guangzhou-2"), filter("instance-family", "S1"), filter("instance-type", "S1.SMALL1", "S2.SMALL1"),
    filter("instance-charge-type", "PREPAID", "POSTPAID_BY_HOUR")],
  (i) => i.Zone === "ap-guangzhou-2" && i.InstanceType === "S1.SMALL1");
  await same([filter("instance-charge-type", "CDHPAID")], () => false);
  await same([filter("zone", "ap-guangzhou-1")], () => false); // UNAVAILABLE: offers nothing

  // S1.SMALL1: 0.34 an hour, 45.00 a month; prepaid prices never exceed the original.
  const small = all.filter((i) => i.Zone === "ap-guangzhou-2" && i.InstanceType === "S1.SMALL1");
  assert.deepEqual(small.map((i) => [i.InstanceChargeType, i.Price]), [
    ["PREPAID", { UnitPrice: null, ChargeUnit: null, OriginalPrice: 45, DiscountPrice: 45 }],
    ["POSTPAID_BY_HOUR", { UnitPrice: 0.34, ChargeUnit: "HOUR", OriginalPrice: null, DiscountPrice: null }],
  ]);
  for (const i of all.filter((x) => x.InstanceChargeType === "PREPAID")) {
    assert.ok(i.Price.DiscountPrice <= i.Price.OriginalPrice, i.InstanceType);
  }
  // The same through a v1 signature and flattened filters.
  const v1 = await c("ap-guangzhou", { signMethod: "HmacSHA1" }).DescribeZoneInstanceConfigInfos({
    Filters: [filter("zone", "ap-guangzhou-2"), filter("instance-charge-type", "POSTPAID_BY_HOUR")],
  });
  assert.deepEqual(v1.InstanceTypeQuotaSet, example.InstanceTypeQuotaSet);
});

test("DescribeZoneInstanceConfigInfos: prices are JSON numbers with two decimals on the wire", async () => {
  const body = JSON.stringify({ Filters: [filter("zone", "ap-guangzhou-2"), filter("instance-type", "S1.SMALL1")] });
  const host = `127.0.0.1:${server.port}`;
  const r = await rawRequest(server, { headers: tc3Headers({ host, action: "DescribeZoneInstanceConfigInfos", body }), body });
  assert.equal(r.status, 200);
  assert.ok(r.body.includes('"Price":{"UnitPrice":null,"ChargeUnit":null,"OriginalPrice":45.00,"DiscountPrice":45.00}'), r.body);
  assert.ok(r.body.includes('"Price":{"UnitPrice":0.34,"ChargeUnit":"HOUR","OriginalPrice":null,"DiscountPrice":null}'), r.body);
});

test("DescribeZoneInstanceConfigInfos: InvalidZone.MismatchRegion, InvalidInstanceType.Malformed, InvalidRegion.NotFound, InvalidFilter, InvalidParameterValue.LimitExceeded", async () => {
  await expectCode(c().DescribeZoneInstanceConfigInfos({ Filters: [filter("zone", "ap-beijing-1")] }), "InvalidZone.MismatchRegion");
  await expectCode(c().DescribeZoneInstanceConfigInfos({ Filters: [filter("zone", "guangzhou")] }), "InvalidZone.MismatchRegion");
  const e = await expectCode(c().DescribeZoneInstanceConfigInfos({ Filters: [filter("instance-type", "s1-small1")] }),
    "InvalidInstanceType.Malformed");
  assert.match(e.message, /Filters\.0\.Values/);
  await expectCode(c("ap-nowhere").DescribeZoneInstanceConfigInfos({}), "InvalidRegion.NotFound");
  await expectCode(c().DescribeZoneInstanceConfigInfos({ Filters: [filter("image-id", "img-eb30mz89")] }), "InvalidFilter");
  await expectCode(c().DescribeZoneInstanceConfigInfos({ Filters: [filter("instance-family", "S1", "S2", "S3", "S5", "M1", "M2")] }),
    "InvalidParameterValue.LimitExceeded");
});

test("SELL in DescribeZoneInstanceConfigInfos ⇔ RunInstances accepts the type in that zone (every type, every Guangzhou zone)", async () => {
  await server.control("quotas", { instances: 10000 });
  try {
    let accepted = 0;
    let refused = 0;
    for (const region of ["ap-guangzhou", "ap-guangzhou-open"]) {
      const zones = (await c(region).DescribeZones({})).ZoneSet.map((z) => z.Zone);
      const types = (await c(region).DescribeZoneInstanceConfigInfos({ Filters: [filter("instance-charge-type", "POSTPAID_BY_HOUR")] }))
        .InstanceTypeQuotaSet;
      const allTypes = (await c().DescribeInstanceTypeConfigs({ Filters: [filter("zone", "ap-guangzhou-3")] }))
        .InstanceTypeConfigSet.map((t) => t.InstanceType);
      assert.equal(allTypes.length, 80);
      for (const zone of zones) {
        const sells = new Set(types.filter((i) => i.Zone === zone && i.Status === "SELL").map((i) => i.InstanceType));
        for (const type of allTypes) {
          const run = c(region).RunInstances({ Placement: { Zone: zone }, ImageId: IMAGE, InstanceType: type });
          if (sells.has(type)) {
            const r = await run;
            assert.equal(r.InstanceIdSet.length, 1, `${zone} ${type}`);
            accepted++;
          } else {
            const e = await sdkError(run);
            assert.equal(e.code, "InvalidParameterValue", `${zone} ${type}: ${e.message}`);
            refused++;
          }
        }
      }
    }
    assert.equal(accepted, 3 * 80 - 2 + 2 * 37);
    assert.equal(refused, 80 + 2 + 2 * (80 - 37));
  } finally {
    await server.control("reset");
    await server.control("clock/freeze");
  }
});

// ---------------------------------------------------------------------------
// DescribeInstanceInternetBandwidthConfigs

test("DescribeInstanceInternetBandwidthConfigs: a prepaid instance's bandwidth from creation to ExpiredTime; other bandwidth, unknown and malformed IDs refused", async () => {
  const run = await c().RunInstances({
    Placement: { Zone: "ap-guangzhou-3" }, ImageId: IMAGE, InstanceChargeType: "PREPAID",
    InstanceChargePrepaid: { Period: 3 },
    InternetAccessible: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 50 },
  });
  const id = run.InstanceIdSet[0];
  const instance = (await c().DescribeInstances({ InstanceIds: [id] })).InstanceSet[0];
  const r = await c().DescribeInstanceInternetBandwidthConfigs({ InstanceId: id });
  assert.deepEqual(r.InternetBandwidthConfigSet, [{
    StartTime: instance.CreatedTime,
    EndTime: instance.ExpiredTime,
    InternetAccessible: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 50, PublicIpAssigned: true },
  }]);
  assert.notEqual(instance.ExpiredTime, null);

  const hourly = (await c().RunInstances({
    Placement: { Zone: "ap-guangzhou-3" }, ImageId: IMAGE, InternetAccessible: { InternetMaxBandwidthOut: 5 },
  })).InstanceIdSet[0];
  await expectCode(c().DescribeInstanceInternetBandwidthConfigs({ InstanceId: hourly }), "InvalidInstance.NotSupported");
  await expectCode(c().DescribeInstanceInternetBandwidthConfigs({ InstanceId: "ins-zzzzzzzz" }), "InvalidInstanceId.NotFound");
  await expectCode(c("ap-shanghai").DescribeInstanceInternetBandwidthConfigs({ InstanceId: id }), "InvalidInstanceId.NotFound");
  await expectCode(c().DescribeInstanceInternetBandwidthConfigs({ InstanceId: "ins-6lafsz0" }), "InvalidInstanceId.Malformed");
  await expectCode(c().DescribeInstanceInternetBandwidthConfigs({}), "MissingParameter");
});
