import type { Browser } from "playwright-core";
import { expectShown, launchBrowser, newContext, screenshot, signIn, waitUntilSettled } from "./browser";
import { startStack, type Stack } from "./stack";
import { completeUsSetup } from "./usSetup";

/**
 * Issue 13, "undo a run", in real Chromium against the `npm start` stack: an admin finishes the US
 * setup, opens the shared progress, reviews the undo of that run (each step in words, the
 * PowerShell) and applies it; the emulator's journal rules and the address for undeliverable
 * reports are back to what they were before (the rule goes first: Exchange refuses to clear the
 * address while a journal rule exists). A reader can review an undo but not apply it.
 */
jest.setTimeout(240_000);

let browser: Browser;
let stack: Stack;
beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), stack?.close()]);
});

function exchange(): { ndr: string; rules: string[]; connectors: string[] } {
  const x = stack.emulator.state.getTenant("contoso.com")?.exchange;
  if (!x) throw new Error("no contoso tenant");
  return {
    ndr: x.transportConfig.JournalingReportNdrTo,
    rules: x.journalRules.map((r) => r.Name),
    connectors: x.outboundConnectors.map((c) => c.Name),
  };
}

it("undo a run: the US setup is reviewed for undo, undone, and the tenant is as before", async () => {
  const before = exchange();
  const context = await newContext(browser, 1100);
  const page = await context.newPage();
  await signIn(page, stack.pane.origin, "admin@contoso.com");
  await completeUsSetup(page);
  expect(exchange().rules).toHaveLength(before.rules.length + 1);

  await page.getByRole("tab", { name: "Shared progress" }).click();
  const progress = page.getByRole("region", { name: "Setup progress" });
  await progress.getByRole("button", { name: "Undo this run" }).click();
  const plan = progress.getByRole("list", { name: "Undo plan" });
  await expectShown(plan);
  const steps = await plan.getByRole("listitem").allInnerTexts();
  expect(steps).toEqual([
    expect.stringMatching(/^Remove journal rule "Journal Messages to Cloudflare Area 1"/),
    expect.stringMatching(/^Clear the address for undeliverable reports/),
  ]);
  await waitUntilSettled(page);
  await screenshot(page, "undo-1-review");
  await progress.getByRole("button", { name: "Apply the undo" }).click();
  await expectShown(progress.getByText("The run is undone."), 60_000);
  await screenshot(page, "undo-2-done");
  expect(exchange()).toEqual(before);
  await context.close();
});

it("a reader can review an undo but not apply it", async () => {
  const context = await newContext(browser, 1100);
  const page = await context.newPage();
  await signIn(page, stack.pane.origin, "compliance.admin@contoso.com");
  const progress = page.getByRole("region", { name: "Setup progress" });
  // The latest run's undo (earlier runs' undos are folded away under "Earlier runs").
  const latest = progress.getByRole("region", { name: "Undo this run" });
  await expectShown(latest.getByText("Only an admin can apply an undo; you can review what it would do."));
  await progress.getByRole("button", { name: "Undo this run" }).click();
  await expectShown(progress.getByRole("button", { name: "Apply the undo" }));
  expect(await progress.getByRole("button", { name: "Apply the undo" }).isDisabled()).toBe(true);
  await context.close();
});
