/**
 * Where the pane runs, chosen at start-up by `detectHost` (hostDetect.ts):
 * - `browser`: a plain tab (dev, demo, a shared link opened outside Microsoft 365);
 * - `teams`: a teams-js host: a Teams tab, or the personal tab in Outlook / the Microsoft 365 app
 *   (`context.hostName` says which);
 * - `outlook`: the Outlook add-in task pane next to a message (office.js).
 * Host libraries (teams-js, office.js) live in the implementations' own chunks; this file is part
 * of the first render and imports none of them.
 */
export type ThemeName = "light" | "dark" | "contrast";

/** How the pane signs in in this host (see src/services/auth/selectAuth.ts). */
export type SignInMode = "redirect" | "naa" | "teams-sso" | "office-dialog" | "unsupported";

/** The message open in Outlook's reading pane (office.js `mailbox.item`, message read mode). */
export interface SelectedMessage {
  readonly internetMessageId: string;
  readonly subject?: string;
  readonly from?: string;
}

/** The selected message and its changes (Outlook's ItemChanged on a pinned task pane). */
export interface MailItemSource {
  current(): SelectedMessage | null;
  /** Calls back with the newly selected message (null: none); returns an unsubscribe function. */
  onChange(handler: (message: SelectedMessage | null) => void): () => void;
}

/** A dialog the host opened (Office's dialog API): messages from its page, events such as "closed". */
export interface HostDialog {
  onMessage(handler: (message: string, origin: string | undefined) => void): void;
  /** Office's DialogEventReceived codes (12002 not found, 12006 closed by the user, ...). */
  onEvent(handler: (code: number) => void): void;
  close(): void;
}

/** Opens a page of the pane's origin in a host dialog; size in percent of the screen. */
export type HostDialogOpener = (url: string, size: { height: number; width: number }) => Promise<HostDialog>;

/** What the host told the pane about the user and the page (teams-js `app.getContext()`). */
export interface HostContext {
  /** `Teams`, `TeamsModern`, `Outlook`, `OutlookWin32`, `Office`, … or `browser`. */
  readonly hostName: string;
  readonly tenantId?: string;
  /** The signed-in user's UPN/email, to pick the right account without asking. */
  readonly loginHint?: string;
  /** `content` for tabs, `settings` for a channel tab's configuration page. */
  readonly frameContext?: string;
  /** The tab's entityId (the manifest's `setup`, or the channel tab's saved one). */
  readonly entityId?: string;
  /** A deep link's sub page (`progress` opens the shared progress view). */
  readonly subPageId?: string;
  /** In a channel tab: the channel's name. */
  readonly channelName?: string;
  /** In a channel tab: the team's Microsoft 365 group id (Graph's team id) and the channel's id. */
  readonly teamId?: string;
  readonly channelId?: string;
}

/** A channel tab's saved settings (teams-js `pages.config.setConfig`). */
export interface TabSettings {
  readonly contentUrl: string;
  readonly websiteUrl: string;
  readonly entityId: string;
  readonly suggestedDisplayName: string;
}

/** The channel tab configuration page's side of the host (frameContext `settings`). */
export interface TabConfigHost {
  /** Called when the user presses the host's Save; the returned settings are saved. */
  onSave(settings: () => TabSettings): void;
  /** Enables or disables the host's Save button. */
  setValid(valid: boolean): void;
}

export interface HostService {
  readonly kind: "browser" | "teams" | "outlook";
  /** The theme the host asks for (a browser takes it from ?theme=). */
  readonly theme: ThemeName;
  /** Calls back when the host's theme changes; returns an unsubscribe function. */
  onThemeChange(handler: (theme: ThemeName) => void): () => void;
  /** The link that opens the shared progress view. */
  progressLink(): string;
  /** Puts text on the clipboard; rejects when the browser refuses. */
  copyText(text: string): Promise<void>;
  /** The host's context; absent in a plain browser. */
  readonly context?: HostContext;
  /** How to sign in here; absent = the browser redirect flow. */
  readonly signInMode?: SignInMode;
  /** Present only where the host can share a link into a chat (Teams). */
  readonly shareLink?: (url: string, message: string) => Promise<void>;
  /** Opens a link through the host (deep links); absent in a browser. */
  readonly openLink?: (url: string) => Promise<void>;
  /**
   * Opens a page (an admin consent URL) in the host's authentication window and resolves when that
   * window reports back or is closed (teams-js `authentication.authenticate`); absent in a browser,
   * where the pane opens its own popup.
   */
  readonly authenticate?: (url: string) => Promise<void>;
  /** Tells the host the app has loaded, so it hides its loading indicator. */
  readonly notifyLoaded?: () => void;
  /** Present on a channel tab's configuration page. */
  readonly tabConfig?: TabConfigHost;
  /** The Outlook task pane next to a message: the selected message. */
  readonly mailItem?: MailItemSource;
  /** The Outlook task pane: Office's dialog API (sign-in without nested app auth). */
  readonly openDialog?: HostDialogOpener;
}

/** `?theme=dark|contrast|light` (Teams' names `default` and `highContrast` are accepted too). */
export function themeFromParam(value: string | null | undefined): ThemeName {
  switch ((value ?? "").toLowerCase()) {
    case "dark":
      return "dark";
    case "contrast":
    case "highcontrast":
    case "high-contrast":
      return "contrast";
    default:
      return "light";
  }
}

/** teams-js theme names (`default` is light). */
export function themeFromTeams(theme: string | undefined): ThemeName {
  return theme === "default" ? "light" : themeFromParam(theme);
}

/** The pane's page for a view, on the pane's origin (the shared link, the channel tab's content). */
export function paneViewUrl(origin: string, view: "setup" | "progress", query = ""): string {
  return `${origin}/index.html${query}${view === "progress" ? "#/progress" : ""}`;
}

export function createBrowserHost(win: Window = window): HostService {
  const theme = themeFromParam(new URLSearchParams(win.location.search).get("theme"));
  return {
    kind: "browser",
    theme,
    onThemeChange: () => () => undefined,
    progressLink: () => `${win.location.origin}${win.location.pathname}${win.location.search}#/progress`,
    copyText: async (text: string) => {
      await win.navigator.clipboard.writeText(text);
    },
  };
}
