import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { advanceMailFlow } from "../../../src/emulator/exchange/mailflow";
import { createLogger } from "../../../src/server/log";
import { DEMO_MAIL_FLOW_PER_HOUR, startStack, type RunningStack } from "../../../src/stack/startStack";

/**
 * `npm start` lets the emulator's tenants receive mail (so the Status chart shows what it is for);
 * the tests' stacks keep the stream off unless they ask for it.
 */
async function withStack(
  mailFlowPerHour: number | undefined,
  check: (stack: RunningStack) => void | Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "ja-mailflow-"));
  const stack = await startStack({
    dataDir,
    ports: { emulator: 0, backend: 0 },
    latency: "none",
    pane: false,
    backend: { log: createLogger("error", () => undefined) },
    ...(mailFlowPerHour === undefined ? {} : { mailFlowPerHour }),
  });
  try {
    await check(stack);
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test("the demo's stack sends the tenants external mail; the tests' stack sends none", async () => {
  await withStack(DEMO_MAIL_FLOW_PER_HOUR, (stack) => {
    expect(DEMO_MAIL_FLOW_PER_HOUR).toBeGreaterThan(0);
    for (const tenant of stack.emulator.state.tenants) {
      expect(tenant.exchange.settings.mailFlow.ratePerHour).toBe(DEMO_MAIL_FLOW_PER_HOUR);
    }
    // An hour later (the emulator's clock is the caller's), the stream has delivered an hour's mail.
    const contoso = stack.emulator.state.getTenant("contoso.com");
    if (!contoso) throw new Error("no contoso");
    const start = new Date();
    advanceMailFlow(contoso, start);
    const hour = advanceMailFlow(contoso, new Date(start.getTime() + 3_600_000));
    expect(hour.messages).toBe(DEMO_MAIL_FLOW_PER_HOUR);
  });
  await withStack(undefined, (stack) => {
    for (const tenant of stack.emulator.state.tenants) expect(tenant.exchange.settings.mailFlow.ratePerHour).toBe(0);
  });
});
