// Creates `total` custom images (ImportImage) or key pairs (ImportKeyPair,
// each with a public key of its own), four signed requests at a time.
// usage: node fill.mjs <host:port> images|key-pairs <total> [region]
import crypto from "node:crypto";
import { client, inBatches } from "./signed_calls.mjs";

const [host, kind, totalText, region = "ap-guangzhou"] = process.argv.slice(2);
const total = Number(totalText);

// "ssh-ed25519 <base64>": any 32 bytes are an Ed25519 public key to the server.
function ed25519(n) {
  const str = (b) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const key = crypto.createHash("sha256").update(`bench-key-${n}`).digest();
  return "ssh-ed25519 " + Buffer.concat([str(Buffer.from("ssh-ed25519")), str(key)]).toString("base64");
}

function request(n) {
  if (kind === "images") {
    return ["ImportImage", {
      ImageName: `bench-${n}`, OsType: "CentOS", OsVersion: "7", Architecture: "x86_64",
      ImageUrl: "https://images-1250000000.cos.ap-guangzhou.myqcloud.com/centos7.qcow2" }];
  }
  if (kind === "key-pairs") return ["ImportKeyPair", { KeyName: `bench_${n}`, ProjectId: 0, PublicKey: ed25519(n) }];
  throw new Error(`unknown kind ${kind}`);
}

const emulator = client(host, region);
await inBatches(total, 1, 4, (n) => emulator.call(...request(n)));
emulator.close();
