import type { Browser, Locator, Page } from "playwright-core";
import { expectShown, launchBrowser, newContext, screenshot, signIn, waitUntilSettled } from "./browser";
import { startStack, type Stack } from "./stack";

/**
 * Issue 10, items 4 and 6 to 9, as an admin meets them in real Chromium with real pointer clicks
 * (locator.click(): Playwright's actionability checks, never forced), on a fresh tenant of the
 * `npm start` stack: the address before a region is chosen, the regions with their ids and hosts in
 * an even grid, the plan in future tense and the run in past tense, Status open as soon as the run
 * is done, what to do next, the empty chart, the PowerShell box at 320 to 1280 px, state badges of
 * one width, and the shared progress that says whether the setup is healthy and who did what, in
 * an admin's words.
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

async function stepHeading(page: Page, title: string): Promise<void> {
  await expectShown(page.getByRole("heading", { level: 2, name: title }));
}

/** The widths of the state badges in a part of the page (they line up when all are equal). */
async function badgeWidths(scope: Locator): Promise<number[]> {
  return scope
    .locator(".fui-Badge")
    .evaluateAll((badges) => badges.map((b) => Math.round(b.getBoundingClientRect().width)));
}

/** The PowerShell box at one viewport width: no line runs off to the right and Copy is in view. */
async function checkScriptBox(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  const script = page.getByLabel("PowerShell script");
  await expectShown(script);
  const overflow = await script.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect({ width, overflow }).toEqual({ width, overflow: 0 });
  const copy = page.getByRole("button", { name: /^(Copy script|Copied)$/ });
  await expectShown(copy);
  const box = await copy.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
  // The document itself does not scroll sideways either.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

describe("a new admin sets up EU only and India only, then looks at the result", () => {
  it("sees choices, plan, run, status and the shared record in words that say what was and will be done", async () => {
    const context = await newContext(browser, 1280);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, "admin@contoso.com");

    await stepHeading(page, "Check");
    await expectShown(page.getByText(/0 of \d+ allowed are used/));
    await page.getByRole("button", { name: "Next" }).click();

    // Step 2: no region is chosen yet, so no address is presented as the one.
    await stepHeading(page, "Service address");
    await page.getByLabel("Customer name").fill("contoso");
    await expectShown(page.getByText(/The address depends on the region you choose in step 3/));
    await expect(page.getByText("Journal reports will go to:").count()).resolves.toBe(0);
    await expectShown(page.getByText("contoso@journaling.mailstream-eu1.mxrecord.io"));
    await screenshot(page, "results-2-address-before-region");
    await page.getByRole("button", { name: "Next" }).click();

    // Step 3: each region with its id and host, checkboxes in an even grid.
    await stepHeading(page, "Where mail is processed");
    await page.getByRole("radio", { name: /^By region/ }).click();
    const eu = page.getByRole("checkbox", {
      name: /^EU only \(no fallback\) eu1 journaling\.mailstream-eu1\.mxrecord\.io/,
    });
    const india = page.getByRole("checkbox", { name: /^India only bom journaling\.mailstream-bom\.mxrecord\.mx/ });
    await expectShown(page.getByText("journaling.mailstream-eu1.mxrecord.io"));
    // An even grid: every checkbox starts at one of the grid's column edges, and the columns are equally wide.
    const grid = async (): Promise<{ columns: number; starts: number; widths: number[] }> =>
      page.getByRole("group", { name: "Regions" }).evaluate((fieldset) => {
        const grid = fieldset.querySelector(".fui-Checkbox")?.parentElement;
        const columns = grid ? getComputedStyle(grid).gridTemplateColumns.split(" ") : [];
        const lefts = [...fieldset.querySelectorAll(".fui-Checkbox")].map((c) =>
          Math.round(c.getBoundingClientRect().left),
        );
        return {
          columns: columns.length,
          starts: new Set(lefts).size,
          widths: [...new Set(columns.map((c) => Math.round(parseFloat(c))))],
        };
      });
    const wide = await grid();
    expect(wide.columns).toBeGreaterThan(1);
    expect(wide).toEqual({ columns: wide.columns, starts: wide.columns, widths: [expect.any(Number)] });
    await page.setViewportSize({ width: 320, height: 900 });
    await expect(grid()).resolves.toEqual({ columns: 1, starts: 1, widths: [expect.any(Number)] });
    await screenshot(page, "results-3-regions-320");
    await page.setViewportSize({ width: 1280, height: 900 });
    await eu.click();
    await india.click();
    for (const region of ["EU only (no fallback)", "India only"]) {
      const card = page.getByRole("region", { name: region });
      const addAll = card.getByRole("button", { name: /^Add all \d+ suggested$/ });
      await expectShown(addAll);
      await addAll.click();
      await expectShown(card.getByLabel(/^Members of/));
    }
    const euMembers = await page
      .getByRole("region", { name: "EU only (no fallback)" })
      .getByLabel(/^Members of/)
      .locator(".fui-Tag")
      .count();
    expect(euMembers).toBeGreaterThan(1);
    await page.getByRole("button", { name: "Next" }).click();

    await stepHeading(page, "Undeliverable reports");
    await page.getByRole("button", { name: /^Use Journal NDR/ }).click();
    await page.getByRole("button", { name: "Next" }).click();

    // Step 5: what will be done, then why; the PowerShell box wraps with Copy in view at every width.
    await stepHeading(page, "Review");
    const planned = page.getByRole("list", { name: "Planned changes" });
    await expectShown(planned);
    const plannedRows = await planned.getByRole("listitem").allInnerTexts();
    expect(plannedRows).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Create list journaling-eu1@contoso\\.com with ${euMembers} members\\s+Why: No group has the address`,
        ),
      ),
    );
    expect(plannedRows).toContainEqual(
      expect.stringMatching(/^Set the address for undeliverable reports to journal-ndr@contoso\.com\s+Why:/),
    );
    await page.getByRole("tab", { name: "PowerShell" }).click();
    for (const width of [320, 768, 1280]) await checkScriptBox(page, width);
    await page.setViewportSize({ width: 320, height: 900 });
    await page.getByRole("button", { name: "Copy script" }).click();
    await expectShown(page.getByRole("button", { name: "Copied" }));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("New-JournalRule");
    await screenshot(page, "results-5-powershell-320");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole("tab", { name: /^Steps/ }).click();
    await page.getByRole("button", { name: /^Apply \d+ changes$/ }).click();

    // Step 6: each finished change says what was done; Status opens up at once; what next.
    await stepHeading(page, "Apply");
    await expectShown(page.getByText("All changes are done."), 60_000);
    const changes = page.getByRole("list", { name: "Changes" });
    const done = await changes.getByRole("listitem").allInnerTexts();
    expect(done.length).toBe(plannedRows.length);
    for (const row of done) {
      expect(row).toMatch(/^Done\s/);
      expect(row).not.toMatch(/No group has|No address|No journal rule|No connector|should be/);
    }
    expect(done).toContainEqual(
      expect.stringMatching(new RegExp(`^Done\\s+Created list journaling-eu1@contoso\\.com with ${euMembers} members`)),
    );
    expect(done).toContainEqual(
      expect.stringMatching(/^Done\s+Set the address for undeliverable reports to journal-ndr@contoso\.com/),
    );
    expect(done).toContainEqual(
      expect.stringMatching(
        /^Done\s+Created journal rule ".+" to contoso@journaling\.mailstream-bom\.mxrecord\.mx for external mail of the members of journaling-bom@contoso\.com/,
      ),
    );
    const applyBadges = await badgeWidths(changes);
    expect(new Set(applyBadges).size).toBe(1);

    const whatNext = page.getByRole("region", { name: "What next" });
    await expectShown(whatNext);
    const dashboard = whatNext.getByRole("link", { name: "Cloud Email Security dashboard" });
    await expectShown(dashboard);
    expect(await dashboard.getAttribute("href")).toBe("https://horizon.area1security.com/");
    await expect(whatNext.innerText()).resolves.toMatch(
      /Test the mail flow\. Send a test message from the Status step:.*The chart on the Status step/s,
    );
    await whatNext.getByRole("button", { name: "Copy link" }).click();
    await expectShown(whatNext.getByText("The link to the shared progress is on the clipboard."));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/#\/progress$/);
    await screenshot(page, "results-6-apply-done");

    // Before See status: the run is done, so its status can be opened from the step list.
    const statusInList = page
      .getByRole("navigation", { name: "Setup steps" })
      .getByRole("button", { name: /^7\. Status/ });
    await statusInList.click({ timeout: 10_000 });

    // Step 7: an empty chart says why it is empty; badges line up; what next points at the chart above.
    await stepHeading(page, "Status");
    await expectShown(page.getByText("Everything is set up"));
    const trace = page.getByRole("region", { name: "Journal reports, last 24 hours" });
    const empty = trace.getByText(
      "No journal reports in the last 24 hours yet — Exchange lists messages up to an hour late.",
    );
    await expectShown(empty.first());
    await expect(empty.count()).resolves.toBe(2);
    await expect(trace.getByRole("img").count()).resolves.toBe(0);
    const parts = page.getByRole("table", { name: "Parts of the setup" });
    expect(new Set(await badgeWidths(parts)).size).toBe(1);
    expect((await badgeWidths(parts))[0]).toBe(applyBadges[0]);
    await expect(page.getByRole("region", { name: "What next" }).innerText()).resolves.toMatch(
      /Send a test message above: .* The chart above counts/,
    );
    await waitUntilSettled(page);
    await screenshot(page, "results-7-status-empty-chart");

    // The shared progress: healthy now, what changed in Exchange, and one history entry per step.
    await page.getByRole("tab", { name: "Shared progress" }).click();
    const progress = page.getByRole("region", { name: "Setup progress" });
    await expectShown(progress.getByText("Healthy", { exact: true }));
    await expect(progress.innerText()).resolves.toMatch(/Healthy — checked just now\./);
    const exchange = progress.getByRole("list", { name: "Changes in Exchange" });
    await expectShown(exchange);
    await expect(exchange.innerText()).resolves.toContain(
      `Created list journaling-eu1@contoso.com with ${euMembers} members`,
    );
    const history = (await progress.getByRole("list", { name: "History" }).getByRole("listitem").allInnerTexts()).map(
      (h) => h.replace(/^.*?: admin@contoso\.com /, ""),
    );
    expect(history.reverse()).toEqual([
      "Finished step 1 Check",
      "Finished step 2 Service address: customer name contoso",
      expect.stringMatching(
        /^Finished step 3 Where mail is processed: EU only \(no fallback\) with new list journaling-eu1@contoso\.com \(\d+ members\), India only with new list journaling-bom@contoso\.com \(\d+ members?\)$/,
      ),
      "Finished step 4 Undeliverable reports: journal-ndr@contoso.com",
      "Finished step 5 Review",
      "Finished step 6 Apply",
    ]);
    expect(new Set(await badgeWidths(progress.getByRole("list", { name: "Steps" }))).size).toBe(1);
    await waitUntilSettled(page);
    await screenshot(page, "results-progress");
    await context.close();
  });

  it("shows a colleague without a role the record, and says the health is for admins and readers", async () => {
    const context = await newContext(browser, 320);
    const page = await context.newPage();
    await signIn(page, stack.pane.origin, "user@contoso.com");
    const progress = page.getByRole("region", { name: "Setup progress" });
    await expectShown(progress.getByText(/Only Exchange admins and readers .* can see whether the setup is healthy/));
    await expectShown(progress.getByRole("list", { name: "Changes in Exchange" }));
    await waitUntilSettled(page);
    await screenshot(page, "results-progress-read-only-320");
    await context.close();
  });
});
