import type { Browser, BrowserContext, Frame, FrameLocator, Page } from "playwright-core";
import { newContext } from "./browser";
import type { Stack } from "./stack";

/**
 * The pane as the Outlook add-in: the dev host's Outlook mode (/_devhost/outlook/ on the pane's
 * origin) frames the real taskpane.html with the dev host's office.js, beside a message list from
 * the emulator's mailbox. Everything leaving localhost is blocked (Microsoft's CDN included).
 */
export interface InOutlook {
  readonly context: BrowserContext;
  readonly page: Page;
  /** The task pane (locators). */
  readonly pane: FrameLocator;
  readonly blocked: string[];
  frame(): Frame;
  /** Reads `window.devHostOutlook.<key>` on the host page. */
  outlook<T>(key: string): Promise<T>;
  /** Selects a message in the list (a user's click), which sends ItemChanged to the task pane. */
  select(internetMessageId: string): Promise<void>;
  close(): Promise<void>;
}

export async function openInOutlook(
  browser: Browser,
  stack: Stack,
  query: Record<string, string> = {},
  beforeLoad?: (context: BrowserContext) => Promise<void>,
): Promise<InOutlook> {
  const context = await newContext(browser, 1300);
  await beforeLoad?.(context);
  const blocked: string[] = [];
  await context.route(
    (url) => url.hostname !== "localhost",
    (route) => {
      blocked.push(route.request().url());
      return route.abort();
    },
  );
  const page = await context.newPage();
  const search = new URLSearchParams(query).toString();
  await page.goto(`${stack.pane.origin}/_devhost/outlook/${search === "" ? "" : `?${search}`}`);
  return {
    context,
    page,
    pane: page.frameLocator("#devhost-app"),
    blocked,
    frame: () => {
      const frame = page.frames().find((f) => f.parentFrame() === page.mainFrame());
      if (frame === undefined) throw new Error("the task pane's frame is not there");
      return frame;
    },
    outlook: <T>(key: string) =>
      page.evaluate(
        (k) => (window as unknown as { devHostOutlook: Record<string, unknown> }).devHostOutlook[k],
        key,
      ) as Promise<T>,
    select: async (id: string) => {
      await page.evaluate(() =>
        (window as unknown as { devHostOutlook: { reloadMessages(): Promise<void> } }).devHostOutlook.reloadMessages(),
      );
      await page.locator(`#devhost-messages button[data-internet-message-id="${id}"]`).click();
    },
    close: () => context.close(),
  };
}

/** Puts a message in a mailbox through the emulator's mail flow (trace rows, journal reports). */
export async function placeMessage(
  page: Page,
  stack: Stack,
  upn: string,
  message: { from?: string; to?: string[]; subject: string; sentAt?: string; daysAgo?: number },
): Promise<string> {
  const tenant = upn.split("@")[1] ?? "";
  const res = await page.request.post(
    `${stack.emulator.origin}/_emulator/tenants/${encodeURIComponent(tenant)}/mailboxes/${encodeURIComponent(upn)}/messages`,
    { data: message },
  );
  if (res.status() !== 201) throw new Error(`placing a message: HTTP ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { internetMessageId: string }).internetMessageId;
}
