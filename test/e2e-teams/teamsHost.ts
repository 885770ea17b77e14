import type { Browser, BrowserContext, Frame, FrameLocator, Page } from "playwright-core";
import { newContext } from "../e2e/browser";
import type { Stack } from "../e2e/stack";

/**
 * Opens the pane inside the local host page (src/devhost, mounted on the pane's origin by
 * startStack({devHost})) with the real teams-js, as Teams / Outlook would. Everything that leaves
 * localhost is blocked (teams-js's validDomains CDN fetch, office.js), so nothing waits on the network.
 */
export interface InHost {
  readonly context: BrowserContext;
  readonly page: Page;
  /** The pane in the host's frame (locators). */
  readonly pane: FrameLocator;
  /** Every URL the browser asked for (to prove no sign-in page was shown). */
  readonly requested: string[];
  /** Requests that tried to leave localhost (blocked). */
  readonly blocked: string[];
  /** The pane's frame (evaluate). */
  frame(): Frame;
  /** Reads `window.devHost.<key>` on the host page. */
  devHost<T>(key: string): Promise<T>;
  close(): Promise<void>;
}

export async function openInHost(browser: Browser, stack: Stack, query: Record<string, string> = {}): Promise<InHost> {
  const context = await newContext(browser, 900);
  const blocked: string[] = [];
  const requested: string[] = [];
  await context.route(
    (url) => url.hostname !== "localhost",
    (route) => {
      blocked.push(route.request().url());
      return route.abort();
    },
  );
  const page = await context.newPage();
  page.on("request", (r) => requested.push(r.url()));
  const search = new URLSearchParams(query).toString();
  await page.goto(`${stack.pane.origin}/_devhost/${search === "" ? "" : `?${search}`}`);
  return {
    context,
    page,
    pane: page.frameLocator("#devhost-app"),
    requested,
    blocked,
    frame: () => {
      const frame = page.frames().find((f) => f.parentFrame() === page.mainFrame());
      if (frame === undefined) throw new Error("the pane's frame is not there");
      return frame;
    },
    devHost: <T>(key: string) =>
      page.evaluate((k) => (window as unknown as { devHost: Record<string, unknown> }).devHost[k], key) as Promise<T>,
    close: () => context.close(),
  };
}

/** The computed background colour of the pane's themed page (the element with data-theme, inside FluentProvider). */
export function paneBackground(host: InHost): Promise<string> {
  return host.frame().evaluate(() => {
    const root = document.querySelector("[data-theme]");
    return root ? getComputedStyle(root).backgroundColor : "";
  });
}

/** The theme the pane applied (`light|dark|contrast`, on its page element). */
export function paneTheme(host: InHost): Promise<string | null> {
  return host.frame().evaluate(() => document.querySelector("[data-theme]")?.getAttribute("data-theme") ?? null);
}

export async function waitSignedIn(host: InHost): Promise<void> {
  await host.pane.getByRole("group", { name: "Signed-in account" }).waitFor({ timeout: 20_000 });
}
