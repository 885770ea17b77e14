import { spawnSync } from "node:child_process";
import { join } from "node:path";

/**
 * The README's command-line examples, run exactly as written (npx resolves the package's own bin),
 * and every command's --help.
 */
const ROOT = join(__dirname, "..", "..");

type Result = { code: number | null; stdout: string; stderr: string };

function npx(...args: string[]): Result {
  return run("npx", ["journaling-assistant", ...args]);
}

/** The same command through its bin file (what npx runs), for the checks that needn't pay npx's start-up. */
function command(...args: string[]): Result {
  return run(process.execPath, [join(ROOT, "bin", "journaling-assistant.js"), ...args]);
}

function run(file: string, args: string[]): Result {
  const r = spawnSync(file, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npx journaling-assistant (as the README shows it)", () => {
  it("plan --desired examples/eu-india-regions.json --format powershell prints the reviewed script", () => {
    const r = npx("plan", "--desired", "examples/eu-india-regions.json", "--format", "powershell");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Journaling to Cloudflare Area 1/);
    expect(r.stdout).toContain("Set-TransportConfig -JournalingReportNdrTo 'journal-ndr@contoso.com'");
    expect(r.stdout).toContain(
      "New-JournalRule -Name 'Journal Messages to Cloudflare Area 1 (bom)' -JournalEmailAddress 'contoso@journaling.mailstream-bom.mxrecord.mx'",
    );
  });

  it.each(["plan", "apply", "status", "emulator", "serve", "start"])(
    "%s --help explains the command and exits 0",
    (name) => {
      const r = command(name, "--help");
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(new RegExp(`^Usage: journaling-assistant ${name} \\[options\\]`));
      expect(r.stdout).toMatch(/^ {2}-h, --help/m);
    },
  );

  it("start has a flag for every port it opens", () => {
    const r = command("start", "--help");
    for (const flag of ["--pane-port", "--backend-port", "--emulator-port", "--data-dir"]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it("a bad option exits 2 with the reason and the command's help on stderr", () => {
    const r = command("start", "--pane-port", "70000");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("start: --pane-port needs a port number (0-65535), got '70000'");
    expect(r.stderr).toContain("Usage: journaling-assistant start [options]");
  });

  it("without a command lists them all", () => {
    const r = npx();
    expect(r.code).toBe(0);
    for (const name of ["plan", "apply", "status", "emulator", "serve", "start"])
      expect(r.stdout).toMatch(new RegExp(`^ {2}${name} `, "m"));
  });
});
