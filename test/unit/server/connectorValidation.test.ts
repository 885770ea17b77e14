import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectorValidator } from "../../../src/server/connector/validation";
import type { ExchangeRunnerFactory } from "../../../src/server/exchange/factory";
import { silentLogger } from "../../../src/server/log";
import { openDatabase } from "../../../src/server/store/db";
import { Store } from "../../../src/server/store/tenantStore";

const CONTOSO = "58bcf7ff-e000-52e5-b108-402f9434063e";
const FABRIKAM = "6a4a2f1d-0000-5000-8000-000000000002";

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ja-validation-"));
  store = new Store(openDatabase(dir));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const noExchange: ExchangeRunnerFactory = {
  forPrincipal: () => ({ run: () => Promise.reject(new Error("no Exchange in this test")) }),
};

test("a validation left running by an earlier process is failed when this process first serves the tenant", async () => {
  const interrupted = "0c65da69-9cf3-4117-86ba-45aaca8c5ec9";
  await store
    .forTenant(CONTOSO)
    .createValidation({ id: interrupted, requestedBy: "admin@contoso.com", startedAt: "t" });
  await store.forTenant(FABRIKAM).createValidation({ id: "f", requestedBy: "admin@fabrikam.com", startedAt: "t" });
  // The process restarts: a new validator over the same database.
  const validator = new ConnectorValidator(store, noExchange, silentLogger);
  await validator.recoverInterrupted(CONTOSO);
  expect((await store.forTenant(CONTOSO).getValidation(interrupted))?.state).toBe("failed");
  // Another tenant's rows are its own business.
  expect((await store.forTenant(FABRIKAM).getValidation("f"))?.state).toBe("running");
  // Only once per tenant: validations this process starts later are left to finish.
  const ours = "8d0f4a34-9c6a-4b33-9a3e-1a3c2c7f2c11";
  await store.forTenant(CONTOSO).createValidation({ id: ours, requestedBy: "admin@contoso.com", startedAt: "t" });
  await validator.recoverInterrupted(CONTOSO);
  expect((await store.forTenant(CONTOSO).getValidation(ours))?.state).toBe("running");
});
