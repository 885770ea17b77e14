import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROLE } from "../../../src/core/contract";
import { presentMe } from "../../../src/server/auth/me";
import type { Principal } from "../../../src/server/auth/principal";
import { presentRun } from "../../../src/server/executor/present";
import { openDatabase } from "../../../src/server/store/db";
import { Store } from "../../../src/server/store/tenantStore";

const CONTOSO = "58bcf7ff-e000-52e5-b108-402f9434063e";
const RUN_ID = "0c65da69-9cf3-4117-86ba-45aaca8c5ec9";

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ja-present-"));
  store = new Store(openDatabase(dir));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("presentRun", () => {
  it("shows a stored run as the contract's Run: unset times and errors left out, not null", async () => {
    const tenant = store.forTenant(CONTOSO);
    await tenant.createRun(
      {
        id: RUN_ID,
        startedBy: "admin@contoso.com",
        startedByOid: "o",
        startedAt: "2026-01-01T00:00:00Z",
        desired: { a: 1 },
        planHash: "0123456789abcdef",
      },
      [
        { id: "ndr", cmdlet: "Set-TransportConfig", parameters: { X: 1 }, dependsOn: [], reason: "r1" },
        { id: "rule", cmdlet: "New-JournalRule", parameters: {}, dependsOn: ["ndr"], reason: "r2" },
      ],
    );
    await tenant.updateAction(RUN_ID, "ndr", {
      state: "failed",
      attempts: 1,
      error: { code: "access_denied", message: "no" },
      startedAt: "2026-01-01T00:00:01Z",
      finishedAt: "2026-01-01T00:00:02Z",
    });
    const run = await presentRun(tenant, (await tenant.getRun(RUN_ID))!);
    expect(JSON.stringify(run)).toBe(
      JSON.stringify({
        id: RUN_ID,
        state: "running",
        startedBy: "admin@contoso.com",
        startedAt: "2026-01-01T00:00:00Z",
        planHash: "0123456789abcdef",
        resumes: 0,
        actions: [
          {
            id: "ndr",
            cmdlet: "Set-TransportConfig",
            parameters: { X: 1 },
            reason: "r1",
            dependsOn: [],
            state: "failed",
            attempts: 1,
            error: { code: "access_denied", message: "no" },
            startedAt: "2026-01-01T00:00:01Z",
            finishedAt: "2026-01-01T00:00:02Z",
          },
          {
            id: "rule",
            cmdlet: "New-JournalRule",
            parameters: {},
            reason: "r2",
            dependsOn: ["ndr"],
            state: "pending",
            attempts: 0,
          },
        ],
      }),
    );
    await tenant.finishRun(RUN_ID, "failed", "2026-01-01T00:00:03Z");
    expect((await presentRun(tenant, (await tenant.getRun(RUN_ID))!)).finishedAt).toBe("2026-01-01T00:00:03Z");
  });
});

describe("presentMe", () => {
  it("reports the caller's known roles by name and whether they may change things", () => {
    const principal: Principal = {
      tenantId: CONTOSO,
      oid: "o",
      upn: "reader@contoso.com",
      name: "Reader",
      wids: [ROLE.globalReader.id, "00000000-0000-0000-0000-000000000000"],
      scopes: [],
      assertion: "",
      exp: 0,
    };
    const access = { kind: "entraReader", rolesFrom: "token", text: "Entra role Global Reader." } as const;
    expect(presentMe(principal, "Contoso", access)).toEqual({
      user: { oid: "o", upn: "reader@contoso.com", name: "Reader" },
      tenant: { id: CONTOSO, name: "Contoso" },
      roles: ["Global Reader"],
      canChange: false,
      requiredRoles: ["Exchange Administrator", "Global Administrator"],
      access,
    });
  });
});
