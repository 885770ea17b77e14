import type { Browser, Page } from "playwright-core";
import { Actor, clickEmptySpace, expectShown, launchBrowser, newContext, signIn } from "./browser";
import { startStack, type Stack } from "./stack";

/**
 * The search boxes as a person uses them, with a mouse (issue 10): open the drop-down by typing,
 * close it (Escape, or a click on an empty part of the page), and the page is still there: the
 * step's text can be seen and its buttons can be clicked. Fluent copied the page's style (full
 * height, grey) from FluentProvider onto the drop-down's portal layer, which then covered the page.
 */
jest.setTimeout(180_000);

let browser: Browser;
// One fresh tenant per test: each starts from the Check step.
let stacks: Stack[] = [];
beforeAll(async () => {
  [browser, ...stacks] = await Promise.all([launchBrowser(), startStack(), startStack()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), ...stacks.map((s) => s.close())]);
});

const stepHeading = (page: Page, title: string) => page.getByRole("heading", { level: 2, name: title });

/** Sign-in, Check, the service address: on to "Where mail is processed", every click a real one. */
async function toWhereStep(page: Page, admin: Actor, stack: Stack): Promise<void> {
  await signIn(page, stack.pane.origin, "admin@contoso.com");
  await expectShown(stepHeading(page, "Check"));
  await admin.click(page.getByRole("button", { name: "Next" }));
  await expectShown(stepHeading(page, "Service address"));
  await admin.type(page.getByLabel("Customer name"), "contoso");
  await admin.click(page.getByRole("button", { name: "Next" }));
  await expectShown(stepHeading(page, "Where mail is processed"));
}

describe("the search boxes leave the page usable", () => {
  it("step 3: after the member picker's list was used and closed with Escape, the members show and Next can be clicked", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const admin = new Actor(page);
    await toWhereStep(page, admin, stacks[0]!);
    await admin.click(page.getByRole("radio", { name: /^By region/ }));
    await admin.click(page.getByRole("checkbox", { name: /^EU only/ }));
    const eu = page.getByRole("region", { name: "EU only (no fallback)" });
    const members = eu.getByRole("combobox", { name: /Add members/ });

    // Pick someone from the list with a click on the option.
    await admin.click(members);
    await members.pressSequentially("anna");
    await admin.click(page.getByRole("option", { name: /Anna Schmidt/ }));
    await page.getByRole("listbox").waitFor({ state: "hidden" });
    // Open the list again by typing, and close it with Escape (the box keeps the focus).
    await members.pressSequentially("jonas");
    await expectShown(page.getByRole("option", { name: /Jonas Becker/ }));
    await members.press("Escape");
    await page.getByRole("listbox").waitFor({ state: "hidden" });

    await expectShown(eu.getByLabel(/Members of the EU only/).getByText("anna.schmidt@contoso.com"));
    await expectShown(stepHeading(page, "Where mail is processed"));
    await admin.click(page.getByRole("button", { name: "Next" }));
    await expectShown(stepHeading(page, "Undeliverable reports"));
    await context.close();
  });

  it("step 4: after the mailbox picker's list was open and closed with Escape, the refusal of a group shows and Next can be clicked", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const admin = new Actor(page);
    await toWhereStep(page, admin, stacks[1]!);
    await admin.click(page.getByRole("button", { name: "Next" }));
    await expectShown(stepHeading(page, "Undeliverable reports"));

    const mailbox = page.getByRole("combobox", { name: /Mailbox for undeliverable journal reports/ });
    await admin.click(mailbox);
    await mailbox.pressSequentially("sales@contoso.com");
    // The search offers the group only as an option that can't be chosen, with the reason.
    const group = page.getByRole("option", { name: /Sales.*refuses groups/ }).first();
    await expectShown(group);
    await expect(group.isDisabled()).resolves.toBe(true);
    await mailbox.press("Escape");
    await page.getByRole("listbox").waitFor({ state: "hidden" });

    const refusal = page.getByText(/is the group "Sales".*refuses groups here: choose a user account/);
    await expectShown(refusal);
    // Next refuses to move on while the address is a group, and says why where it can be seen.
    await admin.click(page.getByRole("button", { name: "Next" }));
    await expectShown(stepHeading(page, "Undeliverable reports"));
    await expectShown(refusal);

    // The list opened again (its button) and closed by a click on an empty part of the page.
    await admin.click(mailbox.locator("..").getByRole("button", { name: /^Open/ }));
    await expectShown(group);
    await clickEmptySpace(page);
    await page.getByRole("listbox").waitFor({ state: "hidden" });
    await expectShown(refusal);

    // A user account instead, chosen with the mouse, and the setup goes on.
    await admin.click(page.getByRole("button", { name: /^Use Journal NDR/ }));
    await admin.click(page.getByRole("button", { name: "Next" }));
    await expectShown(stepHeading(page, "Review"));
    await context.close();
  });
});
