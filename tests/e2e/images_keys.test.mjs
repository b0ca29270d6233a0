// Issue 5, end to end through the official SDK: custom images shared across
// accounts and copied across regions; key pairs bound to instances.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, client, sdkError, DEFAULT_KEY } from "./harness.mjs";

const B_KEY = { secretId: "AKIDbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", secretKey: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" };
const ACCOUNTS = {
  accounts: [
    { AppId: 1250000000, Uin: "100000000001", Name: "a", Keys: [{ SecretId: DEFAULT_KEY.secretId, SecretKey: DEFAULT_KEY.secretKey }] },
    { AppId: 1250000001, Uin: "100000000002", Name: "b", Keys: [{ SecretId: B_KEY.secretId, SecretKey: B_KEY.secretKey }] },
  ],
};
const LINUX_IMAGE = "img-eb30mz89";

let server;
before(async () => {
  server = await startServer({ accounts: ACCOUNTS });
  // Freeze time so nothing moves unless a test advances it.
  await server.control("clock/freeze");
});
after(async () => server?.stop());

const a = (region = "ap-guangzhou", opts = {}) => client(server, { region, ...opts });
const b = (region = "ap-guangzhou") => client(server, { region, credential: B_KEY });
const advance = (seconds) => server.control("clock/advance", { seconds });

async function stateOf(c, id) {
  const r = await c.DescribeInstances({ InstanceIds: [id] });
  return r.InstanceSet[0]?.InstanceState;
}

async function runOne(c, zone, imageId = LINUX_IMAGE, extra = {}) {
  const r = await c.RunInstances({ Placement: { Zone: zone }, ImageId: imageId, ...extra });
  return r.InstanceIdSet[0];
}

async function image(c, id) {
  const r = await c.DescribeImages({ ImageIds: [id] });
  return r.ImageSet[0];
}

test("an image made from an instance is shared with B, used by B, protected while shared, synced and used in another region", async () => {
  // A's instance, stopped, becomes an image.
  const instance = await runOne(a(), "ap-guangzhou-3");
  await advance(10);
  assert.equal(await stateOf(a(), instance), "RUNNING");
  let e = await sdkError(a().CreateImage({ InstanceId: instance, ImageName: "golden" }));
  assert.equal(e.code, "UnsupportedOperation.InstanceStateRunning");
  await a().StopInstances({ InstanceIds: [instance] });
  await advance(5);
  assert.equal(await stateOf(a(), instance), "STOPPED");
  await a().CreateImage({ InstanceId: instance, ImageName: "golden", ImageDescription: "base" });
  const mine = await a().DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] });
  assert.equal(mine.TotalCount, 1);
  const imageId = mine.ImageSet[0].ImageId;
  assert.match(imageId, /^img-[0-9a-z]{8}$/);
  assert.equal(mine.ImageSet[0].ImageState, "CREATING");
  assert.equal(mine.ImageSet[0].ImageCreator, "100000000001");
  // Not usable while CREATING; NORMAL after the creating time.
  e = await sdkError(a().RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: imageId }));
  assert.equal(e.code, "InvalidImageId.IncorrectState");
  await advance(30);
  assert.equal((await image(a(), imageId)).ImageState, "NORMAL");

  // B sees nothing of A's until A shares.
  assert.equal((await b().DescribeImages({ ImageIds: [imageId] })).TotalCount, 0);
  e = await sdkError(b().RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: imageId }));
  assert.equal(e.code, "InvalidImageId.NotFound");
  e = await sdkError(a().ModifyImageSharePermission({ ImageId: imageId, AccountIds: ["100000000009"], Permission: "SHARE" }));
  assert.equal(e.code, "InvalidAccountId.NotFound");
  e = await sdkError(a().ModifyImageSharePermission({ ImageId: imageId, AccountIds: ["100000000001"], Permission: "SHARE" }));
  assert.equal(e.code, "InvalidAccountIs.YourSelf");
  await a().ModifyImageSharePermission({ ImageId: imageId, AccountIds: ["100000000002"], Permission: "SHARE" });
  const perms = await a().DescribeImageSharePermission({ ImageId: imageId });
  assert.deepEqual(perms.SharePermissionSet.map((p) => p.AccountId), ["100000000002"]);
  assert.match(perms.SharePermissionSet[0].CreatedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  // B sees it as shared, runs an instance from it, cannot delete or change it.
  const shared = await image(b(), imageId);
  assert.equal(shared.ImageType, "SHARED_IMAGE");
  const bInstance = await runOne(b(), "ap-guangzhou-3", imageId);
  const bView = (await b().DescribeInstances({ InstanceIds: [bInstance] })).InstanceSet[0];
  assert.equal(bView.ImageId, imageId);
  assert.equal(bView.OsName, shared.OsName);
  e = await sdkError(b().DeleteImages({ ImageIds: [imageId] }));
  assert.equal(e.code, "InvalidImageId.IncorrectState");
  e = await sdkError(b().ModifyImageAttribute({ ImageId: imageId, ImageName: "mine-now" }));
  assert.equal(e.code, "InvalidImageId.IncorrectState");
  // Shares reach the same region only.
  assert.equal((await b("ap-shanghai").DescribeImages({ ImageIds: [imageId] })).TotalCount, 0);

  // A cannot delete it while it is shared; after CANCEL it could.
  e = await sdkError(a().DeleteImages({ ImageIds: [imageId] }));
  assert.equal(e.code, "InvalidImageId.InShared");
  await a().ModifyImageSharePermission({ ImageId: imageId, AccountIds: ["100000000002"], Permission: "CANCEL" });
  assert.equal((await a().DescribeImageSharePermission({ ImageId: imageId })).SharePermissionSet.length, 0);
  assert.equal((await b().DescribeImages({ ImageIds: [imageId] })).TotalCount, 0);

  // A copies it to ap-shanghai: SYNCING there, the source's SyncPercent moves.
  e = await sdkError(a().SyncImages({ ImageIds: [imageId], DestinationRegions: ["ap-guangzhou"] }));
  assert.equal(e.code, "InvalidRegion.Unavailable");
  e = await sdkError(a().SyncImages({ ImageIds: [imageId], DestinationRegions: ["ap-nowhere"] }));
  assert.equal(e.code, "InvalidRegion.NotFound");
  await a().SyncImages({ ImageIds: [imageId], DestinationRegions: ["ap-shanghai"] });
  const copies = await a("ap-shanghai").DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] });
  assert.equal(copies.TotalCount, 1);
  const copyId = copies.ImageSet[0].ImageId;
  assert.notEqual(copyId, imageId);
  assert.equal(copies.ImageSet[0].ImageState, "SYNCING");
  assert.equal((await image(a(), imageId)).SyncPercent, 0);
  e = await sdkError(a().DeleteImages({ ImageIds: [imageId] }));
  assert.equal(e.code, "InvalidImageId.IncorrectState");
  await advance(30);
  assert.equal((await image(a(), imageId)).SyncPercent, 50);
  e = await sdkError(a("ap-shanghai").RunInstances({ Placement: { Zone: "ap-shanghai-2" }, ImageId: copyId }));
  assert.equal(e.code, "InvalidImageId.IncorrectState");
  await advance(30);
  assert.equal((await image(a(), imageId)).SyncPercent, 100);
  assert.equal((await image(a("ap-shanghai"), copyId)).ImageState, "NORMAL");
  const there = await runOne(a("ap-shanghai"), "ap-shanghai-2", copyId);
  assert.equal((await a("ap-shanghai").DescribeInstances({ InstanceIds: [there] })).InstanceSet[0].ImageId, copyId);

  // With no shares and no sync running, A can delete the source.
  await a().DeleteImages({ ImageIds: [imageId] });
  assert.equal((await a().DescribeImages({ ImageIds: [imageId] })).TotalCount, 0);
});

test("a key pair is created, bound to a stopped instance, shown on both sides, refused deletion while bound, unbound and deleted", async () => {
  const created = await a().CreateKeyPair({ KeyName: "deploy_key", ProjectId: 0 });
  const keyId = created.KeyPair.KeyId;
  assert.match(keyId, /^skey-[0-9a-z]{8}$/);
  assert.match(created.KeyPair.PrivateKey, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.match(created.KeyPair.PublicKey, /^ssh-rsa AAAA/);
  // The private key is returned once only.
  const listed = await a().DescribeKeyPairs({ KeyIds: [keyId] });
  assert.equal(listed.KeyPairSet[0].PrivateKey, null);
  // B sees none of A's key pairs and cannot use them.
  assert.equal((await b().DescribeKeyPairs({})).TotalCount, 0);

  const instance = await runOne(a(), "ap-guangzhou-4");
  await advance(10);
  let e = await sdkError(a().AssociateInstancesKeyPairs({ InstanceIds: [instance], KeyIds: [keyId] }));
  assert.equal(e.code, "UnsupportedOperation.InstanceStateRunning");
  await a().StopInstances({ InstanceIds: [instance] });
  await advance(5);
  await a().AssociateInstancesKeyPairs({ InstanceIds: [instance], KeyIds: [keyId] });
  const bound = (await a().DescribeInstances({ InstanceIds: [instance] })).InstanceSet[0];
  assert.deepEqual(bound.LoginSettings.KeyIds, [keyId]);
  assert.deepEqual((await a().DescribeKeyPairs({ KeyIds: [keyId] })).KeyPairSet[0].AssociatedInstanceIds, [instance]);
  e = await sdkError(b().AssociateInstancesKeyPairs({ InstanceIds: [instance], KeyIds: [keyId] }));
  assert.equal(e.code, "InvalidInstanceId.NotFound");

  e = await sdkError(a().DeleteKeyPairs({ KeyIds: [keyId] }));
  assert.equal(e.code, "ResourceInUse");
  assert.equal((await a().DescribeKeyPairs({ KeyIds: [keyId] })).TotalCount, 1);

  await a().DisassociateInstancesKeyPairs({ InstanceIds: [instance], KeyIds: [keyId] });
  assert.deepEqual((await a().DescribeInstances({ InstanceIds: [instance] })).InstanceSet[0].LoginSettings.KeyIds, []);
  assert.deepEqual((await a().DescribeKeyPairs({ KeyIds: [keyId] })).KeyPairSet[0].AssociatedInstanceIds, []);
  await a().DeleteKeyPairs({ KeyIds: [keyId] });
  assert.equal((await a().DescribeKeyPairs({ KeyIds: [keyId] })).TotalCount, 0);
});

test("RunInstances with a key pair checks it is the caller's; an imported key can be used", async () => {
  const made = await a().CreateKeyPair({ KeyName: "source_key", ProjectId: 0 });
  // Import the generated public key under B: a new key for B.
  const imported = await b().ImportKeyPair({ KeyName: "b_copy", ProjectId: 0, PublicKey: made.KeyPair.PublicKey });
  assert.match(imported.KeyId, /^skey-/);
  let e = await sdkError(b().ImportKeyPair({ KeyName: "b_again", ProjectId: 0, PublicKey: made.KeyPair.PublicKey }));
  assert.equal(e.code, "InvalidPublicKey.Duplicate");
  e = await sdkError(b().ImportKeyPair({ KeyName: "b_bad", ProjectId: 0, PublicKey: "ssh-rsa not-base64!" }));
  assert.equal(e.code, "InvalidPublicKey.Malformed");
  e = await sdkError(a().RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: LINUX_IMAGE,
                                        LoginSettings: { KeyIds: [imported.KeyId] } }));
  assert.equal(e.code, "InvalidKeyPairId.NotFound");
  const id = await runOne(b(), "ap-guangzhou-3", LINUX_IMAGE, { LoginSettings: { KeyIds: [imported.KeyId] } });
  assert.deepEqual((await b().DescribeInstances({ InstanceIds: [id] })).InstanceSet[0].LoginSettings.KeyIds, [imported.KeyId]);
});
