/**
 * The host page's Activity feed (runs in the browser): lists what Teams' activity feed received for the
 * signed-in user, refreshed every few seconds, and opens a notification's deep link as Teams does, in the
 * app's tab with the link's subEntityId as `page.subPageId`.
 */

/** One feed entry, as `/_devhost/activity` returns it. */
export interface ActivityItem {
  id: string;
  at: string;
  activityType: string;
  text: string;
  previewText: string | null;
  deepLink: string;
}

export const ACTIVITY_REFRESH_MS = 3000;

/**
 * A Teams entity deep link (`https://teams.microsoft.com/l/entity/<appId>/<entityId>?context={"subEntityId":…}`,
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-link-application) as the tab
 * it opens: entityId and subPageId (teams-js `page.subPageId` is the context's subEntityId).
 */
export function parseEntityDeepLink(
  link: string,
): { appId: string; entityId: string; subPageId: string | null } | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  const m = /^\/l\/entity\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
  if (url.host !== "teams.microsoft.com" || m === null) return null;
  let subPageId: string | null = null;
  const context = url.searchParams.get("context");
  if (context !== null) {
    try {
      const parsed = JSON.parse(context) as { subEntityId?: unknown };
      if (typeof parsed.subEntityId === "string") subPageId = parsed.subEntityId;
    } catch {
      subPageId = null;
    }
  }
  return { appId: decodeURIComponent(m[1]!), entityId: decodeURIComponent(m[2]!), subPageId };
}

export interface ActivityFeedOptions {
  list: HTMLElement;
  path: string;
  /** Opens the app's tab at an entity deep link (the host reloads the frame with the new context). */
  open(target: { entityId: string; subPageId: string | null }, item: ActivityItem): void;
}

/** Starts polling; returns what the page exposes for tests (`devHost.activity`). */
export function startActivityFeed(options: ActivityFeedOptions): { items: ActivityItem[]; refresh(): Promise<void> } {
  const view = { items: [] as ActivityItem[], refresh };
  let shown = "-";

  function render(): void {
    const key = view.items.map((i) => i.id).join(",");
    if (key === shown) return;
    shown = key;
    options.list.replaceChildren(
      ...(view.items.length === 0
        ? [Object.assign(document.createElement("li"), { textContent: "No notifications yet." })]
        : view.items.map((item) => {
            const li = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            button.className = "activity-item";
            button.dataset.activityType = item.activityType;
            const title = document.createElement("strong");
            title.textContent = item.text;
            const preview = document.createElement("span");
            preview.textContent = item.previewText ?? "";
            const time = document.createElement("time");
            time.dateTime = item.at;
            time.textContent = new Date(item.at).toLocaleTimeString();
            button.append(title, preview, time);
            button.addEventListener("click", () => {
              const target = parseEntityDeepLink(item.deepLink);
              // Links that are not an app's tab open outside the app in Teams; the dev host only records them.
              if (target !== null) options.open(target, item);
            });
            li.append(button);
            return li;
          })),
    );
  }

  async function refresh(): Promise<void> {
    try {
      const res = await fetch(options.path, { headers: { accept: "application/json" } });
      if (!res.ok) return;
      const body = (await res.json()) as { notifications?: ActivityItem[] };
      view.items = body.notifications ?? [];
      render();
    } catch {
      // The next refresh tries again (the emulator may be restarting).
    }
  }

  render();
  void refresh();
  window.setInterval(() => void refresh(), ACTIVITY_REFRESH_MS);
  return view;
}
