/**
 * Where the pane runs. A plain browser tab now; Teams / Outlook (teams-js, office.js) come with
 * issue 6 as further implementations of this interface, chosen at start-up.
 */
export type ThemeName = "light" | "dark" | "contrast";

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
}

/** `?theme=dark|contrast|light` (Teams' names `default` and `highContrast` are accepted too). */
export function themeFromParam(value: string | null): ThemeName {
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
