// ResetInstancesType, ResizeInstanceDisks, ModifyInstancesVpcAttribute and
// the two price inquiries end to end through the official SDK, the clock
// advanced through POST /_emulator/clock/advance (docs/decisions.md D-131,
// D-133, D-170..D-174).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer, client, sdkError } from "./harness.mjs";

const ZONE = "ap-guangzhou-3";
const IMAGE = "img-eb30mz89"; // CentOS 7.5 64位

function runParams(extra = {}) {
  return { Placement: { Zone: ZONE }, ImageId: IMAGE, ...extra };
}

async function advance(server, seconds) {
  const r = await server.control("clock/advance", { seconds });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

async function describe(c, id) {
  const r = await c.DescribeInstances({ InstanceIds: [id] });
  assert.equal(r.InstanceSet.length, 1);
  return r.InstanceSet[0];
}

async function running(server, c, extra = {}) {
  const [id] = (await c.RunInstances(runParams(extra))).InstanceIdSet;
  await advance(server, 10);
  assert.equal((await describe(c, id)).InstanceState, "RUNNING");
  return id;
}

async function stopped(server, c, extra = {}) {
  const id = await running(server, c, extra);
  await c.StopInstances({ InstanceIds: [id] });
  await advance(server, 5);
  assert.equal((await describe(c, id)).InstanceState, "STOPPED");
  return id;
}

// After a ForceStop change on a RUNNING instance: STOPPING, STARTING, RUNNING
// on the clock (5 s each by default), with `check` true all along.
async function expectStopChangeStart(server, c, id, check) {
  for (const state of ["STOPPING", "STARTING", "RUNNING"]) {
    const inst = await describe(c, id);
    assert.equal(inst.InstanceState, state);
    check(inst);
    await advance(server, 5);
  }
}

const DATA_DISK = { DataDisks: [{ DiskType: "CLOUD_BASIC", DiskSize: 100 }] };

test("ResetInstancesType: STOPPED stays STOPPED; RUNNING needs ForceStop and goes STOPPING, STARTING, RUNNING with the new type", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const off = await stopped(server, c);
    await c.ResetInstancesType({ InstanceIds: [off], InstanceType: "S1.MEDIUM4" });
    let inst = await describe(c, off);
    assert.deepEqual([inst.InstanceType, inst.CPU, inst.Memory, inst.InstanceState], ["S1.MEDIUM4", 2, 4, "STOPPED"]);

    const on = await running(server, c);
    const refused = await sdkError(c.ResetInstancesType({ InstanceIds: [on], InstanceType: "S1.SMALL2" }));
    assert.equal(refused.code, "UnsupportedOperation.InstanceStateRunning");
    await c.ResetInstancesType({ InstanceIds: [on], InstanceType: "S1.SMALL2", ForceStop: true });
    const busy = await sdkError(c.ResetInstancesType({ InstanceIds: [on], InstanceType: "S1.SMALL4", ForceStop: true }));
    assert.equal(busy.code, "MutexOperation.TaskRunning");
    await expectStopChangeStart(server, c, on, (i) => assert.deepEqual([i.InstanceType, i.Memory], ["S1.SMALL2", 2]));

    for (const [params, code] of [
      [{ InstanceIds: [off], InstanceType: "S2.SMALL2" }, "InvalidParameterValue"],
      [{ InstanceIds: [off], InstanceType: "S1.HUGE1" }, "InvalidParameterValue"],
      [{ InstanceIds: [off, on], InstanceType: "S1.SMALL2" }, "InvalidParameterValue.LimitExceeded"],
      [{ InstanceIds: ["ins-zzzzzzzz"], InstanceType: "S1.SMALL2" }, "InvalidInstanceId.NotFound"],
      [{ InstanceIds: ["ins-1"], InstanceType: "S1.SMALL2" }, "InvalidInstanceId.Malformed"],
    ]) {
      assert.equal((await sdkError(c.ResetInstancesType(params))).code, code, JSON.stringify(params));
    }
    const local = await stopped(server, c, { SystemDisk: { DiskType: "LOCAL_BASIC", DiskSize: 50 } });
    const notSupported = await sdkError(c.ResetInstancesType({ InstanceIds: [local], InstanceType: "S1.SMALL2" }));
    assert.equal(notSupported.code, "InvalidInstance.NotSupported");
  } finally {
    await server.stop();
  }
});

test("ResizeInstanceDisks: the data disk grows in 10 GB steps; RUNNING with ForceStop restarts on the clock", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const off = await stopped(server, c, DATA_DISK);
    await c.ResizeInstanceDisks({ InstanceId: off, DataDisks: [{ DiskSize: 200 }] });
    let inst = await describe(c, off);
    assert.equal(inst.DataDisks[0].DiskSize, 200);
    assert.equal(inst.InstanceState, "STOPPED");
    for (const size of [200, 150, 205, 16010]) {
      const e = await sdkError(c.ResizeInstanceDisks({ InstanceId: off, DataDisks: [{ DiskSize: size }] }));
      assert.equal(e.code, "InvalidParameterValue.Range", `size ${size}`);
    }
    const none = await stopped(server, c);
    assert.equal((await sdkError(c.ResizeInstanceDisks({ InstanceId: none, DataDisks: [{ DiskSize: 200 }] }))).code, "InvalidParameterValue");

    const on = await running(server, c, DATA_DISK);
    const refused = await sdkError(c.ResizeInstanceDisks({ InstanceId: on, DataDisks: [{ DiskSize: 300 }] }));
    assert.equal(refused.code, "UnsupportedOperation.InstanceStateRunning");
    const diskId = (await describe(c, on)).DataDisks[0].DiskId;
    await c.ResizeInstanceDisks({ InstanceId: on, DataDisks: [{ DiskId: diskId, DiskSize: 300 }], ForceStop: true });
    await expectStopChangeStart(server, c, on, (i) => assert.equal(i.DataDisks[0].DiskSize, 300));
  } finally {
    await server.stop();
  }
});

test("ModifyInstancesVpcAttribute: ForceStop TRUE by default; address checks; VpcIdNotMatch; a batch moves together", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const vpcA = { VirtualPrivateCloud: { VpcId: "vpc-aaaa1111", SubnetId: "subnet-aaaa1111", PrivateIpAddresses: ["10.1.1.9"] } };
    const on = await running(server, c, vpcA);
    await c.ModifyInstancesVpcAttribute({
      InstanceIds: [on],
      VirtualPrivateCloud: { VpcId: "vpc-bbbb2222", SubnetId: "subnet-bbbb2222", PrivateIpAddresses: ["10.2.2.7"] },
    });
    await expectStopChangeStart(server, c, on, (i) => {
      assert.equal(i.VirtualPrivateCloud.VpcId, "vpc-bbbb2222");
      assert.equal(i.VirtualPrivateCloud.SubnetId, "subnet-bbbb2222");
      assert.deepEqual(i.PrivateIpAddresses, ["10.2.2.7"]);
    });

    const a = await stopped(server, c, { VirtualPrivateCloud: { VpcId: "vpc-aaaa1111", SubnetId: "subnet-aaaa1111" } });
    const b = await running(server, c, { VirtualPrivateCloud: { VpcId: "vpc-aaaa1111", SubnetId: "subnet-aaaa1111" } });
    const move = (ids, vpc, extra = {}) => ({ InstanceIds: ids, VirtualPrivateCloud: vpc, ...extra });
    for (const [params, code] of [
      [move([a], { VpcId: "vpc-cccc3333", SubnetId: "subnet-bbbb2222" }), "VpcIdNotMatch"],
      [move([a], { VpcId: "vpc-bbbb2222", SubnetId: "subnet-bbbb2222", PrivateIpAddresses: ["10.9.9.9"] }), "VpcAddrNotInSubNet"],
      [move([a], { VpcId: "vpc-bbbb2222", SubnetId: "subnet-bbbb2222", PrivateIpAddresses: ["10.2.2.7"] }), "VpcIpsUsed"],
      [move([a, b], { VpcId: "vpc-bbbb2222", SubnetId: "subnet-bbbb2222", PrivateIpAddresses: ["10.2.2.20"] }), "InvalidParameterValue"],
      [move([a, b], { VpcId: "vpc-bbbb2222", SubnetId: "subnet-bbbb2222" }, { ForceStop: false }), "UnsupportedOperation.InstanceStateRunning"],
      [move([a, "ins-zzzzzzzz"], { VpcId: "vpc-bbbb2222", SubnetId: "subnet-bbbb2222" }), "InvalidInstanceId.NotFound"],
    ]) {
      assert.equal((await sdkError(c.ModifyInstancesVpcAttribute(params))).code, code, JSON.stringify(params));
    }
    // Nothing of the refused batches moved.
    assert.equal((await describe(c, a)).VirtualPrivateCloud.VpcId, "vpc-aaaa1111");
    assert.equal((await describe(c, b)).VirtualPrivateCloud.VpcId, "vpc-aaaa1111");

    await c.ModifyInstancesVpcAttribute(move([a, b], { VpcId: "vpc-bbbb2222", SubnetId: "subnet-bbbb2222", PrivateIpAddresses: ["10.2.2.20", "10.2.2.21"] }));
    assert.equal((await describe(c, a)).InstanceState, "STOPPED");
    assert.deepEqual((await describe(c, a)).PrivateIpAddresses, ["10.2.2.20"]);
    assert.equal((await describe(c, b)).InstanceState, "STOPPING");
    assert.deepEqual((await describe(c, b)).PrivateIpAddresses, ["10.2.2.21"]);
  } finally {
    await server.stop();
  }
});

test("InquiryPriceResetInstancesType and InquiryPriceResizeInstanceDisks: their actions' refusals with the same codes, the price of the change, nothing changed", async () => {
  const server = await startServer();
  try {
    const c = client(server);
    const off = await stopped(server, c, DATA_DISK);
    const on = await running(server, c, DATA_DISK);
    for (const params of [
      { InstanceIds: [off], InstanceType: "S2.SMALL2" },
      { InstanceIds: [off], InstanceType: "S1.SMALL1" },
      { InstanceIds: ["ins-zzzzzzzz"], InstanceType: "S1.SMALL2" },
      { InstanceIds: [on], InstanceType: "S1.SMALL2" },
    ]) {
      const action = await sdkError(c.ResetInstancesType(params));
      const inquiry = await sdkError(c.InquiryPriceResetInstancesType(params));
      assert.equal(inquiry.code, action.code, JSON.stringify(params));
      assert.equal(inquiry.message, action.message);
    }
    for (const params of [
      { InstanceId: off, DataDisks: [{ DiskSize: 50 }] },
      { InstanceId: off, DataDisks: [{ DiskSize: 105 }] },
      { InstanceId: off, DataDisks: [{ DiskId: "disk-zzzzzzzz", DiskSize: 200 }] },
      { InstanceId: on, DataDisks: [{ DiskSize: 200 }] },
    ]) {
      const action = await sdkError(c.ResizeInstanceDisks(params));
      const inquiry = await sdkError(c.InquiryPriceResizeInstanceDisks(params));
      assert.equal(inquiry.code, action.code, JSON.stringify(params));
      assert.equal(inquiry.message, action.message);
    }

    // S1.SMALL2 0.54 − S1.SMALL1 0.34 an hour; 100 GB more CLOUD_BASIC at 0.0004.
    const type = await c.InquiryPriceResetInstancesType({ InstanceIds: [on], InstanceType: "S1.SMALL2", ForceStop: true });
    assert.deepEqual(type.Price.InstancePrice, { UnitPrice: 0.2, ChargeUnit: "HOUR", OriginalPrice: null, DiscountPrice: null });
    assert.equal(type.Price.BandwidthPrice, null);
    const disk = await c.InquiryPriceResizeInstanceDisks({ InstanceId: off, DataDisks: [{ DiskSize: 200 }] });
    assert.deepEqual(disk.Price.InstancePrice, { UnitPrice: 0.04, ChargeUnit: "HOUR", OriginalPrice: null, DiscountPrice: null });

    // A PREPAID instance: the difference for the month left (65.00 − 45.00).
    const prepaid = await stopped(server, c, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } });
    const upfront = await c.InquiryPriceResetInstancesType({ InstanceIds: [prepaid], InstanceType: "S1.SMALL2" });
    assert.deepEqual(upfront.Price.InstancePrice, { UnitPrice: null, ChargeUnit: null, OriginalPrice: 20, DiscountPrice: 20 });

    // Nothing changed.
    const inst = await describe(c, on);
    assert.deepEqual([inst.InstanceType, inst.InstanceState, inst.DataDisks[0].DiskSize], ["S1.SMALL1", "RUNNING", 100]);
    assert.equal((await describe(c, off)).DataDisks[0].DiskSize, 100);
  } finally {
    await server.stop();
  }
});
