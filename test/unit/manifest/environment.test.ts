import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { listEnvironments, loadEnvironment, parseEnvironment } from "../../../manifest/lib/environment";
import { ManifestError } from "../../../manifest/lib/errors";
import { fillTemplate } from "../../../manifest/lib/template";

const VALID = {
  APP_ID: "4b7f3c2e-9a51-4d8e-b6f0-2c1e7a9d5f38",
  APP_VERSION: "1.0.0",
  PANE_ORIGIN: "https://app.contoso.example",
  CLIENT_ID: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
  DEVELOPER_NAME: "Contoso IT",
  DEVELOPER_WEBSITE_URL: "https://www.contoso.example/",
  PRIVACY_URL: "https://www.contoso.example/privacy",
  TERMS_OF_USE_URL: "https://www.contoso.example/terms",
};

function errorOf(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error("expected a ManifestError");
}

describe("environment files", () => {
  it("accepts a complete file and derives PANE_HOST (with the port when there is one)", () => {
    expect(parseEnvironment("prod", VALID).values.PANE_HOST).toBe("app.contoso.example");
    expect(parseEnvironment("dev", { ...VALID, PANE_ORIGIN: "https://localhost:3000" }).values.PANE_HOST).toBe(
      "localhost:3000",
    );
  });

  it("lists every problem with the field name and what is expected", () => {
    const { APP_VERSION: _dropped, ...withoutVersion } = VALID;
    const error = errorOf(() =>
      parseEnvironment("prod", {
        ...withoutVersion,
        PANE_ORIGIN: "http://app.contoso.example",
        CLIENT_ID: "not-a-guid",
        PRIVACY_URL: "ftp://x",
        EXTRA: 1,
      }),
    );
    expect(error.code).toBe("ENV_INVALID");
    expect([...error.details].sort()).toEqual(
      [
        "APP_VERSION is required",
        "PANE_ORIGIN must be an https origin like https://app.contoso.example (no path, no trailing slash)",
        "CLIENT_ID (the Entra application (client) id) must be a GUID like 00000000-0000-0000-0000-000000000000",
        "PRIVACY_URL must be an absolute https:// URL",
        expect.stringContaining('"EXTRA"'),
      ].sort(),
    );
    expect(error.message).toContain("Environment file prod.json is not valid:");
  });

  it("rejects origins with a path or trailing slash", () => {
    for (const origin of ["https://app.contoso.example/", "https://app.contoso.example/pane"]) {
      expect(errorOf(() => parseEnvironment("prod", { ...VALID, PANE_ORIGIN: origin })).details).toEqual([
        "PANE_ORIGIN must be an https origin like https://app.contoso.example (no path, no trailing slash)",
      ]);
    }
  });

  it("loads files by name only from the environments folder and explains invalid JSON", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "manifest-env-"));
    try {
      writeFileSync(path.join(dir, "good.json"), JSON.stringify(VALID));
      writeFileSync(path.join(dir, "bad.json"), "{ nope");
      expect(listEnvironments(dir)).toEqual(["bad", "good"]);
      expect(loadEnvironment("good", dir).values.CLIENT_ID).toBe(VALID.CLIENT_ID);
      expect(errorOf(() => loadEnvironment("bad", dir))).toMatchObject({
        code: "ENV_INVALID",
        message: expect.stringContaining("is not valid JSON"),
      });
      expect(errorOf(() => loadEnvironment("../good", dir)).code).toBe("ENV_NOT_FOUND");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ships local and production.example", () => {
    expect(listEnvironments()).toEqual(["local", "production.example"]);
    expect(loadEnvironment("local").values.PANE_ORIGIN).toBe("https://localhost:3000");
  });
});

describe("template filling", () => {
  it("fills placeholders inside string values only, leaving JSON structure intact", () => {
    const filled = fillTemplate({ a: "{{X}}/index.html", b: ["api://{{X}}/{{Y}}"], n: 3 }, { X: 'h"ost', Y: "id" });
    expect(filled).toEqual({ a: 'h"ost/index.html', b: ['api://h"ost/id'], n: 3 });
  });

  it("names placeholders that have no value", () => {
    const error = errorOf(() => fillTemplate({ a: "{{MISSING}}" }, { X: "1" }));
    expect(error.code).toBe("TEMPLATE_INVALID");
    expect(error.details).toEqual(["{{MISSING}} (known: X)"]);
  });
});
