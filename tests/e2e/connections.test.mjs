// The transport's resource limits: out of descriptors, the listener pauses
// instead of spinning on accept, and recovers when connections close; over
// --max-connections, new connections wait in the backlog until one closes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { startServer, ownServerOnly } from "./harness.mjs";

// CPU seconds (user + system) the process has used.
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime in clock ticks (100 Hz)
}

const openConnection = (port) => new Promise((resolve, reject) => {
  const s = net.connect(port, "127.0.0.1", () => resolve(s));
  s.on("error", reject);
});

// GET /_emulator/clock over `socket`; resolves with the status line.
function getOver(socket) {
  return new Promise((resolve) => {
    let data = "";
    socket.on("data", (d) => {
      data += d;
      if (data.includes("\r\n\r\n")) resolve(data.split("\r\n")[0]);
    });
    socket.write("GET /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  });
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

test("out of descriptors (EMFILE): the listener does not spin, open connections are served, and it recovers when connections close",
  { skip: ownServerOnly("lowers its open-file limit with prlimit") }, async () => {
  const server = await startServer({ args: ["--threads", "1"] });
  const pid = server.child.pid;
  const sockets = [];
  try {
    const kept = await openConnection(server.port);
    assert.equal(await getOver(kept), "HTTP/1.1 200 OK");
    // The cap was made for the limit at start; lower the limit under it.
    execFileSync("prlimit", ["--pid", String(pid), "--nofile=64:64"]);
    for (let i = 0; i < 100; i++) sockets.push(await openConnection(server.port));
    const before = cpuSeconds(pid);
    await wait(2000);  // measures CPU use over 2 s: there is no event to wait for
    const used = cpuSeconds(pid) - before;
    assert.ok(used < 0.5, `the server used ${used} s of CPU in 2 s while out of descriptors`);
    // A connection opened before is still served.
    assert.equal(await getOver(kept), "HTTP/1.1 200 OK");
    for (const s of sockets) s.destroy();
    sockets.length = 0;
    kept.destroy();
    // Accepting again: a new connection gets its answer (the pause is at most 1 s).
    const res = await server.control("clock", undefined, "GET");
    assert.equal(res.status, 200);
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});

test("--max-connections: a connection over the cap waits until one closes, then is served",
  { skip: ownServerOnly("starts with --max-connections") }, async () => {
  const server = await startServer({ args: ["--max-connections", "3"] });
  const sockets = [];
  try {
    for (let i = 0; i < 3; i++) {
      sockets.push(await openConnection(server.port));
      assert.equal(await getOver(sockets[i]), "HTTP/1.1 200 OK");
    }
    const waiting = await openConnection(server.port);  // the kernel completes the handshake
    sockets.push(waiting);
    let answered = false;
    const answer = getOver(waiting).then((line) => ((answered = true), line));
    // The three accepted connections are served meanwhile.
    for (let i = 0; i < 3; i++) assert.equal(await getOver(sockets[i]), "HTTP/1.1 200 OK");
    assert.equal(answered, false);
    sockets[0].destroy();
    assert.equal(await answer, "HTTP/1.1 200 OK");
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});
