import { app, authentication, FrameContexts, nestedAppAuth, pages, sharing } from "@microsoft/teams-js";
import { paneViewUrl, themeFromTeams, type HostService, type TabSettings, type ThemeName } from "./host";
import { withTimeout } from "./hostTimeout";

/**
 * The pane inside a teams-js host: a Teams tab, or the personal tab in Outlook and the Microsoft
 * 365 app. Its own chunk: teams-js is loaded only when the page is framed.
 */

/**
 * Initializes teams-js and reads the context; null when nothing answered in time (a page that
 * frames the pane but is no host) so the caller falls back to browser mode.
 */
export async function startTeamsHost(win: Window, timeoutMs: number): Promise<HostService | null> {
  const initialized = await withTimeout(
    app.initialize().then(() => true),
    timeoutMs,
    false,
  );
  if (!initialized) return null;
  const context = await app.getContext();
  const listeners = new Set<(theme: ThemeName) => void>();
  // teams-js keeps one theme handler; it fans out to the pane's subscribers.
  app.registerOnThemeChangeHandler((theme) => {
    const next = themeFromTeams(theme);
    for (const listener of listeners) listener(next);
  });

  const origin = win.location.origin;
  const progressLink = paneViewUrl(origin, "progress");
  const settingsPage = context.page.frameContext === FrameContexts.settings && pages.config.isSupported();

  const shareLink = sharing.isSupported()
    ? async (url: string, message: string): Promise<void> => {
        await sharing.shareWebContent({ content: [{ type: "URL", url, message, preview: true }] });
      }
    : context.app.host.name.startsWith("Teams") && pages.isSupported()
      ? // No share-to-chat here, but Teams offers its own "copy link to this tab" dialog.
        (_url: string, message: string): Promise<void> => {
          pages.shareDeepLink({ subPageId: "progress", subPageLabel: message, subPageWebUrl: progressLink });
          return Promise.resolve();
        }
      : undefined;

  return {
    kind: "teams",
    theme: themeFromTeams(context.app.theme),
    onThemeChange: (handler) => {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
    progressLink: () => progressLink,
    copyText: async (text: string) => {
      await win.navigator.clipboard.writeText(text);
    },
    context: {
      hostName: context.app.host.name,
      ...(context.user?.tenant?.id ? { tenantId: context.user.tenant.id } : {}),
      ...(context.user?.loginHint || context.user?.userPrincipalName
        ? { loginHint: context.user.loginHint ?? context.user.userPrincipalName }
        : {}),
      ...(context.page.frameContext ? { frameContext: context.page.frameContext } : {}),
      ...(context.page.id ? { entityId: context.page.id } : {}),
      ...(context.page.subPageId ? { subPageId: context.page.subPageId } : {}),
      ...(context.channel?.displayName ? { channelName: context.channel.displayName } : {}),
      // Graph addresses a team by its group id (sendActivityNotification to a channel's members).
      ...(context.team?.groupId ? { teamId: context.team.groupId } : {}),
      ...(context.channel?.id ? { channelId: context.channel.id } : {}),
    },
    signInMode: nestedAppAuth.isNAAChannelRecommended() ? "naa" : "teams-sso",
    ...(shareLink ? { shareLink } : {}),
    openLink: (url: string) => app.openLink(url),
    // Teams opens the URL in its own window and settles when the page there calls notifySuccess /
    // notifyFailure, or the user closes it ("CancelledByUser"): either way the caller asks the backend again.
    authenticate: async (url: string) => {
      await authentication.authenticate({ url, width: 600, height: 700 }).then(
        () => undefined,
        () => undefined,
      );
    },
    notifyLoaded: () => {
      void app.notifySuccess();
    },
    ...(settingsPage
      ? {
          tabConfig: {
            onSave: (settings: () => TabSettings) => {
              pages.config.registerOnSaveHandler((event) => {
                pages.config
                  .setConfig(settings())
                  .then(() => event.notifySuccess())
                  .catch((err: unknown) => event.notifyFailure(err instanceof Error ? err.message : String(err)));
              });
            },
            setValid: (valid: boolean) => pages.config.setValidityState(valid),
          },
        }
      : {}),
  };
}
