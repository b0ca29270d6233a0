// Price inquiries end to end through the official SDK: each is its action's
// checks plus the price engine (docs/decisions.md D-134, D-160): the same
// refusals as its action, nothing created or changed, prices that match
// DescribeZoneInstanceConfigInfos and scale with InstanceCount.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer, client, sdkError } from "./harness.mjs";

const ZONE = "ap-guangzhou-3";
const IMAGE = "img-eb30mz89"; // CentOS 7.5 64位

function runParams(extra = {}) {
  return { Placement: { Zone: ZONE }, ImageId: IMAGE, ...extra };
}

async function totalCount(c) {
  return (await c.DescribeInstances({})).TotalCount;
}

test("InquiryPriceRunInstances: the document's examples, the catalog's prices, linear in InstanceCount, nothing created", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    // The first example: 0.34 an hour.
    const minimal = await c.InquiryPriceRunInstances({ Placement: { Zone: "ap-guangzhou-2" }, ImageId: "img-pmqg1cw8" });
    assert.deepEqual(minimal.Price.InstancePrice, { UnitPrice: 0.34, ChargeUnit: "HOUR", OriginalPrice: null, DiscountPrice: null });
    assert.equal(minimal.Price.BandwidthPrice, null);

    // The prepaid example (with a password of at most 16 characters).
    const prepaid = await c.InquiryPriceRunInstances({
      Placement: { Zone: "ap-guangzhou-2" }, InstanceChargeType: "PREPAID",
      InstanceChargePrepaid: { Period: 1, RenewFlag: "NOTIFY_AND_AUTO_RENEW" }, ImageId: "img-pmqg1cw7",
      InstanceType: "S1.SMALL1", SystemDisk: { DiskType: "LOCAL_BASIC", DiskSize: 50 },
      DataDisks: [{ DiskType: "LOCAL_BASIC", DiskSize: 100 }],
      InternetAccessible: { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 10, PublicIpAssigned: true },
      InstanceName: "QCLOUD-TEST", LoginSettings: { Password: "Qcloud@Test123+" }, InstanceCount: 1,
    });
    assert.equal(prepaid.Price.InstancePrice.OriginalPrice, 45);
    assert.equal(prepaid.Price.InstancePrice.DiscountPrice, 45);
    assert.deepEqual(prepaid.Price.BandwidthPrice, { UnitPrice: 0.8, ChargeUnit: "GB", OriginalPrice: null, DiscountPrice: null });

    // The same price DescribeZoneInstanceConfigInfos shows, for both charge types.
    const infos = await c.DescribeZoneInstanceConfigInfos({
      Filters: [{ Name: "zone", Values: [ZONE] }, { Name: "instance-family", Values: ["S2"] }],
    });
    assert.ok(infos.InstanceTypeQuotaSet.length >= 20);
    for (const item of infos.InstanceTypeQuotaSet) {
      const params = runParams({ InstanceType: item.InstanceType, InstanceChargeType: item.InstanceChargeType });
      if (item.InstanceChargeType === "PREPAID") params.InstanceChargePrepaid = { Period: 1 };
      const quote = await c.InquiryPriceRunInstances(params);
      assert.deepEqual(quote.Price.InstancePrice, item.Price, `${item.InstanceType} ${item.InstanceChargeType}`);
    }

    // Linear in InstanceCount, the traffic price per GB included.
    const one = await c.InquiryPriceRunInstances(runParams({ InternetAccessible: { InternetMaxBandwidthOut: 5 } }));
    const fifty = await c.InquiryPriceRunInstances(runParams({ InstanceCount: 50, InternetAccessible: { InternetMaxBandwidthOut: 5 } }));
    assert.equal(Math.round(fifty.Price.InstancePrice.UnitPrice * 100), Math.round(one.Price.InstancePrice.UnitPrice * 100) * 50);
    assert.equal(Math.round(fifty.Price.BandwidthPrice.UnitPrice * 100), Math.round(one.Price.BandwidthPrice.UnitPrice * 100) * 50);
    const year = await c.InquiryPriceRunInstances(runParams({ InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 12 }, InstanceCount: 3 }));
    assert.equal(year.Price.InstancePrice.OriginalPrice, 1620);  // 3 × 12 × 45.00
    assert.equal(year.Price.InstancePrice.DiscountPrice, 1344.6); // at 83%
    assert.ok(year.Price.InstancePrice.DiscountPrice <= year.Price.InstancePrice.OriginalPrice);

    assert.equal(await totalCount(c), 0, "inquiries create nothing");
  } finally {
    await server.stop();
  }
});

test("InquiryPriceRunInstances: RunInstances' refusals with the same codes; its own HostName and private-IP rules; ClientToken", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const refusals = [
      runParams({ Placement: { Zone: "ap-shanghai-2" } }),
      runParams({ InstanceType: "S1.HUGE999" }),
      runParams({ InstanceType: "small" }),
      runParams({ ImageId: "img-abcd1234" }),
      runParams({ InstanceChargeType: "PREPAID" }),
      runParams({ InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 13 } }),
      runParams({ InstanceCount: 101 }),
      runParams({ LoginSettings: { Password: "short" } }),
      runParams({ InternetAccessible: { PublicIpAssigned: true } }),
      runParams({ InstanceName: "n".repeat(61) }),
      runParams({ ClientToken: "t".repeat(65) }),
      runParams({ VirtualPrivateCloud: { VpcId: "vpc-abcd1234", SubnetId: "subnet-abcd1234", PrivateIpAddresses: ["10.0.5.10", "10.0.5.11"] } }),
    ];
    for (const params of refusals) {
      const action = await sdkError(c.RunInstances(params));
      const inquiry = await sdkError(c.InquiryPriceRunInstances(params));
      assert.equal(inquiry.code, action.code, JSON.stringify(params));
    }
    await c.RunInstances(runParams({ VirtualPrivateCloud: { VpcId: "vpc-abcd1234", SubnetId: "subnet-abcd1234", PrivateIpAddresses: ["10.0.5.10"] } }));
    const used = runParams({ VirtualPrivateCloud: { VpcId: "vpc-abcd1234", SubnetId: "subnet-abcd1234", PrivateIpAddresses: ["10.0.5.10"] } });
    assert.equal((await sdkError(c.InquiryPriceRunInstances(used))).code, "VpcIpsUsed");
    assert.equal((await sdkError(c.RunInstances(used))).code, "VpcIpsUsed");

    // The inquiry's own rules.
    assert.equal((await sdkError(c.InquiryPriceRunInstances(runParams({ HostName: "h".repeat(31) })))).code, "InvalidParameterValue");
    await c.InquiryPriceRunInstances(runParams({ HostName: "h".repeat(30) }));
    const twoIps = runParams({ InstanceCount: 2, VirtualPrivateCloud: { VpcId: "vpc-abcd1234", SubnetId: "subnet-abcd1234", PrivateIpAddresses: ["10.0.5.20", "10.0.5.21"] } });
    assert.equal((await sdkError(c.InquiryPriceRunInstances(twoIps))).code, "InvalidParameterCombination");

    // ClientToken: RunInstances' token with other parameters is refused; the
    // inquiry's own token is not used up.
    await c.RunInstances(runParams({ ClientToken: "launch-1" }));
    const other = await sdkError(c.InquiryPriceRunInstances(runParams({ ClientToken: "launch-1", InstanceType: "S1.SMALL2" })));
    assert.equal(other.code, "InvalidParameterValue");
    await c.InquiryPriceRunInstances(runParams({ ClientToken: "asked", InstanceCount: 2 }));
    assert.equal(await totalCount(c), 2);
    const launched = await c.RunInstances(runParams({ ClientToken: "asked", InstanceCount: 2 }));
    assert.equal(launched.InstanceIdSet.length, 2);
    assert.equal(await totalCount(c), 4);
  } finally {
    await server.stop();
  }
});

async function advance(server, seconds) {
  const r = await server.control("clock/advance", { seconds });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

async function running(server, c, extra = {}) {
  const [id] = (await c.RunInstances(runParams(extra))).InstanceIdSet;
  await advance(server, 10);
  return id;
}

test("InquiryPriceResetInstance: ResetInstance's refusals with the same codes; a larger system disk's price; nothing changes", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const id = await running(server, c);
    const pending = (await c.RunInstances(runParams())).InstanceIdSet[0];
    for (const params of [
      { InstanceId: "ins-zzzzzzzz" },
      { InstanceId: id, SystemDisk: { DiskSize: 40 } },
      { InstanceId: id, SystemDisk: { DiskType: "CLOUD_SSD" } },
      { InstanceId: id, ImageId: "img-abcd1234" },
      { InstanceId: id, LoginSettings: { Password: "short" } },
      { InstanceId: pending },
    ]) {
      const action = await sdkError(c.ResetInstance(params));
      const inquiry = await sdkError(c.InquiryPriceResetInstance(params));
      assert.equal(inquiry.code, action.code, JSON.stringify(params));
    }
    const same = await c.InquiryPriceResetInstance({ InstanceId: id });
    assert.deepEqual(same.Price, { InstancePrice: { UnitPrice: 0, ChargeUnit: "HOUR", OriginalPrice: null, DiscountPrice: null }, BandwidthPrice: null });
    const bigger = await c.InquiryPriceResetInstance({ InstanceId: id, SystemDisk: { DiskSize: 100 } });
    assert.equal(bigger.Price.InstancePrice.UnitPrice, 0.02);
    const prepaid = await running(server, c, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } });
    const month = await c.InquiryPriceResetInstance({ InstanceId: prepaid, SystemDisk: { DiskSize: 100 } });
    assert.equal(month.Price.InstancePrice.OriginalPrice, 14);
    assert.equal(month.Price.InstancePrice.DiscountPrice, 14);
    const [seen] = (await c.DescribeInstances({ InstanceIds: [id] })).InstanceSet;
    assert.equal(seen.InstanceState, "RUNNING");
    assert.equal(seen.SystemDisk.DiskSize, 50);
  } finally {
    await server.stop();
  }
});
