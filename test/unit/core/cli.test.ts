import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.join(__dirname, "../../..");
const bin = path.join(root, "bin/journaling-assistant.js");
const tmp = mkdtempSync(path.join(tmpdir(), "ja-cli-"));

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: unknown): string {
  const p = path.join(tmp, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}

describe("journaling-assistant plan", () => {
  it("prints a PowerShell script for the EU+India example", () => {
    const r = run("plan", "--desired", "examples/eu-india-regions.json", "--format", "powershell");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(
      "New-JournalRule -Name 'Journal Messages to Cloudflare Area 1 (eu1)' -JournalEmailAddress 'contoso@journaling.mailstream-eu1.mxrecord.io' -Recipient 'journaling-eu@contoso.com' -Scope 'External' -Enabled $true",
    );
  });

  it("prints JSON with exactly the documented keys", () => {
    const r = run("plan", "--desired", "examples/us-everyone.json", "--format", "json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { actions: Array<Record<string, unknown>>; warnings: unknown[] };
    expect(Object.keys(out)).toEqual(["actions", "warnings"]);
    for (const a of out.actions) expect(Object.keys(a)).toEqual(["id", "cmdlet", "parameters", "dependsOn", "reason"]);
  });

  it("plans against an observed tenant: nothing to do when configured", () => {
    const observed = file("configured.json", {
      "Get-TransportConfig": { JournalingReportNdrTo: "journal-ndr@contoso.com" },
      "Get-JournalRule": [
        {
          Name: "J",
          JournalEmailAddress: "contoso@journaling.mxrecord.io",
          Recipient: null,
          Scope: "External",
          Enabled: true,
        },
      ],
    });
    const r = run("plan", "--desired", "examples/us-everyone.json", "--observed", observed);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Nothing to do");
  });

  it.each([
    [["plan", "--desired", "does-not-exist.json"], /cannot read desired-state file does-not-exist.json: no such file/],
    [["plan"], /--desired FILE is required/],
    [
      ["plan", "--desired", "examples/us-everyone.json", "--format", "xml"],
      /--format must be text, json or powershell/,
    ],
    [["plan", "--desired", "examples/us-everyone.json", "--bogus"], /unknown option '--bogus'/],
  ])("usage errors exit 2 with nothing on stdout: %j", (args, message) => {
    const r = run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });

  it("invalid desired state: exit 2, the field named on stderr", () => {
    const bad = file("bad.json", {
      version: 1,
      profile: "area1",
      customer: "con toso",
      ndrMailbox: "x@contoso.com",
      journaling: { everyone: { region: "mars" } },
    });
    const r = run("plan", "--desired", bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('customer: "con toso" is not a valid mailbox local part');
    const region = file("region.json", {
      version: 1,
      profile: "area1",
      customer: "contoso",
      ndrMailbox: "x@contoso.com",
      journaling: { everyone: { region: "mars" } },
    });
    const r2 = run("plan", "--desired", region);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('journaling.everyone.region: unknown region "mars"');
  });

  it("invalid JSON and invalid observed state: exit 2", () => {
    expect(run("plan", "--desired", file("broken.json", "{")).stderr).toMatch(/not valid JSON/);
    const r = run(
      "plan",
      "--desired",
      "examples/us-everyone.json",
      "--observed",
      file("obs.json", { "Get-JournalRule": "nope" }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Get-JournalRule/);
  });

  it("unknown command: exit 2", () => {
    expect(run("frobnicate").code).toBe(2);
  });
});
