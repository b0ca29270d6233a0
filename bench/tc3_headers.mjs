// TC3-HMAC-SHA256 headers for one request body, as the official SDKs sign it.
import crypto from "node:crypto";

export function tc3Headers({ host, action, body, region = "ap-guangzhou",
  secretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
  secretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" }) {
  const hostname = host.split(":")[0];
  const service = hostname.split(".")[0];
  const timestamp = Math.floor(Date.now() / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const sha256 = (s) => crypto.createHash("sha256").update(s).digest("hex");
  const hmac = (k, s) => crypto.createHmac("sha256", k).update(s).digest();
  const canonical = ["POST", "/", "", `content-type:application/json\nhost:${hostname}\n`,
    "content-type;host", sha256(body)].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const toSign = ["TC3-HMAC-SHA256", String(timestamp), scope, sha256(canonical)].join("\n");
  const key = hmac(hmac(hmac("TC3" + secretKey, date), service), "tc3_request");
  const signature = crypto.createHmac("sha256", key).update(toSign).digest("hex");
  const headers = {
    "Content-Type": "application/json",
    "Authorization": `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
    "X-TC-Action": action,
    "X-TC-Timestamp": String(timestamp),
    "X-TC-Version": "2017-03-12",
  };
  if (region) headers["X-TC-Region"] = region;
  return headers;
}
