import type { Page } from "playwright-core";
import { Actor, expectShown } from "./browser";

/** The step's heading, visible and not covered (issue 10: a portal layer once hid the page). */
async function stepHeading(page: Page, title: string): Promise<void> {
  await expectShown(page.getByRole("heading", { level: 2, name: title }));
}

/**
 * The default US-for-everyone setup of a fresh contoso, as an admin clicks through it, from the
 * Check step to a green Status. `atStep` runs on each step once it shows (axe, screenshots).
 */
export async function completeUsSetup(
  page: Page,
  admin: Actor = new Actor(page),
  atStep: (name: string) => Promise<void> = () => Promise.resolve(),
): Promise<Actor> {
  await stepHeading(page, "Check");
  await page.getByText(/0 of \d+ allowed are used/).waitFor({ timeout: 20_000 });
  await atStep("1-check");
  await admin.click(page.getByRole("button", { name: "Next" }));

  await stepHeading(page, "Service address");
  await admin.type(page.getByLabel("Customer name"), "contoso");
  await page.getByText("contoso@journaling.mxrecord.io").waitFor();
  await atStep("2-service-address");
  await admin.click(page.getByRole("button", { name: "Next" }));

  await stepHeading(page, "Where mail is processed");
  if (!(await page.getByRole("radio", { name: /^United States/ }).isChecked())) {
    throw new Error("United States is not the preselected region");
  }
  await atStep("3-where");
  await admin.click(page.getByRole("button", { name: "Next" }));

  await stepHeading(page, "Undeliverable reports");
  await admin.click(page.getByRole("button", { name: /^Use Journal NDR/ }));
  await page.getByText(/journal rules cover external messages only/).waitFor();
  await atStep("4-undeliverable-reports");
  await admin.click(page.getByRole("button", { name: "Next" }));

  await stepHeading(page, "Review");
  const apply = page.getByRole("button", { name: /^Apply \d+ changes?$/ });
  await apply.waitFor({ timeout: 30_000 });
  await atStep("5-review");
  await admin.click(apply);

  await stepHeading(page, "Apply");
  const seeStatus = page.getByRole("button", { name: "See status" });
  await seeStatus.waitFor({ timeout: 120_000 });
  await atStep("6-apply");
  await admin.click(seeStatus);

  await stepHeading(page, "Status");
  await expectShown(page.getByText("Everything is set up"), 60_000);
  await atStep("7-status");
  return admin;
}
