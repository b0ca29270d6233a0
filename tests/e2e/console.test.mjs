// The console (GET /_emulator/ui) in a real headless browser: Debian's
// chromium driven by puppeteer-core (which downloads no browser). An
// instance created through the SDK appears and goes PENDING → RUNNING when
// the clock is advanced from the page; the journal is filtered and a row
// opened; a fault is added and cleared. A screenshot is saved to
// tests/e2e/artifacts/console.png. scripts/install-deps installs chromium:
// without it this test fails, it does not skip.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import { startServer, client, sdkError, ownServerOnly } from "./harness.mjs";

const CHROMIUM = process.env.CVM_E2E_CHROMIUM || "/usr/bin/chromium";
const here = path.dirname(fileURLToPath(import.meta.url));

// The page polls the emulator every 2 s; a step waits for what it shows.
const SHOWN = { timeout: 15000, polling: 100 };

function cellsOf(page, table) {
  return page.$$eval(`#${table} tbody tr`, (rows) =>
    rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
}

function launch(profile) {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      `--user-data-dir=${profile}`],
  });
}

test("console: instances, clock, journal and faults in a headless browser", async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/install-deps installs chromium`);
  const server = await startServer();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-console-"));
  const browser = await launch(profile);
  try {
    const page = await browser.newPage();
    page.on("dialog", (d) => d.accept());
    await page.setViewport({ width: 1280, height: 1100 });
    const fragment = server.controlToken ? `#token=${encodeURIComponent(server.controlToken)}` : "";
    await page.goto(`http://${server.host}:${server.port}/_emulator/ui${fragment}`);
    await page.waitForSelector("#account option");

    // An instance made through the SDK shows up PENDING ...
    await server.control("clock/freeze");
    const c = client(server);
    const run = await c.RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-eb30mz89" });
    const id = run.InstanceIdSet[0];
    const stateOf = (want) => page.waitForFunction((id, want) =>
      [...document.querySelectorAll("#instances tbody tr")].some((r) =>
        r.cells[0].textContent === id && r.cells[2].textContent === want), SHOWN, id, want);
    await stateOf("PENDING");
    // ... and RUNNING once the page advances the clock past the launch.
    await page.$eval("#advance-seconds", (e) => { e.value = "10"; });
    await page.click("#advance");
    await stateOf("RUNNING");

    // The journal, filtered to RunInstances, holds the SDK's request; its row
    // opens the request and its answer.
    await c.DescribeZones({});
    await page.type("#filter-action", "RunInstances");
    await page.click("#filter");
    await page.waitForFunction((rid) => {
      const rows = [...document.querySelectorAll("#requests tbody tr")];
      return rows.length > 0 && rows.every((r) => r.cells[2].textContent === "RunInstances") &&
        rows.some((r) => r.cells[8].textContent === rid);
    }, SHOWN, run.RequestId);
    await page.click("#requests tbody tr");
    await page.waitForFunction((id) => {
      const d = document.querySelector("#request-detail");
      return !d.hidden && d.textContent.includes(id);
    }, SHOWN, id);

    // A fault added from the page fails the next call, and clears.
    await page.$eval("#fault-action", (e) => { e.value = "DescribeRegions"; });
    await page.$eval("#fault-code", (e) => { e.value = "InternalError"; });
    await page.click("#fault-add");
    await page.waitForFunction(() =>
      [...document.querySelectorAll("#faults tbody tr")].some((r) => r.cells[0].textContent === "DescribeRegions"),
    SHOWN);
    assert.deepEqual((await cellsOf(page, "faults"))[0].slice(0, 3), ["DescribeRegions", "InternalError", "1"]);
    await page.click("#fault-clear");
    await page.waitForFunction(() => document.querySelectorAll("#faults tbody tr").length === 0, SHOWN);
    await c.DescribeRegions({});  // cleared: it succeeds
    await page.$eval("#fault-action", (e) => { e.value = "DescribeRegions"; });
    await page.click("#fault-add");
    // The page's request must have landed before the SDK's call.
    await page.waitForFunction(() =>
      [...document.querySelectorAll("#faults tbody tr")].some((r) => r.cells[0].textContent === "DescribeRegions"),
    SHOWN);
    const err = await sdkError(c.DescribeRegions({}));
    assert.equal(err.code, "InternalError");
    await page.click("#fault-clear");
    await page.waitForFunction(() => document.querySelectorAll("#faults tbody tr").length === 0, SHOWN);

    const artifacts = path.join(here, "artifacts");
    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, "console.png"), fullPage: true });
    assert.ok(fs.statSync(path.join(artifacts, "console.png")).size > 1000);
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
    await server.stop();
  }
});

// Under --control-token the page loads without the token, and reads it from
// its fragment (#token=..., never sent to the server) to send it as
// "Authorization: Bearer" on every call (D-239). Opened without it, the page
// shows the 401 instead of data.
test("console: under --control-token the page sends the token from its #token= fragment",
  { skip: ownServerOnly("starts with --control-token") }, async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/install-deps installs chromium`);
    const token = "console-t0ken/+=";
    const server = await startServer({ args: ["--control-token", token] });
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cvm-console-"));
    const browser = await launch(profile);
    try {
      const run = await client(server).RunInstances({
        Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-eb30mz89" });
      const id = run.InstanceIdSet[0];
      const base = `http://${server.host}:${server.port}/_emulator/ui`;

      const page = await browser.newPage();
      const statuses = [];
      page.on("response", (r) => statuses.push([r.url(), r.status()]));
      await page.goto(`${base}#token=${encodeURIComponent(token)}`);
      await page.waitForFunction((id) =>
        [...document.querySelectorAll("#instances tbody tr")].some((r) => r.cells[0].textContent === id),
      SHOWN, id);
      assert.equal(await page.$eval("#status", (e) => e.textContent), "");
      assert.ok(statuses.length > 1 && statuses.every(([, s]) => s === 200), JSON.stringify(statuses));
      // The token went in headers only: no URL the page fetched holds it.
      assert.ok(statuses.every(([u]) => !u.includes("t0ken")), JSON.stringify(statuses));

      const bare = await browser.newPage();
      const answer = await bare.goto(base);
      assert.equal(answer.status(), 200);  // the page itself needs no token
      await bare.waitForFunction(() => document.querySelector("#status").textContent.includes("no control token"),
        SHOWN);
      assert.equal(await bare.$eval("#status", (e) => e.className), "error");
      assert.equal(await bare.$$eval("#instances tbody tr", (rows) => rows.length), 0);
      assert.equal(await bare.$$eval("#account option", (o) => o.length), 0);

      const wrong = await browser.newPage();
      await wrong.goto(`${base}#token=nope`);
      await wrong.waitForFunction(() => document.querySelector("#status").textContent.includes("wrong control token"),
        SHOWN);
      assert.equal(await wrong.$$eval("#instances tbody tr", (rows) => rows.length), 0);
    } finally {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
      await server.stop();
    }
  });
