import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningEmulator } from "../../../src/emulator/server";
import { runApplyCommand } from "../../../src/cli/apply";
import { request, startTestEmulator } from "../emulator/helpers";
import { daemonCaller, run } from "../emulator-https/client";
import { auditOf, baseEnv, certificateEnv, cli, EU_INDIA, tenantId, US_EVERYONE, type Result } from "./cliProcess";

/**
 * `journaling-assistant apply` and `status` as a pipeline and a person run them: the compiled
 * command in its own process (bin/journaling-assistant.js), configured for the emulator only by
 * JA_* variables, signing in app-only with a certificate or by device code (the test plays the
 * person on the emulator's device login page).
 */
describe("apply and status app-only with a certificate (a pipeline)", () => {
  let emu: RunningEmulator;
  let stop: () => Promise<void>;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ({ emu, stop } = await startTestEmulator());
    dataDir = mkdtempSync(join(tmpdir(), "cli-apply-"));
    env = certificateEnv(emu, dataDir);
  });
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("a fresh tenant: apply --yes runs every step with a progress line each and ends healthy; again = nothing", async () => {
    const first = await cli(["apply", "--desired", EU_INDIA, "--tenant", "contoso.onmicrosoft.com", "--yes"], env);
    expect(first.stderr).toMatch(/the tenant matches the setup\.\n$/);
    expect(first.code).toBe(0);
    const steps = Number(/^Plan: (\d+) steps$/m.exec(first.stdout)?.[1]);
    expect(steps).toBeGreaterThan(3);
    const lines = first.stderr.split("\n").filter((l) => /^ok {6}\[/.test(l));
    expect(lines).toHaveLength(steps);
    expect(first.stderr).toContain(
      `ok      [${String(1).padStart(String(steps).length)}/${steps}] Set-TransportConfig`,
    );
    // Not a terminal: no progress bar (no carriage returns or escape codes in a pipeline's log).
    expect(first.stderr).not.toContain("\r");
    expect(first.stderr).not.toContain("\x1b");

    // The run went through the backend's executor into the given store: the tenant's audit names the app.
    const audit = await auditOf(dataDir, tenantId(emu, "contoso.onmicrosoft.com"));
    expect(audit.filter((e) => e.outcome === "succeeded")).toHaveLength(steps);
    expect(audit[0]?.by).toBe(`Journaling Assistant (unattended) (app ${emu.config.apps.daemon.clientId})`);

    const second = await cli(["apply", "--desired", EU_INDIA, "--tenant", "contoso.onmicrosoft.com", "--yes"], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing to do: the tenant already matches the setup.");
    expect(second.stderr).toBe("Nothing applied: the tenant already matches the setup.\n");
    expect(await auditOf(dataDir, tenantId(emu, "contoso.onmicrosoft.com"))).toHaveLength(audit.length);
  }, 60_000);

  test("status exits 0 when healthy, 3 after a journal rule is disabled behind its back (with what drifted)", async () => {
    const healthy = await cli(["status", "--desired", EU_INDIA, "--tenant", "contoso.onmicrosoft.com"], env);
    expect(healthy.stderr).toBe("");
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/^ {2}OK {7}Journal rule/m);
    expect(healthy.stdout).toMatch(/^Healthy/m);

    // Someone disables a rule in Exchange (the admin API, as any other client would).
    const daemon = await daemonCaller(emu);
    const { rows } = await run(emu, daemon, "Get-JournalRule");
    const rule = String(rows[0]?.Name);
    await run(emu, daemon, "Disable-JournalRule", { Identity: rule, Confirm: false });

    const drifted = await cli(["status", "--desired", EU_INDIA, "--tenant", "contoso.onmicrosoft.com"], env);
    expect(drifted.code).toBe(3);
    expect(drifted.stdout).toMatch(/^ {2}DRIFTED {2}Journal rule/m);
    expect(drifted.stdout).toContain("Enabled: expected true, actual false");
    expect(drifted.stdout).toMatch(/^Not healthy: 1 drifted/m);

    const json = await cli(
      ["status", "--desired", EU_INDIA, "--tenant", tenantId(emu, "contoso.onmicrosoft.com"), "--format", "json"],
      env,
    );
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout) as { healthy: boolean; resources: { state: string; drift: unknown[] }[] };
    expect(report.healthy).toBe(false);
    expect(report.resources.filter((r) => r.state === "drifted")).toEqual([
      expect.objectContaining({ drift: [{ property: "Enabled", desired: true, actual: false }] }),
    ]);
  }, 60_000);

  test("a paused setup applied from the command line: status says since when and by whom, and is healthy", async () => {
    const paused = join(dataDir, "paused.json");
    writeFileSync(paused, JSON.stringify({ ...JSON.parse(readFileSync(EU_INDIA, "utf8")), state: "paused" }));
    const apply = await cli(["apply", "--desired", paused, "--tenant", "contoso.onmicrosoft.com", "--yes"], env);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain("Disable-JournalRule");
    const status = await cli(["status", "--desired", paused, "--tenant", "contoso.onmicrosoft.com"], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      /^Paused since \d{4}-\d\d-\d\dT[\d:.]+Z by Journaling Assistant \(unattended\) \(app [0-9a-f-]+\)$/m,
    );
    expect(status.stdout).toMatch(/^ {2}PAUSED {3}Journal rule/m);
  }, 60_000);

  test("without --yes and without a terminal, apply refuses with exit 2 and changes nothing", async () => {
    const before = (await auditOf(dataDir, tenantId(emu, "contoso.onmicrosoft.com"))).length;
    const r = await cli(["apply", "--desired", US_EVERYONE, "--tenant", "contoso.onmicrosoft.com"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("refusing to change the tenant without confirmation: stdin is not a terminal");
    expect(r.stderr).toContain("pass --yes");
    expect(await auditOf(dataDir, tenantId(emu, "contoso.onmicrosoft.com"))).toHaveLength(before);
  });

  test("invalid input exits 2: no --tenant, a tenant that is not one, an invalid desired state", async () => {
    const noTenant = await cli(["apply", "--desired", EU_INDIA, "--yes"], env);
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toContain("apply: --tenant ID|DOMAIN is required");
    const badTenant = await cli(["status", "--desired", EU_INDIA, "--tenant", "not a tenant"], env);
    expect(badTenant.code).toBe(2);
    const desired = join(dataDir, "bad.json");
    writeFileSync(desired, JSON.stringify({ version: 1, profile: "area1" }));
    const bad = await cli(["apply", "--desired", desired, "--tenant", "contoso.onmicrosoft.com", "--yes"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("The desired state is invalid");
  });
});

/** What a person does in a browser: open the page, enter the code, confirm the app, sign in. */
async function completeDeviceLogin(
  emu: RunningEmulator,
  verificationUri: string,
  userCode: string,
  account: { upn: string; password: string },
): Promise<string> {
  const form = (fields: Record<string, string>) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  const landing = await request(verificationUri, emu.caPem);
  const page = new URL(String(landing.headers.location), verificationUri).toString();
  await request(page, emu.caPem);
  const confirm = await request(page, emu.caPem, form({ step: "code", otc: userCode }));
  expect(confirm.text).toContain("Are you trying to sign in to Journaling Assistant (command line)?");
  const next = await request(page, emu.caPem, form({ step: "confirm", otc: userCode, decision: "continue" }));
  const q = (/name="q" value="([^"]*)"/.exec(next.text)?.[1] ?? "").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  const done = await request(page, emu.caPem, form({ q, username: account.upn, password: account.password }));
  return done.text;
}

describe("apply by device code (a person)", () => {
  let emu: RunningEmulator;
  let stop: () => Promise<void>;
  let dataDir: string;

  beforeAll(async () => {
    ({ emu, stop } = await startTestEmulator());
    dataDir = mkdtempSync(join(tmpdir(), "cli-device-"));
  });
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** `apply --yes` of the US setup, signing in as `upn` on the device login page when the command asks. */
  async function applyAs(upn: string): Promise<Result & { page: string | undefined }> {
    const account = emu.config.users.find((u) => u.upn === upn)!;
    let signedIn: Promise<string> | undefined;
    const env = { ...baseEnv(emu, dataDir), JA_CLIENT_ID: emu.config.apps.cli.clientId };
    const r = await cli(
      ["apply", "--desired", US_EVERYONE, "--tenant", "contoso.onmicrosoft.com", "--yes"],
      env,
      (err) => {
        const m = /open the page (\S+) and enter the code ([A-Z0-9]+) to authenticate/.exec(err);
        if (m && signedIn === undefined) signedIn = completeDeviceLogin(emu, m[1]!, m[2]!, account);
      },
    );
    return { ...r, page: await signedIn };
  }

  test("a step Exchange refuses (a Compliance Administrator cannot set the transport config) exits 1 and names it", async () => {
    const r = await applyAs("compliance.admin@contoso.com");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^FAILED {2}\[1\/2\] Set-TransportConfig: .*Exchange refused Set-TransportConfig for compliance\.admin@contoso\.com/m,
    );
    expect(r.stderr).toMatch(/^Run [0-9a-f-]+ failed: 2 of 2 steps did not complete\.$/m);
  }, 60_000);

  test("the code and page are printed on stderr; the person signs in on the page; the run is theirs", async () => {
    const r = await applyAs("exchange.admin@contoso.com");
    expect(r.page).toContain("You have signed in to the Journaling Assistant (command line) application");
    expect(r.stderr).toContain(
      `To sign in, use a web browser to open the page ${emu.origin}/devicelogin and enter the code`,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Applied \d+ steps \(run [0-9a-f-]+\); the tenant matches the setup\./);
    const audit = (await auditOf(dataDir, tenantId(emu, "contoso.onmicrosoft.com"))).filter(
      (e) => e.outcome === "succeeded",
    );
    expect(audit.length).toBeGreaterThan(0);
    expect(new Set(audit.map((e) => e.by))).toEqual(new Set(["exchange.admin@contoso.com"]));
  }, 60_000);
});

/**
 * At a terminal (stdin and stderr are TTYs: flags the command reads from process.stdin/stderr, set
 * here because a test has no terminal): the command asks before changing anything and draws a
 * progress bar under the step lines.
 */
describe("apply at a terminal", () => {
  let emu: RunningEmulator;
  let stop: () => Promise<void>;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ({ emu, stop } = await startTestEmulator());
    dataDir = mkdtempSync(join(tmpdir(), "cli-tty-"));
    env = {
      ...baseEnv(emu, dataDir),
      JA_CLIENT_ID: emu.config.apps.daemon.clientId,
      JA_CLIENT_SECRET: emu.config.apps.daemon.secret,
    };
  });
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function applyAtTerminal(answer: string): Promise<Result & { asked: string[] }> {
    let stdout = "";
    let stderr = "";
    const asked: string[] = [];
    const code = await runApplyCommand(["--desired", US_EVERYONE, "--tenant", "contoso.onmicrosoft.com"], {
      io: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
      env,
      stdinTty: true,
      stderrTty: true,
      ask: (question) => {
        asked.push(question);
        return Promise.resolve(answer);
      },
    });
    return { code, stdout, stderr, asked };
  }

  test("answering no changes nothing (exit 1); yes applies with a progress bar (exit 0)", async () => {
    const no = await applyAtTerminal("n");
    expect(no.asked).toEqual([
      expect.stringMatching(
        /^Apply these 2 steps to contoso\.onmicrosoft\.com as Journaling Assistant \(unattended\) \(app [0-9a-f-]+\)\? \[y\/N\] $/,
      ),
    ]);
    expect(no.code).toBe(1);
    expect(no.stderr).toBe("Nothing was changed.\n");
    expect(await auditOf(dataDir, tenantId(emu, "contoso.onmicrosoft.com"))).toHaveLength(0);

    const yes = await applyAtTerminal("y");
    expect(yes.code).toBe(0);
    expect(yes.stderr).toContain("\r\x1b[K[#");
    expect(yes.stderr).toMatch(/\] 2\/2 /);
    // Each step's line is printed on a cleared line, the bar is gone before the summary.
    expect(yes.stderr).toContain("\r\x1b[Kok      [1/2] Set-TransportConfig");
    expect(yes.stderr).toContain("\r\x1b[KApplied 2 steps");
  }, 60_000);
});
