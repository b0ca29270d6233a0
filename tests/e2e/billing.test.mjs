// Billing and bandwidth end-to-end tests through the official SDK:
// RenewInstances, ModifyInstancesRenewFlag, ModifyInstancesChargeType,
// ResetInstancesInternetMaxBandwidth and their price inquiries. What each
// action changes is read back through DescribeInstances (ExpiredTime,
// RenewFlag, RestrictState, InstanceChargeType, InternetAccessible) while the
// emulator clock advances (POST /_emulator/clock/advance), never by sleeping;
// every listed code an action can produce is asserted exactly, each refusal
// leaving every instance as it was (batches are all-or-nothing), and the
// codes that cannot arise by themselves (D-187) come through the fault path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer, client, sdkError } from "./harness.mjs";

const ZONE = "ap-guangzhou-3";
const IMAGE = "img-eb30mz89"; // CentOS 7.5 64位
const UNKNOWN_ID = "ins-zzzzzzzz"; // well formed, never issued
// The clock of every test starts here: 2023-11-15 06:13:20 in UTC+8.
const T0 = "2023-11-14T22:13:20Z";
const DAY = 86_400;

// ---------------------------------------------------------------------------
// Helpers.

async function control(server, route, body) {
  const r = await server.control(route, body);
  assert.equal(r.status, 200, `${route} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The emulator's now, in milliseconds. */
async function nowMs(server) {
  const r = await server.control("clock", undefined, "GET");
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.now_ms;
}

async function advance(server, seconds) {
  await control(server, "clock/advance", { seconds });
}

/** A server whose clock is frozen at T0, and an SDK client for it. */
async function start() {
  const server = await startServer();
  await control(server, "clock/freeze");
  await control(server, "clock/set", { time: T0 });
  return { server, c: client(server) };
}

/** Every instance of `ids`, as DescribeInstances shows it, in that order. */
async function describe(c, ids) {
  const r = await c.DescribeInstances({ InstanceIds: ids, Limit: 100 });
  const m = new Map(r.InstanceSet.map((i) => [i.InstanceId, i]));
  return ids.map((id) => m.get(id));
}

async function one(c, id) {
  return (await describe(c, [id]))[0];
}

/** What billing shows of an instance. */
async function billing(c, id) {
  const i = await one(c, id);
  return { type: i.InstanceChargeType, expires: i.ExpiredTime, flag: i.RenewFlag, restrict: i.RestrictState };
}

async function bandwidth(c, id) {
  return (await one(c, id)).InternetAccessible.InternetMaxBandwidthOut;
}

/** Launches one instance with `extra` and advances the clock until it is RUNNING. */
async function running(server, c, extra = {}) {
  const r = await c.RunInstances({ Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceCount: 1, ...extra });
  const [id] = r.InstanceIdSet;
  for (let i = 0; i < 60; i++) {
    if ((await one(c, id)).InstanceState === "RUNNING") return id;
    await advance(server, 1);
  }
  assert.fail(`${id} not RUNNING after 60 s`);
}

function prepaidTerms(months = 1, renewFlag = "NOTIFY_AND_MANUAL_RENEW") {
  return { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: months, RenewFlag: renewFlag } };
}

const PREPAID_BANDWIDTH = { InternetAccessible: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 5 } };
const TRAFFIC = { InternetAccessible: { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5 } };

/** A PREPAID instance launched at T0 for `months` (running 10 s later, or so). */
async function prepaid(server, c, months = 1, renewFlag, extra = {}) {
  return running(server, c, { ...prepaidTerms(months, renewFlag), ...extra });
}

/**
 * A prepaid price item as the document's examples shape it: OriginalPrice and
 * DiscountPrice, as numbers; the hourly fields null.
 */
function prepaidItem(item) {
  assert.ok(item, "a price item");
  assert.equal(item.UnitPrice, null);
  assert.equal(item.ChargeUnit, null);
  return { OriginalPrice: item.OriginalPrice, DiscountPrice: item.DiscountPrice };
}

/** Everything a client can read of `ids`: their DescribeInstances items. */
async function snapshot(c, ids) {
  return describe(c, ids);
}

/**
 * `call` is refused with `code` (and a message naming `what`, when given),
 * and the instances `ids` look as they did.
 */
async function refused(c, ids, call, code, what) {
  const before = await snapshot(c, ids);
  const e = await sdkError(call());
  assert.equal(e.code, code, `${e.code}: ${e.message}`);
  if (what) assert.ok(e.message.includes(what), `message names ${what}: ${e.message}`);
  assert.deepEqual(await snapshot(c, ids), before, `${code} changed nothing`);
  return e;
}

function unknownIds(n) {
  return Array.from({ length: n }, (_, i) => `ins-${String(i).padStart(8, "0")}`);
}

// ---------------------------------------------------------------------------
// RenewInstances and InquiryPriceRenewInstances.

test("RenewInstances: ExpiredTime moves on by Period months, RenewFlag is the one given, an EXPIRED instance is NORMAL again", async () => {
  const { server, c } = await start();
  try {
    const a = await prepaid(server, c, 1);
    const b = await prepaid(server, c, 12);
    const launchedB = (await one(c, b)).CreatedTime;
    assert.deepEqual(await billing(c, a),
      { type: "PREPAID", expires: "2023-12-14T22:13:20Z", flag: "NOTIFY_AND_MANUAL_RENEW", restrict: "NORMAL" });

    await c.RenewInstances({ InstanceIds: [a, b],
      InstanceChargePrepaid: { Period: 2, RenewFlag: "DISABLE_NOTIFY_AND_MANUAL_RENEW" } });
    assert.deepEqual(await billing(c, a),
      { type: "PREPAID", expires: "2024-02-14T22:13:20Z", flag: "DISABLE_NOTIFY_AND_MANUAL_RENEW", restrict: "NORMAL" });
    const expiresB = new Date(launchedB);
    expiresB.setUTCMonth(expiresB.getUTCMonth() + 14);
    assert.equal((await billing(c, b)).expires, expiresB.toISOString().replace(".000Z", "Z"));

    // The clock passes a's ExpiredTime: EXPIRED, still RUNNING.
    const now = await nowMs(server);
    const untilA = Math.ceil((Date.parse("2024-02-14T22:13:20Z") - now) / 1000);
    assert.ok(untilA > 1, `seconds to a's ExpiredTime: ${untilA}`);
    await advance(server, untilA - 1);
    assert.equal((await billing(c, a)).restrict, "NORMAL");
    await advance(server, 1);
    assert.deepEqual(await billing(c, a),
      { type: "PREPAID", expires: "2024-02-14T22:13:20Z", flag: "DISABLE_NOTIFY_AND_MANUAL_RENEW", restrict: "EXPIRED" });
    assert.equal((await one(c, a)).InstanceState, "RUNNING");

    // Renewed without RenewFlag: the structure's default, NOTIFY_AND_MANUAL_RENEW (D-183).
    await c.RenewInstances({ InstanceIds: [a], InstanceChargePrepaid: { Period: 1 } });
    assert.deepEqual(await billing(c, a),
      { type: "PREPAID", expires: "2024-03-14T22:13:20Z", flag: "NOTIFY_AND_MANUAL_RENEW", restrict: "NORMAL" });
  } finally {
    await server.stop();
  }
});

test("RenewInstances: months are calendar months from the ExpiredTime shown (Jan 31 → Feb 29 → Mar 29, D-183)", async () => {
  const { server, c } = await start();
  try {
    await control(server, "clock/set", { time: "2027-12-31T10:00:00Z" });
    const id = await prepaid(server, c, 1);
    const created = (await one(c, id)).CreatedTime;
    assert.match(created, /^2027-12-31T10:00:\d\dZ$/);
    const seconds = created.slice(17, 19);
    assert.equal((await billing(c, id)).expires, `2028-01-31T10:00:${seconds}Z`);
    await c.RenewInstances({ InstanceIds: [id], InstanceChargePrepaid: { Period: 1 } });
    assert.equal((await billing(c, id)).expires, `2028-02-29T10:00:${seconds}Z`);
    await c.RenewInstances({ InstanceIds: [id], InstanceChargePrepaid: { Period: 1 } });
    assert.equal((await billing(c, id)).expires, `2028-03-29T10:00:${seconds}Z`);
  } finally {
    await server.stop();
  }
});

test("RenewInstances and InquiryPriceRenewInstances: every refusal has the same code and changes nothing", async () => {
  const { server, c } = await start();
  try {
    const pre = await prepaid(server, c, 1, undefined, PREPAID_BANDWIDTH);
    const hourly = await running(server, c, TRAFFIC);
    const shut = await prepaid(server, c, 1);
    await c.TerminateInstances({ InstanceIds: [shut] });
    assert.equal((await one(c, shut)).InstanceState, "SHUTDOWN");
    const ids = [pre, hourly, shut];
    const month = { Period: 1 };
    const cases = [
      ["InvalidInstance.NotSupported", { InstanceIds: [pre, hourly], InstanceChargePrepaid: month }, hourly],
      ["InvalidInstanceId.Malformed", { InstanceIds: [pre, "ins-1122"], InstanceChargePrepaid: month }, "ins-1122"],
      ["InvalidInstanceId.NotFound", { InstanceIds: [pre, UNKNOWN_ID], InstanceChargePrepaid: month }, UNKNOWN_ID],
      ["UnsupportedOperation.InstanceStateShutdown", { InstanceIds: [shut], InstanceChargePrepaid: month }, shut],
      ["InvalidPeriod", { InstanceIds: [pre], InstanceChargePrepaid: { Period: 13 } }, "InstanceChargePrepaid.Period"],
      ["InvalidParameterValue", { InstanceIds: [pre], InstanceChargePrepaid: { Period: "one" } }, "InstanceChargePrepaid.Period"],
      ["InvalidParameterValue", { InstanceIds: [pre], InstanceChargePrepaid: { Period: 1, RenewFlag: "AUTO" } }, "RenewFlag"],
      ["MissingParameter", { InstanceIds: [pre] }, "InstanceChargePrepaid"],
      ["InvalidParameterValue.LimitExceeded", { InstanceIds: unknownIds(101), InstanceChargePrepaid: month }, "InstanceIds"],
    ];
    for (const [code, params, what] of cases) {
      await refused(c, ids, () => c.RenewInstances(params), code, what);
      await refused(c, ids, () => c.InquiryPriceRenewInstances(params), code, what);
    }
    assert.deepEqual(await billing(c, pre),
      { type: "PREPAID", expires: "2023-12-14T22:13:20Z", flag: "NOTIFY_AND_MANUAL_RENEW", restrict: "NORMAL" });
  } finally {
    await server.stop();
  }
});

test("InquiryPriceRenewInstances: the instance and its prepaid bandwidth for the period, summed over the batch, as the document's example shapes Price (D-188)", async () => {
  const { server, c } = await start();
  try {
    const a = await prepaid(server, c, 1, undefined, PREPAID_BANDWIDTH);
    const b = await prepaid(server, c, 1);
    const before = await snapshot(c, [a, b]);

    const r = await c.InquiryPriceRenewInstances({ InstanceIds: [a], InstanceChargePrepaid: { Period: 1 } });
    assert.deepEqual(prepaidItem(r.Price.InstancePrice), { OriginalPrice: 45, DiscountPrice: 45 });
    assert.deepEqual(prepaidItem(r.Price.BandwidthPrice), { OriginalPrice: 100, DiscountPrice: 100 });
    // Twelve months cost 83% of their price; the instances add up. b has no
    // prepaid bandwidth, a's is counted once.
    const year = await c.InquiryPriceRenewInstances({ InstanceIds: [a, b], InstanceChargePrepaid: { Period: 12 } });
    assert.deepEqual(prepaidItem(year.Price.InstancePrice), { OriginalPrice: 1080, DiscountPrice: 896.4 });
    assert.deepEqual(prepaidItem(year.Price.BandwidthPrice), { OriginalPrice: 1200, DiscountPrice: 996 });
    const onlyB = await c.InquiryPriceRenewInstances({ InstanceIds: [b], InstanceChargePrepaid: { Period: 1 } });
    assert.deepEqual(prepaidItem(onlyB.Price.InstancePrice), { OriginalPrice: 45, DiscountPrice: 45 });
    assert.ok(onlyB.Price.BandwidthPrice == null, `no prepaid bandwidth: ${JSON.stringify(onlyB.Price)}`);

    // DryRun: every check, no price.
    const dry = await sdkError(c.InquiryPriceRenewInstances({ InstanceIds: [a], InstanceChargePrepaid: { Period: 1 }, DryRun: true }));
    assert.equal(dry.code, "DryRunOperation");
    assert.deepEqual(await snapshot(c, [a, b]), before, "inquiries change nothing");
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// ModifyInstancesRenewFlag.

test("ModifyInstancesRenewFlag: NOTIFY_AND_AUTO_RENEW renews at expiry as the clock passes; a manual flag keeps what was renewed (D-184)", async () => {
  const { server, c } = await start();
  try {
    const a = await prepaid(server, c);
    const b = await prepaid(server, c);
    const expiresB = (await billing(c, b)).expires;
    await c.ModifyInstancesRenewFlag({ InstanceIds: [a, b], RenewFlag: "NOTIFY_AND_AUTO_RENEW" });
    assert.deepEqual(await billing(c, a),
      { type: "PREPAID", expires: "2023-12-14T22:13:20Z", flag: "NOTIFY_AND_AUTO_RENEW", restrict: "NORMAL" });
    assert.equal((await billing(c, b)).flag, "NOTIFY_AND_AUTO_RENEW");

    await advance(server, 31 * DAY); // past 2023-12-14T22:13:20Z
    assert.deepEqual(await billing(c, a),
      { type: "PREPAID", expires: "2024-01-14T22:13:20Z", flag: "NOTIFY_AND_AUTO_RENEW", restrict: "NORMAL" });

    await c.ModifyInstancesRenewFlag({ InstanceIds: [a], RenewFlag: "NOTIFY_AND_MANUAL_RENEW" });
    assert.deepEqual(await billing(c, a),
      { type: "PREPAID", expires: "2024-01-14T22:13:20Z", flag: "NOTIFY_AND_MANUAL_RENEW", restrict: "NORMAL" });
    await advance(server, 31 * DAY); // past 2024-01-14T22:13:20Z
    assert.deepEqual(await billing(c, a),
      { type: "PREPAID", expires: "2024-01-14T22:13:20Z", flag: "NOTIFY_AND_MANUAL_RENEW", restrict: "EXPIRED" });
    // b went on renewing itself, a month at a time.
    const b2 = new Date(expiresB);
    b2.setUTCMonth(b2.getUTCMonth() + 2);
    assert.deepEqual(await billing(c, b),
      { type: "PREPAID", expires: b2.toISOString().replace(".000Z", "Z"), flag: "NOTIFY_AND_AUTO_RENEW", restrict: "NORMAL" });
  } finally {
    await server.stop();
  }
});

test("ModifyInstancesRenewFlag: pay-as-you-go and EXPIRED instances cannot renew themselves, bad IDs and flags, more than 100 IDs; nothing changes", async () => {
  const { server, c } = await start();
  try {
    const pre = await prepaid(server, c);
    const hourly = await running(server, c);
    const shut = await prepaid(server, c);
    await c.TerminateInstances({ InstanceIds: [shut] });
    const ids = [pre, hourly, shut];
    const call = (params) => () => c.ModifyInstancesRenewFlag(params);
    await refused(c, ids, call({ InstanceIds: [pre, shut], RenewFlag: "NOTIFY_AND_AUTO_RENEW" }),
      "UnsupportedOperation.InstanceStateShutdown", shut);
    await refused(c, ids, call({ InstanceIds: [pre, hourly], RenewFlag: "NOTIFY_AND_AUTO_RENEW" }),
      "InvalidInstance.NotSupported", hourly);
    await refused(c, ids, call({ InstanceIds: [pre, "ins-1122"], RenewFlag: "NOTIFY_AND_AUTO_RENEW" }),
      "InvalidInstanceId.Malformed", "ins-1122");
    await refused(c, ids, call({ InstanceIds: [pre, UNKNOWN_ID], RenewFlag: "NOTIFY_AND_AUTO_RENEW" }),
      "InvalidInstanceId.NotFound", UNKNOWN_ID);
    await refused(c, ids, call({ InstanceIds: [pre], RenewFlag: "AUTO" }), "InvalidParameterValue", "RenewFlag");
    await refused(c, ids, call({ InstanceIds: unknownIds(101), RenewFlag: "NOTIFY_AND_AUTO_RENEW" }),
      "InvalidParameterValue.LimitExceeded", "InstanceIds");
    await refused(c, ids, call({ InstanceIds: [pre] }), "MissingParameter", "RenewFlag");

    // EXPIRED: it would renew itself retroactively; it is renewed by hand first (D-184).
    await advance(server, 31 * DAY);
    assert.equal((await billing(c, pre)).restrict, "EXPIRED");
    await refused(c, ids, call({ InstanceIds: [pre], RenewFlag: "NOTIFY_AND_AUTO_RENEW" }),
      "InvalidInstance.NotSupported", "RenewInstances");
    await c.ModifyInstancesRenewFlag({ InstanceIds: [pre], RenewFlag: "DISABLE_NOTIFY_AND_MANUAL_RENEW" });
    assert.deepEqual(await billing(c, pre),
      { type: "PREPAID", expires: "2023-12-14T22:13:20Z", flag: "DISABLE_NOTIFY_AND_MANUAL_RENEW", restrict: "EXPIRED" });
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// ModifyInstancesChargeType and InquiryPriceModifyInstancesChargeType.

test("ModifyInstancesChargeType: POSTPAID_BY_HOUR instances become PREPAID until now plus Period months, then expire on the clock (D-185)", async () => {
  const { server, c } = await start();
  try {
    const a = await running(server, c, TRAFFIC);
    const b = await running(server, c);
    const hourly = await one(c, a);
    assert.equal(hourly.InstanceChargeType, "POSTPAID_BY_HOUR");
    assert.equal(hourly.ExpiredTime, null);

    // Converted at 2023-11-15T00:00:00Z.
    await control(server, "clock/set", { time: "2023-11-15T00:00:00Z" });
    await c.ModifyInstancesChargeType({ InstanceIds: [a, b], InstanceChargeType: "PREPAID",
      InstanceChargePrepaid: { Period: 3, RenewFlag: "NOTIFY_AND_AUTO_RENEW" } });
    for (const id of [a, b]) {
      assert.deepEqual(await billing(c, id),
        { type: "PREPAID", expires: "2024-02-15T00:00:00Z", flag: "NOTIFY_AND_AUTO_RENEW", restrict: "NORMAL" });
    }
    // The bandwidth stays as it was.
    assert.deepEqual((await one(c, a)).InternetAccessible, hourly.InternetAccessible);
    const filtered = await c.DescribeInstances({ Filters: [{ Name: "instance-charge-type", Values: ["PREPAID"] }] });
    assert.equal(filtered.TotalCount, 2);

    // A manual flag: EXPIRED after ExpiredTime, and TerminateInstances shuts it down.
    await c.ModifyInstancesRenewFlag({ InstanceIds: [a], RenewFlag: "NOTIFY_AND_MANUAL_RENEW" });
    await advance(server, 92 * DAY - 1); // a second before 2024-02-15T00:00:00Z
    assert.equal((await billing(c, a)).restrict, "NORMAL");
    await advance(server, 1);
    assert.equal((await billing(c, a)).restrict, "EXPIRED");
    assert.deepEqual(await billing(c, b),
      { type: "PREPAID", expires: "2024-03-15T00:00:00Z", flag: "NOTIFY_AND_AUTO_RENEW", restrict: "NORMAL" });
    await c.TerminateInstances({ InstanceIds: [a] });
    assert.equal((await one(c, a)).InstanceState, "SHUTDOWN");
  } finally {
    await server.stop();
  }
});

test("ModifyInstancesChargeType and its inquiry: every refusal has the same code and changes nothing", async () => {
  const { server, c } = await start();
  try {
    const hourly = await running(server, c);
    const pre = await prepaid(server, c);
    // ActionTime is Beijing time (UTC+8), a day from now.
    const tomorrow = new Date((await nowMs(server)) + DAY * 1000 + 8 * 3600 * 1000);
    const actionTime = tomorrow.toISOString().slice(0, 19).replace("T", " ");
    const timed = await running(server, c, { ActionTimer: { TimerAction: "TerminateInstances", ActionTime: actionTime } });
    const ids = [hourly, pre, timed];
    const params = (extra) => ({ InstanceIds: [hourly], InstanceChargeType: "PREPAID",
      InstanceChargePrepaid: { Period: 1 }, ...extra });
    const cases = [
      ["InvalidInstance.NotSupported", params({ InstanceIds: [hourly, pre] }), pre],
      ["InvalidInstance.NotSupported", params({ InstanceIds: [timed] }), "ActionTimer"],
      ["MissingParameter", { InstanceIds: [hourly], InstanceChargeType: "PREPAID" }, "InstanceChargePrepaid"],
      ["InvalidParameterValue", params({ InstanceChargeType: "POSTPAID_BY_HOUR" }), "InstanceChargeType"],
      ["InvalidPeriod", params({ InstanceChargePrepaid: { Period: 18 } }), "InstanceChargePrepaid.Period"],
      ["InvalidInstanceId.Malformed", params({ InstanceIds: [hourly, "ins-1122"] }), "ins-1122"],
      ["InvalidInstanceId.NotFound", params({ InstanceIds: [hourly, UNKNOWN_ID] }), UNKNOWN_ID],
    ];
    for (const [code, p, what] of cases) {
      await refused(c, ids, () => c.ModifyInstancesChargeType(p), code, what);
      await refused(c, ids, () => c.InquiryPriceModifyInstancesChargeType(p), code, what);
    }
    // A v1 client flattens the list and leaves the null out: InstanceIds.0
    // and InstanceIds.2, a gap in the indexes.
    const v1 = client(server, { signMethod: "HmacSHA256" });
    const gap = params({ InstanceIds: [hourly, null, hourly] });
    await refused(c, ids, () => v1.ModifyInstancesChargeType(gap), "InvalidParameter", "InstanceIds.1");
    await refused(c, ids, () => v1.InquiryPriceModifyInstancesChargeType(gap), "InvalidParameter", "InstanceIds.1");
    assert.equal((await billing(c, hourly)).type, "POSTPAID_BY_HOUR");
  } finally {
    await server.stop();
  }
});

test("InquiryPriceModifyInstancesChargeType: the instances as PREPAID for the period, bandwidth staying pay-as-you-go (D-188)", async () => {
  const { server, c } = await start();
  try {
    const a = await running(server, c, TRAFFIC);
    const b = await running(server, c);
    const before = await snapshot(c, [a, b]);
    const month = await c.InquiryPriceModifyInstancesChargeType({ InstanceIds: [a, b], InstanceChargeType: "PREPAID",
      InstanceChargePrepaid: { Period: 1 } });
    assert.deepEqual(prepaidItem(month.Price.InstancePrice), { OriginalPrice: 90, DiscountPrice: 90 });
    assert.ok(month.Price.BandwidthPrice == null, JSON.stringify(month.Price));
    const threeYears = await c.InquiryPriceModifyInstancesChargeType({ InstanceIds: [a], InstanceChargeType: "PREPAID",
      InstanceChargePrepaid: { Period: 36 } });
    assert.deepEqual(prepaidItem(threeYears.Price.InstancePrice), { OriginalPrice: 1620, DiscountPrice: 810 });
    assert.deepEqual(await snapshot(c, [a, b]), before, "the inquiry changes nothing");
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// ResetInstancesInternetMaxBandwidth and its inquiry.

test("ResetInstancesInternetMaxBandwidth: pay-as-you-go bandwidth of a batch changes at once, up and down", async () => {
  const { server, c } = await start();
  try {
    const a = await running(server, c, TRAFFIC);
    const a2 = await running(server, c, { InternetAccessible: { InternetMaxBandwidthOut: 20 } });
    const b = await running(server, c, { InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 20 } });
    await c.ResetInstancesInternetMaxBandwidth({ InstanceIds: [a, a2], InternetAccessible: { InternetMaxBandwidthOut: 100 } });
    await c.ResetInstancesInternetMaxBandwidth({ InstanceIds: [b], InternetAccessible: { InternetMaxBandwidthOut: 3 } });
    assert.equal(await bandwidth(c, a), 100);
    assert.equal(await bandwidth(c, a2), 100);
    assert.equal(await bandwidth(c, b), 3);
    await c.ResetInstancesInternetMaxBandwidth({ InstanceIds: [a], InternetAccessible: { InternetMaxBandwidthOut: 1 } });
    const ia = (await one(c, a)).InternetAccessible;
    assert.equal(ia.InternetMaxBandwidthOut, 1);
    assert.equal(ia.InternetChargeType, "TRAFFIC_POSTPAID_BY_HOUR");
    assert.equal(ia.PublicIpAssigned, true);
    await advance(server, 3 * DAY);
    assert.equal(await bandwidth(c, a), 1, "a pay-as-you-go change does not fall back");
  } finally {
    await server.stop();
  }
});

test("ResetInstancesInternetMaxBandwidth: BANDWIDTH_PREPAID is raised from 00:00 UTC+8 of StartTime to the end of EndTime's day, then falls back (D-180)", async () => {
  const { server, c } = await start();
  try {
    const id = await prepaid(server, c, 1, undefined, PREPAID_BANDWIDTH);
    const startedAt = await nowMs(server);
    await c.ResetInstancesInternetMaxBandwidth({ InstanceIds: [id], InternetAccessible: { InternetMaxBandwidthOut: 20 },
      StartTime: "2023-11-17", EndTime: "2023-11-18" });
    assert.equal(await bandwidth(c, id), 5, "not before StartTime");
    // 2023-11-17T00:00:00+08:00 is 2023-11-16T16:00:00Z.
    const untilStart = (Date.parse("2023-11-16T16:00:00Z") - startedAt) / 1000;
    await advance(server, untilStart - 1);
    assert.equal(await bandwidth(c, id), 5);
    await advance(server, 1);
    assert.equal(await bandwidth(c, id), 20);
    await advance(server, 2 * DAY - 1);
    assert.equal(await bandwidth(c, id), 20);
    await advance(server, 1); // 2023-11-19T00:00:00+08:00
    assert.equal(await bandwidth(c, id), 5);
    assert.equal((await one(c, id)).InternetAccessible.InternetChargeType, "BANDWIDTH_PREPAID");

    // A raise from today is in force at once, until the end of the day in UTC+8.
    await c.ResetInstancesInternetMaxBandwidth({ InstanceIds: [id], InternetAccessible: { InternetMaxBandwidthOut: 50 },
      StartTime: "2023-11-19", EndTime: "2023-11-19" });
    assert.equal(await bandwidth(c, id), 50);
    await advance(server, DAY - 1);
    assert.equal(await bandwidth(c, id), 50);
    await advance(server, 1);
    assert.equal(await bandwidth(c, id), 5);
  } finally {
    await server.stop();
  }
});

test("ResetInstancesInternetMaxBandwidth and its inquiry: every refusal has the same code and changes nothing", async () => {
  const { server, c } = await start();
  try {
    const traffic = await running(server, c, TRAFFIC);
    const pre = await prepaid(server, c, 1, undefined, PREPAID_BANDWIDTH);
    const noIp = await running(server, c);
    const pkg = await running(server, c, { InternetAccessible: { InternetChargeType: "BANDWIDTH_PACKAGE", InternetMaxBandwidthOut: 5 } });
    const byHour = { InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5 } };
    const hour1 = await running(server, c, byHour);
    const hour2 = await running(server, c, byHour);
    const shut = await prepaid(server, c, 1, undefined, PREPAID_BANDWIDTH);
    await c.TerminateInstances({ InstanceIds: [shut] });
    await c.ResetInstancesInternetMaxBandwidth({ InstanceIds: [pre], InternetAccessible: { InternetMaxBandwidthOut: 10 },
      StartTime: "2023-11-20", EndTime: "2023-11-25" });
    const ids = [traffic, pre, noIp, pkg, hour1, hour2, shut];
    const reset = (instanceIds, mbps, extra = {}) =>
      ({ InstanceIds: instanceIds, InternetAccessible: { InternetMaxBandwidthOut: mbps }, ...extra });
    const dates = (StartTime, EndTime) => ({ StartTime, EndTime });
    const cases = [
      ["InvalidInstanceId.Malformed", reset([traffic, "ins-1122"], 50), "ins-1122"],
      ["InvalidInstanceId.NotFound", reset([traffic, UNKNOWN_ID], 50), UNKNOWN_ID],
      ["InvalidInstance.NotSupported", reset([noIp], 5), "public IP"],
      ["InvalidParameter", reset([traffic], 10, { StartTime: "2023-11-16" }), "StartTime"],
      ["InvalidParameter", reset([traffic], 10, { EndTime: "2023-11-16" }), "EndTime"],
      ["MissingParameter", reset([pre], 10), "StartTime"],
      ["MissingParameter", reset([pre], 10, { StartTime: "2023-11-16" }), "EndTime"],
      ["MissingParameter", { InstanceIds: [traffic] }, "InternetAccessible"],
      ["InvalidParameterValue", reset([pre], 10, dates("2023-11-31", "2023-12-01")), "StartTime"],
      ["InvalidParameterValue", reset([pre], 10, dates("2023-11-14", "2023-11-16")), "StartTime"],
      ["InvalidParameterValue", reset([pre], 10, dates("2023-11-16", "2023-12-16")), "EndTime"],
      ["InvalidParameterValue", reset([pre], 10, dates("2023-11-18", "2023-11-16")), "EndTime"],
      ["InvalidParameterValue", reset([pre], 20, dates("2023-11-25", "2023-11-26")), "overlaps"],
      ["InvalidParameterValue", reset([pre], 10, dates("2023/11/16", "2023-11-17")), "StartTime"],
      ["InvalidParameterValue.Range", reset([traffic], 101), "at most 100"],
      ["InvalidParameterValue.Range", reset([traffic], -1), "InternetAccessible.InternetMaxBandwidthOut"],
      ["InvalidParameterValue.Range", reset([pre], 4, dates("2023-11-16", "2023-11-17")), "raised"],
      ["InvalidParameterValue.LimitExceeded", reset(unknownIds(101), 10), "InstanceIds"],
      ["InvalidParameterCombination", reset([traffic, pkg], 10), pkg],
      ["InvalidParameterCombination", reset([hour1, hour2], 10), "BANDWIDTH_POSTPAID_BY_HOUR"],
      ["InvalidParameter", { InstanceIds: [traffic], InternetAccessible: { InternetChargeType: "BANDWIDTH_PACKAGE",
        InternetMaxBandwidthOut: 10 } }, "InternetChargeType"],
      ["UnsupportedOperation.InstanceStateShutdown", reset([shut], 10, dates("2023-11-16", "2023-11-17")), shut],
    ];
    const configs = async () => (await c.DescribeInstanceInternetBandwidthConfigs({ InstanceId: pre })).InternetBandwidthConfigSet;
    const history = await configs();
    assert.equal(history.length, 3, JSON.stringify(history));
    for (const [code, p, what] of cases) {
      await refused(c, ids, () => c.ResetInstancesInternetMaxBandwidth(p), code, what);
      await refused(c, ids, () => c.InquiryPriceResetInstancesInternetMaxBandwidth(p), code, what);
    }
    assert.deepEqual(await configs(), history, "no raise was recorded");
  } finally {
    await server.stop();
  }
});

test("InquiryPriceResetInstancesInternetMaxBandwidth: the document's example (traffic at 0.80 per GB), hourly bandwidth per hour, a prepaid raise for its days (D-182)", async () => {
  const { server, c } = await start();
  try {
    const traffic = await running(server, c, TRAFFIC);
    const byHour = await running(server, c, { InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5 } });
    const pkg = await running(server, c, { InternetAccessible: { InternetChargeType: "BANDWIDTH_PACKAGE", InternetMaxBandwidthOut: 5 } });
    const pre = await prepaid(server, c, 1, undefined, PREPAID_BANDWIDTH);
    const ids = [traffic, byHour, pkg, pre];
    const before = await snapshot(c, ids);
    const price = async (p) => (await c.InquiryPriceResetInstancesInternetMaxBandwidth(p)).Price;

    const t = await price({ InstanceIds: [traffic], InternetAccessible: { InternetMaxBandwidthOut: 20 } });
    assert.ok(t.InstancePrice == null, JSON.stringify(t));
    assert.equal(t.BandwidthPrice.ChargeUnit, "GB");
    assert.equal(t.BandwidthPrice.UnitPrice, 0.8);
    const h = await price({ InstanceIds: [byHour], InternetAccessible: { InternetMaxBandwidthOut: 10 } });
    assert.equal(h.BandwidthPrice.ChargeUnit, "HOUR");
    assert.equal(h.BandwidthPrice.UnitPrice, 1.57);
    const k = await price({ InstanceIds: [pkg], InternetAccessible: { InternetMaxBandwidthOut: 10 } });
    assert.ok(k.InstancePrice == null && k.BandwidthPrice == null, JSON.stringify(k));
    // 5 → 10 Mbps: 400.00 more a month, for 3 days of 30.
    const p = await price({ InstanceIds: [pre], InternetAccessible: { InternetMaxBandwidthOut: 10 },
      StartTime: "2023-11-20", EndTime: "2023-11-22" });
    assert.deepEqual(prepaidItem(p.BandwidthPrice), { OriginalPrice: 40, DiscountPrice: 40 });
    assert.deepEqual(await snapshot(c, ids), before, "inquiries change nothing");
    assert.equal((await c.DescribeInstanceInternetBandwidthConfigs({ InstanceId: pre })).InternetBandwidthConfigSet.length, 1,
      "the inquiry recorded no raise");
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------
// Codes that cannot arise by themselves (D-187).

test("the codes the seven actions list but cannot produce come through the fault path once, change nothing, and the call then succeeds", async () => {
  const { server, c } = await start();
  try {
    const pre = await prepaid(server, c, 1, undefined, PREPAID_BANDWIDTH);
    const hourly = await running(server, c, TRAFFIC);
    const ids = [pre, hourly];
    const month = { Period: 1 };
    const calls = {
      RenewInstances: [() => c.RenewInstances({ InstanceIds: [pre], InstanceChargePrepaid: month }),
        ["InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder"]],
      InquiryPriceRenewInstances: [() => c.InquiryPriceRenewInstances({ InstanceIds: [pre], InstanceChargePrepaid: month }),
        ["InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder"]],
      ModifyInstancesRenewFlag: [() => c.ModifyInstancesRenewFlag({ InstanceIds: [pre], RenewFlag: "NOTIFY_AND_MANUAL_RENEW" }),
        ["InternalServerError"]],
      InquiryPriceModifyInstancesChargeType: [() => c.InquiryPriceModifyInstancesChargeType({ InstanceIds: [hourly],
        InstanceChargeType: "PREPAID", InstanceChargePrepaid: month }), ["InternalServerError", "InvalidPermission"]],
      ResetInstancesInternetMaxBandwidth: [() => c.ResetInstancesInternetMaxBandwidth({ InstanceIds: [hourly],
        InternetAccessible: { InternetMaxBandwidthOut: 5 } }),
        ["InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder", "InvalidPermission"]],
      InquiryPriceResetInstancesInternetMaxBandwidth: [() => c.InquiryPriceResetInstancesInternetMaxBandwidth({ InstanceIds: [hourly],
        InternetAccessible: { InternetMaxBandwidthOut: 5 } }),
        ["InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder", "InvalidPermission"]],
      // Last: it makes `hourly` PREPAID.
      ModifyInstancesChargeType: [() => c.ModifyInstancesChargeType({ InstanceIds: [hourly],
        InstanceChargeType: "PREPAID", InstanceChargePrepaid: month }),
        ["InternalServerError", "InvalidAccount.InsufficientBalance", "InvalidAccount.UnpaidOrder", "InvalidPermission"]],
    };
    for (const [action, [call, codes]] of Object.entries(calls)) {
      for (const code of codes) {
        const set = await control(server, "faults", { action, code, count: 1 });
        assert.equal(set.faults.length, 1, JSON.stringify(set));
        await refused(c, ids, call, code);
      }
      await call();
    }
    assert.equal((await billing(c, pre)).expires, "2024-01-14T22:13:20Z", "renewed once, by the call after the faults");
    assert.equal((await billing(c, hourly)).type, "PREPAID");
  } finally {
    await server.stop();
  }
});
