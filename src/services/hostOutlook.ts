import { paneViewUrl, type HostService, type ThemeName } from "./host";
import { withTimeout } from "./hostTimeout";
import { officeDialogOpener } from "./office/officeDialog";
import { officeMailItemSource } from "./office/mailItem";
import { officeOf } from "./office/officeTypes";

/**
 * The pane as an Outlook add-in task pane (taskpane.html). office.js comes from Microsoft's CDN
 * through a script tag on that page only (Office requires the hosted copy); this chunk only talks
 * to the `Office` global (typed in ./office/officeTypes.ts).
 */

/** A dark task pane background (Outlook's dark mode) means the dark theme. */
export function themeFromBackground(color: string | undefined): ThemeName {
  const hex = /^#?([0-9a-f]{6})$/i.exec(color ?? "")?.[1];
  if (hex === undefined) return "light";
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const luminance = (0.299 * (r ?? 255) + 0.587 * (g ?? 255) + 0.114 * (b ?? 255)) / 255;
  return luminance < 0.5 ? "dark" : "light";
}

/** null when office.js did not load or the page is not inside Office (it then runs in browser mode). */
export async function startOutlookTaskPane(win: Window, timeoutMs: number): Promise<HostService | null> {
  const office = officeOf(win);
  if (office === undefined) return null;
  const info = await withTimeout(office.onReady(), timeoutMs, null);
  if (info === null || info.host === null) return null;
  const requirements = office.context?.requirements;
  // Nested app auth in Office add-ins (reference §2.1). Older Outlook (Windows, Mac) has none: there
  // the add-in signs in through Office's dialog API, the documented fallback.
  const naa = requirements?.isSetSupported("NestedAppAuth", "1.1") === true;
  const loginHint = office.context?.mailbox?.userProfile?.emailAddress;
  const progressLink = paneViewUrl(win.location.origin, "progress");
  const mailItem = officeMailItemSource(office);
  const openDialog = officeDialogOpener(office);
  return {
    kind: "outlook",
    theme: themeFromBackground(office.context?.officeTheme?.bodyBackgroundColor),
    onThemeChange: () => () => undefined,
    progressLink: () => progressLink,
    copyText: async (text: string) => {
      await win.navigator.clipboard.writeText(text);
    },
    context: { hostName: info.host, ...(loginHint ? { loginHint } : {}) },
    signInMode: naa ? "naa" : openDialog ? "office-dialog" : "unsupported",
    ...(mailItem ? { mailItem } : {}),
    ...(openDialog ? { openDialog } : {}),
  };
}
