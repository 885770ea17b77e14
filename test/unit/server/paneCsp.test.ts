import {
  CspOriginError,
  OFFICE_JS_ORIGIN,
  paneContentSecurityPolicy,
  parseContentSecurityPolicy,
} from "../../../src/server/pane/csp";
import { DOCUMENTED_FRAME_ANCESTORS as DOCUMENTED_LIST } from "../../fixtures/documentedFrameAncestors";

// Microsoft's documented list, plus 'self' for the development server.
const DOCUMENTED_FRAME_ANCESTORS = ["'self'", ...DOCUMENTED_LIST];

describe("paneContentSecurityPolicy", () => {
  const header = paneContentSecurityPolicy({
    connectOrigins: ["https://localhost:3000", "https://graph.microsoft.com"],
  });
  const csp = parseContentSecurityPolicy(header);

  it("lets exactly the documented Teams / Outlook / Microsoft 365 origins frame the pane", () => {
    expect([...csp.get("frame-ancestors")!].sort()).toEqual([...DOCUMENTED_FRAME_ANCESTORS].sort());
    expect(csp.get("frame-ancestors")).not.toContain("*");
    expect(csp.get("frame-ancestors")).not.toContain("https:");
  });

  it("limits scripts to our origin and allows the inline styles Fluent UI (Griffel) injects", () => {
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
  });

  it("allows connections to the given origins only", () => {
    expect(csp.get("connect-src")).toEqual(["'self'", "https://localhost:3000", "https://graph.microsoft.com"]);
  });

  it("adds office.js's CDN for the Outlook task pane when asked", () => {
    const taskpane = parseContentSecurityPolicy(
      paneContentSecurityPolicy({ connectOrigins: [], scriptOrigins: [OFFICE_JS_ORIGIN] }),
    );
    expect(taskpane.get("script-src")).toEqual(["'self'", "https://appsforoffice.microsoft.com"]);
  });

  it("rejects sources that would widen or break the policy", () => {
    for (const bad of [
      "*",
      "https:",
      "http://localhost:3000",
      "https://graph.microsoft.com/v1.0",
      "https://a.example; script-src *",
      "'unsafe-eval'",
    ]) {
      expect(() => paneContentSecurityPolicy({ connectOrigins: [bad] })).toThrow(CspOriginError);
    }
  });

  it("reports bad sources with a stable code", () => {
    expect(() => paneContentSecurityPolicy({ connectOrigins: ["*"] })).toThrow(
      expect.objectContaining({ code: "CSP_ORIGIN_INVALID" }) as Error,
    );
  });

  it("is one header line of directives", () => {
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.split("; ").map((d) => d.split(" ")[0])).toEqual([
      "default-src",
      "script-src",
      "style-src",
      "img-src",
      "font-src",
      "connect-src",
      "frame-src",
      "object-src",
      "base-uri",
      "form-action",
      "frame-ancestors",
    ]);
  });
});
