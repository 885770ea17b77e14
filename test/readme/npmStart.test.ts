import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchBrowser, newContext, signIn } from "../e2e/browser";
import { completeUsSetup } from "../e2e/usSetup";

/**
 * The README's main command, run as a user runs it: `npm start` as a child process in its own
 * process group (a terminal's Ctrl-C reaches the whole group), with default flags except free ports
 * and a fresh data folder (the documented --*-port and --data-dir flags). A person signs in through
 * real Chromium and finishes the default US setup to a green status; Ctrl-C stops everything.
 */
jest.setTimeout(300_000);

const ROOT = join(__dirname, "..", "..");

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly urls: Promise<Record<"emulator" | "backend" | "pane", string>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function npmStart(dataDir: string): Started {
  const child = spawn(
    "npm",
    ["start", "--", "--pane-port", "0", "--backend-port", "0", "--emulator-port", "0", "--data-dir", dataDir],
    { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } },
  );
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const urls = new Promise<Record<"emulator" | "backend" | "pane", string>>((resolve, reject) => {
    const check = (): void => {
      const found = {
        emulator: /^emulator: (https:\/\/\S+)$/m.exec(out)?.[1],
        backend: /^backend: (http\S+)$/m.exec(out)?.[1],
        pane: /^pane: (https:\/\/\S+)$/m.exec(out)?.[1],
      };
      // The last line of the start-up text: everything above it has been printed.
      if (found.emulator && found.backend && found.pane && /^Ctrl-C stops everything\.$/m.test(out)) {
        resolve(found as Record<"emulator" | "backend" | "pane", string>);
      }
    };
    child.stdout?.on("data", check);
    void exited.then(({ code, signal }) =>
      reject(new Error(`npm start exited (${code ?? signal}) before printing its URLs:\n${out}\n${err}`)),
    );
  });
  return { child, output: () => `${out}\n--- stderr ---\n${err}`, urls, exited };
}

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname === "localhost" ? "127.0.0.1" : hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start (the README's main command)", () => {
  let browser: Browser;
  let started: Started | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "ja-npm-start-"));

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    const pid = started?.child.pid;
    if (pid !== undefined && groupAlive(pid)) process.kill(-pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts the product, an admin finishes the US setup to a green status, Ctrl-C stops it cleanly", async () => {
    started = npmStart(dataDir);
    const urls = await started.urls;
    expect(started.output()).toContain("Sign in to the pane with one of these demo accounts:");
    expect(started.output()).toMatch(/admin@contoso\.com\s+admin-Pass1!\s+Global Administrator/);
    // The demo tenant receives mail, so the Status chart has journal reports to show.
    expect(started.output()).toMatch(/^mail flow: the emulator's tenants receive 60 external messages an hour/m);

    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, urls.pane.replace(/\/$/, ""), "admin@contoso.com");
    await completeUsSetup(page);
    await context.close();

    const pid = started.child.pid!;
    process.kill(-pid, "SIGINT");
    const { code, signal } = await started.exited;
    expect({ code, signal, output: code === 0 ? "" : started.output() }).toEqual({ code: 0, signal: null, output: "" });
    expect(started.output()).toMatch(/^stopped$/m);
    // Every port is released and no process of the group is left behind.
    for (const url of Object.values(urls)) await expect(portOpen(url)).resolves.toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(groupAlive(pid)).toBe(false);
  });
});
