import { createBrowserHost, type HostService } from "./host";

/**
 * Teams, Outlook and the Microsoft 365 app answer teams-js's `initialize` within a second or two.
 * teams-js itself waits 60 s before giving up on a framing page that is not a host (reference §5),
 * so the pane stops waiting much earlier and runs in browser mode instead.
 */
export const HOST_INITIALIZE_TIMEOUT_MS = 5000;

/** The Outlook add-in's page (manifest `extensions[0].runtimes[0].code.page`). */
export function isTaskPanePage(win: Window): boolean {
  return /\/taskpane(\.html)?$/.test(win.location.pathname);
}

function isFramed(win: Window): boolean {
  try {
    return win.parent !== win;
  } catch {
    // A cross-origin parent can make the access throw in some browsers: we are framed.
    return true;
  }
}

/**
 * Finds out where the pane runs without ever delaying a plain browser tab: teams-js is loaded and
 * initialized only when the page is framed (a plain tab has no parent to answer), office.js only
 * on the task pane page. Anything that fails or takes too long falls back to browser mode.
 */
export async function detectHost(
  win: Window = window,
  timeoutMs: number = HOST_INITIALIZE_TIMEOUT_MS,
): Promise<HostService> {
  const browser = createBrowserHost(win);
  try {
    if (isTaskPanePage(win)) {
      const { startOutlookTaskPane } = await import(/* webpackChunkName: "host-outlook" */ "./hostOutlook");
      return (await startOutlookTaskPane(win, timeoutMs)) ?? browser;
    }
    if (!isFramed(win)) return browser;
    const { startTeamsHost } = await import(/* webpackChunkName: "host-teams" */ "./hostTeams");
    return (await startTeamsHost(win, timeoutMs)) ?? browser;
  } catch {
    return browser;
  }
}
