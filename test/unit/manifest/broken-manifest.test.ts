import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildPackage, packageToZip, validatePackage, type AppPackage } from "../../../manifest/lib/appPackage";
import { loadEnvironment } from "../../../manifest/lib/environment";
import type { TeamsManifestV1D30 } from "@microsoft/app-manifest";
import type { ValidationIssue } from "../../../manifest/lib/errors";
import { encodePng } from "../../../manifest/lib/png";
import type { JsonObject } from "../../../manifest/lib/template";
import { packageApp } from "../../../manifest/scripts/package";
import { main as validateMain } from "../../../manifest/scripts/validate";
import { blockNetwork } from "./noNetwork";

const ICONS_DIR = path.resolve(__dirname, "../../../manifest/icons");

type Manifest = TeamsManifestV1D30.TeamsManifestV1D30;

/** The `local` package with `edit` applied to a copy of its manifest (typed as the v1.30 manifest). */
function localPackage(edit: (m: Manifest) => void = () => {}): AppPackage {
  const pkg = buildPackage(loadEnvironment("local"));
  const manifest = structuredClone(pkg.manifest) as unknown as Manifest;
  edit(manifest);
  return { manifest: manifest as unknown as JsonObject, files: new Map(pkg.files) };
}

/** Removes a property the types call required: producing invalid manifests is the point of these tests. */
function unset(target: object, key: string): void {
  Reflect.deleteProperty(target, key);
}

function ribbonGroup(
  m: Manifest,
): NonNullable<
  NonNullable<NonNullable<Manifest["extensions"]>[number]["ribbons"]>[number]["tabs"][number]["groups"]
>[number] {
  return m.extensions![0]!.ribbons![0]!.tabs[0]!.groups![0]!;
}

function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set(pixel(x, y), (y * width + x) * 4);
  return encodePng({ width, height, pixels });
}

function summary(issues: readonly ValidationIssue[]): string[] {
  return issues.map((i) => `${i.code} ${i.path}`);
}

describe("validation of a broken manifest (offline)", () => {
  let network: ReturnType<typeof blockNetwork>;
  beforeAll(() => {
    network = blockNetwork();
  });
  afterAll(() => network.restore());
  afterEach(() => expect(network.attempts()).toEqual([]));

  it("lists every problem at once: missing scopes, http URL, domain not in validDomains, wrong icon size", async () => {
    const pkg = localPackage((m) => {
      unset(m.staticTabs![0]!, "scopes");
      m.configurableTabs![0]!.configurationUrl = "http://localhost:3000/config.html";
      m.staticTabs![0]!.websiteUrl = "https://evil.example/index.html";
    });
    const files = new Map(pkg.files);
    files.set(
      "color.png",
      png(100, 100, () => [15, 108, 189, 255]),
    );
    const issues = await validatePackage({ manifest: pkg.manifest, files }, { addinIconsDir: ICONS_DIR });

    expect(summary(issues).sort()).toEqual(
      [
        "SCHEMA /staticTabs/0",
        "HTTPS_REQUIRED /configurableTabs/0/configurationUrl",
        "DOMAIN_NOT_VALID /staticTabs/0/websiteUrl",
        "ICON_SIZE /icons/color",
      ].sort(),
    );
    const byCode = (code: string): string => issues.find((i) => i.code === code)!.message;
    expect(byCode("SCHEMA")).toContain("must have required property 'scopes'");
    expect(byCode("HTTPS_REQUIRED")).toBe('must use https (got "http://localhost:3000/config.html")');
    expect(byCode("DOMAIN_NOT_VALID")).toBe('host "evil.example" is not listed in validDomains (localhost:3000)');
    expect(byCode("ICON_SIZE")).toBe("color.png must be 192x192 pixels (is 100x100)");
  });

  it("`npm run validate -- --zip` exits 1 and prints each error", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "manifest-broken-"));
    try {
      const pkg = localPackage((m) => {
        unset(m.staticTabs![0]!, "scopes");
        m.staticTabs![0]!.contentUrl = "http://localhost:3000/index.html";
      });
      const zip = path.join(dir, "broken.zip");
      writeFileSync(zip, packageToZip(pkg));
      const err: string[] = [];
      const code = await validateMain(["--zip", zip], { log: () => {}, error: (s) => err.push(s) });
      expect(code).toBe(1);
      const text = err.join("\n");
      expect(text).toContain("FAIL zip");
      expect(text).toContain("2 error(s)");
      expect(text).toContain("/staticTabs/0: must have required property 'scopes'");
      expect(text).toContain(
        '/staticTabs/0/contentUrl: must use https (got "http://localhost:3000/index.html") [HTTPS_REQUIRED]',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to write a package when the manifest is invalid", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "manifest-broken-"));
    try {
      const template = JSON.parse(
        readFileSync(path.resolve(__dirname, "../../../manifest/manifest.template.json"), "utf8"),
      ) as Manifest;
      template.validDomains = ["other.example"];
      const templatePath = path.join(dir, "template.json");
      writeFileSync(templatePath, JSON.stringify(template));
      await expect(packageApp({ env: "local", outDir: dir, templatePath })).rejects.toMatchObject({
        code: "MANIFEST_INVALID",
        message: expect.stringContaining(
          '/staticTabs/0/contentUrl: host "localhost:3000" is not listed in validDomains (other.example) [DOMAIN_NOT_VALID]',
        ),
      });
      expect(() => readFileSync(path.join(dir, "appPackage.local.zip"))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects an outline icon that is not white on a transparent background", async () => {
    const opaque = localPackage();
    const files = new Map(opaque.files);
    files.set(
      "outline.png",
      png(32, 32, (x) => (x < 16 ? [255, 255, 255, 255] : [0, 0, 0, 255])),
    );
    const issues = await validatePackage({ manifest: opaque.manifest, files });
    expect(summary(issues)).toEqual(["ICON_NOT_TRANSPARENT /icons/outline", "ICON_NOT_WHITE /icons/outline"]);
    expect(issues[1]!.message).toContain("512 visible pixels are not white (pixel 16,0 is rgb(0,0,0))");

    const rgb = Buffer.from(files.get("color.png")!); // a 192x192 without alpha, used as the outline
    files.set("outline.png", rgb);
    const wrong = await validatePackage({ manifest: opaque.manifest, files });
    expect(summary(wrong)).toEqual([
      "ICON_SIZE /icons/outline",
      "ICON_NOT_TRANSPARENT /icons/outline",
      "ICON_NOT_WHITE /icons/outline",
    ]);
  });

  it("reports a missing or unreadable icon file", async () => {
    const pkg = localPackage();
    const files = new Map(pkg.files);
    files.delete("outline.png");
    files.set("color.png", Buffer.from("GIF89a"));
    const issues = await validatePackage({ manifest: pkg.manifest, files });
    expect(issues.map((i) => `${i.code}: ${i.message}`)).toEqual([
      "ICON_NOT_PNG: color.png is not a readable PNG (not a PNG file (bad signature))",
      "ICON_MISSING: outline.png is not in the package",
    ]);
  });

  it("checks the add-in: at most one extension, icons 16/32/80, icon files matching their declared size", async () => {
    const pkg = localPackage((m) => {
      const group = ribbonGroup(m);
      group.icons = group.icons!.filter((i) => i.size !== 80);
      group.controls![0]!.icons[0]!.url = "https://localhost:3000/icons/icon-32.png"; // declared 16
      m.extensions!.push(structuredClone(m.extensions![0]!));
    });
    const issues = await validatePackage(pkg, { addinIconsDir: ICONS_DIR });
    const found = issues.map((i) => `${i.code} ${i.path}: ${i.message}`);
    expect(found).toContain("EXTENSIONS_TOO_MANY /extensions: at most 1 extension is supported (found 2)");
    expect(found).toContain(
      "ADDIN_ICON_SIZES /extensions/0/ribbons/0/tabs/0/groups/0/icons: must include icons of sizes 16, 32, 80 (missing 80)",
    );
    expect(found).toContain(
      "ICON_SIZE /extensions/0/ribbons/0/tabs/0/groups/0/controls/0/icons/0/url: icon-32.png must be 16x16 pixels (is 32x32)",
    );
    expect(issues.some((i) => i.code === "SCHEMA" && i.path === "/extensions")).toBe(true); // the schema's maxItems too
  });

  it("checks the SSO resource against the client id and validDomains", async () => {
    const pkg = localPackage((m) => {
      m.webApplicationInfo!.resource = "api://localhost:3000/22222222-2222-4222-8222-222222222222";
    });
    expect(summary(await validatePackage(pkg))).toEqual(["RESOURCE_MISMATCH /webApplicationInfo/resource"]);
  });

  it("never downloads a schema: an unbundled schema version is an error, not a fetch", async () => {
    const pkg = localPackage((m) => {
      m.$schema = "https://developer.microsoft.com/json-schemas/teams/v1.99/MicrosoftTeams.schema.json";
      Object.assign(m, { manifestVersion: "1.99" }); // not a version the v1.30 types allow, on purpose
    });
    const issues = await validatePackage(pkg);
    expect(summary(issues)).toEqual(["SCHEMA_NOT_BUNDLED /$schema"]);
    expect(issues[0]!.message).toMatch(
      /schema v1\.99 is not bundled with @microsoft\/app-manifest \(bundled: .*1\.27.*\)/,
    );
  });
});
