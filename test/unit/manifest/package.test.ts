import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TeamsManifestV1D30 } from "@microsoft/app-manifest";
import { readZip } from "../../../manifest/lib/zip";
import { main as packageMain, packageApp } from "../../../manifest/scripts/package";
import { PANE_APP_ID } from "../../../src/emulator/directory/apps";
import { main as validateMain, validateEnvironment, validateZip } from "../../../manifest/scripts/validate";
import { blockNetwork } from "./noNetwork";

/** The highest v1.x schema folder that @microsoft/app-manifest ships. */
function newestBundledVersion(): string {
  const dir = path.join(
    path.dirname(require.resolve("@microsoft/app-manifest/package.json")),
    "build/json-schemas/teams",
  );
  const versions = readdirSync(dir)
    .filter((d) => /^v1\.\d+$/.test(d))
    .map((d) => d.slice(1))
    .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
  return versions[versions.length - 1] ?? "none";
}

function capture(): { log: (s: string) => void; error: (s: string) => void; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { log: (s) => out.push(s), error: (s) => err.push(s), out, err };
}

describe("npm run package / validate (offline)", () => {
  let network: ReturnType<typeof blockNetwork>;
  let outDir: string;

  beforeAll(() => {
    network = blockNetwork();
    outDir = mkdtempSync(path.join(tmpdir(), "manifest-package-"));
  });
  afterAll(() => {
    network.restore();
    rmSync(outDir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(network.attempts()).toEqual([]);
  });

  it("packages `local` into a zip with manifest.json, color.png and outline.png at its root that validates with zero errors", async () => {
    const { zipPath } = await packageApp({ env: "local", outDir });
    expect(zipPath).toBe(path.join(outDir, "appPackage.local.zip"));

    const entries = readZip(readFileSync(zipPath));
    expect([...entries.keys()].sort()).toEqual(["color.png", "manifest.json", "outline.png"]);

    const report = await validateZip(zipPath, path.resolve(__dirname, "../../../manifest/icons"));
    expect(report.failure).toBeUndefined();
    expect(report.issues).toEqual([]);
  });

  it("fills the environment's values into every part of the manifest", async () => {
    const { appPackage } = await packageApp({ env: "local", outDir });
    const m = appPackage.manifest as unknown as TeamsManifestV1D30.TeamsManifestV1D30;
    // The newest schema version the offline validator bundles (issue 6).
    expect(m.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${newestBundledVersion()}/MicrosoftTeams.schema.json`,
    );
    expect(m.manifestVersion).toBe(newestBundledVersion());
    expect(m.name.short).toBe("Journaling Assistant");
    expect(m.staticTabs![0]).toMatchObject({
      contentUrl: "https://localhost:3000/index.html",
      scopes: ["personal"],
      context: ["personalTab"],
    });
    expect(m.configurableTabs![0]).toMatchObject({
      configurationUrl: "https://localhost:3000/config.html",
      canUpdateConfiguration: true,
      scopes: ["team", "groupChat"],
    });
    expect(m.validDomains).toEqual(["localhost:3000"]);
    // The emulator's pane app registration: the local package signs in against `npm start`'s tenant.
    const clientId = PANE_APP_ID;
    expect(m.webApplicationInfo).toEqual({
      id: clientId,
      resource: `api://localhost:3000/${clientId}`,
      nestedAppAuthInfo: [
        { redirectUri: "brk-multihub://localhost:3000", scopes: [`api://localhost:3000/${clientId}/access_as_user`] },
      ],
    });
    expect(m.extensions).toHaveLength(1);
    expect(m.extensions![0]!.requirements).toEqual({
      scopes: ["mail"],
      capabilities: [{ name: "Mailbox", minVersion: "1.3" }],
    });
    expect(m.extensions![0]!.runtimes![0]!.code.page).toBe("https://localhost:3000/taskpane.html");
    expect(m.extensions![0]!.ribbons![0]!.contexts).toEqual(["mailRead"]);
    expect(JSON.stringify(m)).not.toMatch(/\{\{/);
  });

  it("writes the same bytes for the same inputs (reproducible packages)", async () => {
    const first = readFileSync((await packageApp({ env: "local", outDir })).zipPath);
    const second = readFileSync((await packageApp({ env: "local", outDir })).zipPath);
    expect(second.equals(first)).toBe(true);
  });

  it("validates every shipped environment file", async () => {
    for (const name of ["local", "production.example"]) {
      const report = await validateEnvironment(name);
      expect({ name, failure: report.failure?.message, issues: report.issues }).toEqual({
        name,
        failure: undefined,
        issues: [],
      });
    }
  });

  it("CLI: package prints the zip path and validate --zip accepts it", async () => {
    const io = capture();
    expect(await packageMain(["--env", "local", "--out", outDir], io)).toBe(0);
    expect(io.err).toEqual([]);
    expect(io.out).toHaveLength(1);
    expect(path.resolve(io.out[0]!)).toBe(path.join(outDir, "appPackage.local.zip"));

    const v = capture();
    expect(await validateMain(["--zip", path.join(outDir, "appPackage.local.zip")], v)).toBe(0);
    expect(v.err).toEqual([]);
    expect(v.out.join("\n")).toMatch(/^ok {3}zip /);
  });

  it("CLI: validate without options checks all environments", async () => {
    const io = capture();
    expect(await validateMain([], io)).toBe(0);
    expect(io.out).toEqual(["ok   env local", "ok   env production.example"]);
  });

  it("CLI: package explains a missing --env, an unknown environment and unknown options", async () => {
    const missing = capture();
    expect(await packageMain([], missing)).toBe(1);
    expect(missing.err.join("\n")).toContain("error ARGS_INVALID: Missing --env <name>");

    const unknown = capture();
    expect(await packageMain(["--env", "staging"], unknown)).toBe(1);
    expect(unknown.err.join("\n")).toContain('error ENV_NOT_FOUND: No environment "staging"');
    expect(unknown.err.join("\n")).toContain("Available: local, production.example");

    const escape = capture();
    expect(await packageMain(["--env", "../environments/local"], escape)).toBe(1);
    expect(escape.err.join("\n")).toContain("ENV_NOT_FOUND");

    const bogus = capture();
    expect(await packageMain(["--env", "local", "--zip", "x"], bogus)).toBe(1);
    expect(bogus.err.join("\n")).toContain("error ARGS_INVALID: Unknown option '--zip'");
  });

  it("CLI: validate --zip reports a missing or damaged package", async () => {
    const missing = capture();
    expect(await validateMain(["--zip", path.join(outDir, "nope.zip")], missing)).toBe(1);
    expect(missing.err.join("\n")).toContain("PACKAGE_UNREADABLE");
    expect(missing.err.join("\n")).toContain("does not exist");
  });
});
