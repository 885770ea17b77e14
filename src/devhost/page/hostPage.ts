/**
 * The dev host page's script (bundled by the server with esbuild; runs in the browser). It frames
 * the app and answers teams-js 2.58's postMessage protocol like Teams / Outlook on the web do:
 * requests `{id, uuidAsString, func, args}` get `{id, uuidAsString, args}`; events go as
 * `{func, args}`. Everything it sees and does is recorded on `window.devHost` for tests.
 */
import {
  authTokenFailureReason,
  initializeReply,
  legacyContext,
  THEMES,
  type DevHostPageConfig,
  type DevHostTheme,
} from "../protocol";
import { startActivityFeed } from "./activityFeed";
import { answerNaaControl, naaTokenAnswer, parseNaaRequest, type ServerToken } from "./naaBridge";
import { redactValue } from "./redactTokens";

interface LogEntry {
  at: number;
  direction: "app->host" | "host->app";
  func: string;
  id?: number;
  args?: unknown[];
  data?: unknown;
  /** The host has no handler for this request (it answered with a not-supported error). */
  unhandled?: boolean;
}

interface TokenFailure {
  error: string;
  description?: string;
  /** Also fail NAA GetTokenPopup (default: the popup "succeeds", as if the user consented). */
  interactive?: boolean;
}

type SaveOutcome = { ok: true; settings: Record<string, unknown> } | { ok: false; reason: string };

interface AppRequest {
  id: number;
  uuidAsString?: string;
  func: string;
  args?: unknown[];
  data?: unknown;
}

const SAVE_TIMEOUT_MS = 10_000;

/** Requests teams-js sends without waiting for a reply. */
const ONE_WAY = new Set([
  "registerHandler",
  "settings.setValidityState",
  "settings.save.success",
  "settings.save.failure",
  "settings.remove.success",
  "settings.remove.failure",
  "appInitialization.success",
  "appInitialization.appLoaded",
  "appInitialization.failure",
  "appInitialization.expectedFailure",
  "shareDeepLink",
  "nestedAppAuth.execute",
]);

function readConfig(): DevHostPageConfig {
  const el = document.getElementById("devhost-config");
  return JSON.parse(el?.textContent ?? "{}") as DevHostPageConfig;
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`dev host page is missing #${id}`);
  return el as T;
}

function main(): void {
  const config = readConfig();
  const frame = byId<HTMLIFrameElement>("devhost-app");
  const themeSelect = byId<HTMLSelectElement>("devhost-theme");
  const saveButton = byId<HTMLButtonElement>("devhost-save");
  const saveStatus = byId<HTMLElement>("devhost-save-status");
  const sharedList = byId<HTMLElement>("devhost-shared");
  const logList = byId<HTMLElement>("devhost-log");

  let tokenFailure: TokenFailure | null = null;
  let pendingSave: ((outcome: SaveOutcome) => void) | null = null;

  const state = {
    config,
    log: [] as LogEntry[],
    shared: [] as { content: unknown[]; at: number }[],
    settings: null as Record<string, unknown> | null,
    validity: false,
    deepLinks: [] as string[],
    navigations: [] as { func: string; args: unknown[] }[],
    appInitialization: [] as { func: string; args: unknown[] }[],
    handlers: [] as string[],
    tokenRequests: [] as { kind: "sso" | "naa"; method: string; clientId?: string; scope?: string; ok: boolean }[],
    initialized: false,
    get theme(): DevHostTheme {
      return config.theme;
    },
    setTheme,
    save,
    openSavedTab,
    setTokenFailure: (failure: TokenFailure | null): void => {
      tokenFailure = failure;
    },
    /** Messages of one function, e.g. `devHost.messages("authentication.getAuthToken")`. */
    messages: (func: string): LogEntry[] => state.log.filter((e) => e.func === func),
  };
  (window as unknown as { devHost: typeof state }).devHost = state;

  /** Logs a message (on `devHost.log` and in the page's list) with every token in it summarised, never in clear. */
  function record(entry: LogEntry): void {
    if (entry.args !== undefined) entry.args = redactValue(entry.args) as unknown[];
    if (entry.data !== undefined) entry.data = redactValue(entry.data);
    state.log.push(entry);
    const li = document.createElement("li");
    li.textContent = `${entry.direction} ${entry.func}${entry.id === undefined ? "" : ` #${entry.id}`}${
      entry.unhandled === true ? " (unhandled)" : ""
    } ${JSON.stringify(entry.args ?? entry.data ?? "")}`.slice(0, 400);
    logList.appendChild(li);
  }

  function appOrigin(): string {
    return new URL(frame.src, window.location.href).origin;
  }

  function post(message: Record<string, unknown>): void {
    record({
      at: Date.now(),
      direction: "host->app",
      func: typeof message.func === "string" ? message.func : "(reply)",
      ...(typeof message.id === "number" ? { id: message.id } : {}),
      args: message.args as unknown[],
    });
    frame.contentWindow?.postMessage(message, appOrigin());
  }

  function reply(req: AppRequest, args: unknown[]): void {
    post({ id: req.id, uuidAsString: req.uuidAsString, args });
  }

  function sendEvent(func: string, args: unknown[]): void {
    post({ func, args });
  }

  function applyThemeToPage(theme: DevHostTheme): void {
    document.body.dataset.theme = theme;
    themeSelect.value = theme;
  }

  function setTheme(theme: DevHostTheme): void {
    if (!(THEMES as readonly string[]).includes(theme)) throw new Error(`unknown theme ${String(theme)}`);
    config.theme = theme;
    applyThemeToPage(theme);
    sendEvent("themeChange", [theme]);
  }

  function updateSaveButton(): void {
    saveButton.hidden = config.frameContext !== "settings";
    saveButton.disabled = !state.validity || pendingSave !== null;
  }

  function save(): Promise<SaveOutcome> {
    if (config.frameContext !== "settings") return Promise.resolve({ ok: false, reason: "not a settings page" });
    if (!state.validity) return Promise.resolve({ ok: false, reason: "the page has not set a valid state" });
    if (pendingSave !== null) return Promise.resolve({ ok: false, reason: "a save is already running" });
    saveStatus.textContent = "Saving…";
    return new Promise<SaveOutcome>((resolve) => {
      const timer = window.setTimeout(() => finish({ ok: false, reason: "timeout" }), SAVE_TIMEOUT_MS);
      const finish = (outcome: SaveOutcome): void => {
        window.clearTimeout(timer);
        pendingSave = null;
        saveStatus.textContent = outcome.ok ? "Saved" : `Save failed: ${outcome.reason}`;
        updateSaveButton();
        resolve(outcome);
      };
      pendingSave = finish;
      updateSaveButton();
      sendEvent("settings.save", [{}]);
    });
  }

  /** After a save, Teams shows the tab: the saved contentUrl in a content frame. */
  function openSavedTab(): void {
    const settings = state.settings;
    if (settings === null || typeof settings.contentUrl !== "string") throw new Error("no saved tab settings");
    config.frameContext = "content";
    config.entityId = typeof settings.entityId === "string" ? settings.entityId : config.entityId;
    config.appUrl = settings.contentUrl;
    loadApp();
  }

  function loadApp(): void {
    state.initialized = false;
    state.validity = false;
    updateSaveButton();
    frame.src = config.appUrl;
  }

  async function fetchToken(body: Record<string, unknown>): Promise<ServerToken> {
    try {
      const res = await fetch(config.tokenPath, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return (await res.json()) as ServerToken;
    } catch (e) {
      return { ok: false, error: "network_error", description: e instanceof Error ? e.message : String(e) };
    }
  }

  async function getAuthToken(req: AppRequest): Promise<void> {
    if (tokenFailure !== null) {
      state.tokenRequests.push({ kind: "sso", method: "getAuthToken", ok: false });
      reply(req, [false, authTokenFailureReason(tokenFailure.error, tokenFailure.description ?? "")]);
      return;
    }
    const token = await fetchToken({ kind: "sso" });
    state.tokenRequests.push({ kind: "sso", method: "getAuthToken", ok: token.ok });
    reply(req, token.ok ? [true, token.accessToken] : [false, authTokenFailureReason(token.error, token.description)]);
  }

  async function nestedAppAuth(req: AppRequest): Promise<void> {
    // Not a bridge request: teams-js would not send it; nothing to answer.
    const request = parseNaaRequest(req.data);
    if (request === undefined) return;
    const base = { messageType: "NestedAppAuthResponse", requestId: request.requestId };
    const respond = (body: Record<string, unknown>): void =>
      sendEvent("nestedAppAuth.execute", [null, JSON.stringify({ ...base, ...body })]);
    const method = request.method ?? "";
    if (answerNaaControl(method, config.user, "devhost", respond)) return;
    const params = request.tokenParams ?? {};
    const failure = tokenFailure !== null && (method === "GetToken" || tokenFailure.interactive === true);
    const token: ServerToken =
      failure && tokenFailure !== null
        ? { ok: false, error: tokenFailure.error, description: tokenFailure.description ?? tokenFailure.error }
        : await fetchToken({ kind: "naa", clientId: params.clientId ?? "", scope: params.scope ?? "" });
    state.tokenRequests.push({ kind: "naa", method, clientId: params.clientId, scope: params.scope, ok: token.ok });
    respond(naaTokenAnswer(token));
  }

  function settingsSaveResult(req: AppRequest, success: boolean): void {
    if (pendingSave === null) return;
    if (!success) {
      const reason = req.args?.[0];
      pendingSave({ ok: false, reason: typeof reason === "string" ? reason : "the app reported a failure" });
    } else if (state.settings === null) {
      pendingSave({ ok: false, reason: "the app reported success without setting its configuration" });
    } else {
      pendingSave({ ok: true, settings: state.settings });
    }
  }

  function recordShare(content: unknown[]): void {
    state.shared.push({ content, at: Date.now() });
    for (const item of content) {
      const li = document.createElement("li");
      const url = (item as { url?: unknown }).url;
      li.textContent = typeof url === "string" ? url : JSON.stringify(item);
      sharedList.appendChild(li);
    }
  }

  /** Returns false when the host has no handler (the caller answers with a not-supported error). */
  async function handle(req: AppRequest): Promise<boolean> {
    const args = req.args ?? [];
    switch (req.func) {
      case "initialize":
        state.initialized = true;
        reply(req, initializeReply(config));
        return true;
      case "getContext":
        reply(req, [legacyContext(config)]);
        return true;
      case "registerHandler":
        if (typeof args[0] === "string" && !state.handlers.includes(args[0])) state.handlers.push(args[0]);
        return true;
      case "appInitialization.success":
      case "appInitialization.appLoaded":
      case "appInitialization.failure":
      case "appInitialization.expectedFailure":
        state.appInitialization.push({ func: req.func, args });
        return true;
      case "authentication.getAuthToken":
        await getAuthToken(req);
        return true;
      case "nestedAppAuth.execute":
        await nestedAppAuth(req);
        return true;
      case "sharing.shareWebContent": {
        const content = (args[0] as { content?: unknown[] } | undefined)?.content ?? [];
        recordShare(content);
        reply(req, [null]);
        return true;
      }
      case "settings.setValidityState":
        state.validity = args[0] === true;
        updateSaveButton();
        return true;
      case "settings.setSettings":
        state.settings = (args[0] as Record<string, unknown> | undefined) ?? {};
        reply(req, [true]);
        return true;
      case "settings.getSettings":
        reply(req, [state.settings ?? {}]);
        return true;
      case "settings.save.success":
        settingsSaveResult(req, true);
        return true;
      case "settings.save.failure":
        settingsSaveResult(req, false);
        return true;
      case "executeDeepLink":
        state.deepLinks.push(String(args[0]));
        reply(req, [true]);
        return true;
      case "shareDeepLink":
        state.navigations.push({ func: req.func, args });
        return true;
      case "pages.currentApp.navigateTo":
      case "pages.currentApp.navigateToDefaultPage":
      case "pages.navigateToApp":
        state.navigations.push({ func: req.func, args });
        reply(req, [null]);
        return true;
      default:
        return false;
    }
  }

  window.addEventListener("message", (evt: MessageEvent<unknown>) => {
    if (evt.source !== frame.contentWindow) return;
    const data = evt.data as Partial<AppRequest> | null;
    if (data === null || typeof data !== "object" || typeof data.func !== "string") return;
    const req = data as AppRequest;
    const entry: LogEntry = { at: Date.now(), direction: "app->host", func: req.func, id: req.id, args: req.args };
    if (req.data !== undefined) entry.data = req.data;
    record(entry);
    void handle(req).then((handled) => {
      if (handled) return;
      entry.unhandled = true;
      // Answer so the app's promise settles instead of hanging; one-way messages need no answer.
      if (!ONE_WAY.has(req.func))
        reply(req, [{ errorCode: 501, message: `${req.func} is not supported by the dev host` }]);
    });
  });

  themeSelect.addEventListener("change", () => setTheme(themeSelect.value as DevHostTheme));
  saveButton.addEventListener("click", () => void save());
  applyThemeToPage(config.theme);
  if (config.userError !== null)
    record({ at: Date.now(), direction: "host->app", func: "(sign-in failed)", data: config.userError });
  loadApp();
  // Teams opens an activity's deep link in the app's personal tab: the page first framed when that was a
  // tab's content, else the pane's personal tab page (manifest staticTabs contentUrl, /index.html).
  const tabUrl = config.frameContext === "content" ? config.appUrl : "/index.html";
  const openedActivities: string[] = [];
  const activity = startActivityFeed({
    list: byId("devhost-activity"),
    path: config.tokenPath.replace(/token$/, "activity"),
    open: (target, item) => {
      Object.assign(config, { frameContext: "content", entityId: target.entityId, subPageId: target.subPageId });
      config.channel = null;
      config.appUrl = tabUrl;
      openedActivities.push(item.id);
      loadApp();
    },
  });
  Object.assign(state, { activity, openedActivities });
}

main();
