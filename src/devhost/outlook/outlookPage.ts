/**
 * The dev host's Outlook page script (bundled by the server with esbuild; runs in the browser): a
 * message list and reading pane from the emulator's mailbox, the add-in's task pane beside it, and
 * the host side of the emulated office.js (./officeJs.ts): the selected item and ItemChanged, the
 * NAA bridge (tokens from the dev host's token endpoint, as the Teams mode brokers them) and Office
 * dialogs as real browser windows. Everything it does is recorded on `window.devHostOutlook` for tests.
 */
import { answerNaaControl, naaTokenAnswer, parseNaaRequest, type ServerToken } from "../page/naaBridge";
import {
  CHANNEL,
  DIALOG_ALREADY_OPEN,
  DIALOG_CLOSED_EVENT,
  DIALOG_IGNORED,
  DIALOG_PAGE_NOT_FOUND_EVENT,
  dialogUrlError,
  officeItemOf,
  type HostToOffice,
  type OfficeInitData,
  type OfficeToHost,
  type OutlookMessage,
  type OutlookPageConfig,
  type Unchanneled,
} from "./outlookProtocol";

/** Office on the web: % of the screen; the popup gets the same share of this window. */
function popupFeatures(options: { height?: number; width?: number }): string {
  const h = Math.round((window.outerHeight * Math.min(100, Math.max(10, options.height ?? 80))) / 100);
  const w = Math.round((window.outerWidth * Math.min(100, Math.max(10, options.width ?? 80))) / 100);
  return `popup,height=${h},width=${w}`;
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`dev host page is missing #${id}`);
  return el as T;
}

function main(): void {
  const config = JSON.parse(document.getElementById("devhost-config")?.textContent ?? "{}") as OutlookPageConfig;
  const frame = byId<HTMLIFrameElement>("devhost-app");
  const list = byId<HTMLElement>("devhost-messages");
  const reading = byId<HTMLElement>("devhost-reading");
  const prompt = byId<HTMLElement>("devhost-dialog-prompt");
  const logList = byId<HTMLElement>("devhost-log");

  let messages: OutlookMessage[] = [];
  let selected: OutlookMessage | null = null;
  let dialog: { win: Window; closedByAddIn: boolean; timer: number } | null = null;

  const state = {
    config,
    log: [] as { at: number; kind: string; detail?: unknown }[],
    tokenRequests: [] as { method: string; scope?: string; ok: boolean }[],
    dialogs: [] as { url: string; opened: string | null; error?: number }[],
    get selected(): string | null {
      return selected?.internetMessageId ?? null;
    },
    get messages(): string[] {
      return messages.map((m) => m.internetMessageId);
    },
    select,
    reloadMessages: loadMessages,
    dialogWindow: (): Window | null => dialog?.win ?? null,
  };
  (window as unknown as { devHostOutlook: typeof state }).devHostOutlook = state;

  function record(kind: string, detail?: unknown): void {
    state.log.push({ at: Date.now(), kind, ...(detail === undefined ? {} : { detail }) });
    const li = document.createElement("li");
    li.textContent = `${kind} ${detail === undefined ? "" : JSON.stringify(detail)}`.slice(0, 300);
    logList.appendChild(li);
  }

  const appOrigin = window.location.origin;
  function toFrame(message: Unchanneled<HostToOffice>): void {
    frame.contentWindow?.postMessage({ channel: CHANNEL, ...message }, appOrigin);
  }

  function initData(role: "taskpane" | "dialog"): OfficeInitData {
    const user = config.user;
    return {
      role,
      host: "Outlook",
      platform: "OfficeOnline",
      naa: config.naa,
      userProfile: user === null ? null : { emailAddress: user.upn, displayName: user.name, timeZone: "UTC" },
      item: role === "taskpane" && selected !== null ? officeItemOf(selected) : null,
    };
  }

  function renderList(): void {
    list.replaceChildren();
    if (messages.length === 0) {
      const li = document.createElement("li");
      li.textContent = "No messages in this mailbox.";
      list.appendChild(li);
    }
    for (const m of messages) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.internetMessageId = m.internetMessageId;
      button.setAttribute("aria-pressed", String(m === selected));
      button.textContent = `${m.from.emailAddress.name || m.from.emailAddress.address}: ${m.subject || "(no subject)"}`;
      button.addEventListener("click", () => select(m.internetMessageId));
      li.appendChild(button);
      list.appendChild(li);
    }
  }

  function renderReading(): void {
    reading.replaceChildren();
    if (selected === null) {
      reading.textContent = "Select a message.";
      return;
    }
    const h = document.createElement("h2");
    h.textContent = selected.subject || "(no subject)";
    const from = document.createElement("p");
    from.textContent = `From ${selected.from.emailAddress.name} <${selected.from.emailAddress.address}> · ${selected.receivedDateTime}`;
    const body = document.createElement("p");
    body.textContent = selected.bodyPreview ?? "";
    reading.append(h, from, body);
  }

  /** Selects a message as a click in Outlook's list does: the pinned task pane gets ItemChanged. */
  function select(internetMessageId: string | null): boolean {
    const next =
      internetMessageId === null ? null : (messages.find((m) => m.internetMessageId === internetMessageId) ?? null);
    if (internetMessageId !== null && next === null) return false;
    if (next === selected) return true;
    selected = next;
    renderList();
    renderReading();
    record("ItemChanged", selected?.internetMessageId ?? null);
    toFrame({ kind: "itemChanged", item: selected === null ? null : officeItemOf(selected) });
    return true;
  }

  async function loadMessages(): Promise<void> {
    try {
      const res = await fetch(config.messagesPath, { cache: "no-store" });
      const body = (await res.json()) as { value?: OutlookMessage[]; error?: { message?: string } };
      messages = body.value ?? [];
      if (!res.ok) record("messages failed", body.error?.message ?? res.status);
    } catch (e) {
      record("messages failed", e instanceof Error ? e.message : String(e));
    }
    if (selected !== null) selected = messages.find((m) => m.internetMessageId === selected?.internetMessageId) ?? null;
    renderList();
    renderReading();
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

  /** The NAA bridge's host side (the same answers the Teams mode gives, see ../page/hostPage.ts). */
  async function nestedAppAuth(raw: string): Promise<void> {
    const request = parseNaaRequest(raw);
    if (request === undefined) return;
    const respond = (body: Record<string, unknown>): void =>
      toFrame({
        kind: "naa",
        data: JSON.stringify({ messageType: "NestedAppAuthResponse", requestId: request.requestId, ...body }),
      });
    const method = request.method ?? "";
    if (answerNaaControl(method, config.user, "devhost-outlook", respond)) return;
    const params = request.tokenParams ?? {};
    const token = await fetchToken({ kind: "naa", clientId: params.clientId ?? "", scope: params.scope ?? "" });
    state.tokenRequests.push({ method, ...(params.scope ? { scope: params.scope } : {}), ok: token.ok });
    respond(naaTokenAnswer(token));
  }

  /** Where the dev host shows an add-in page: under its prefix, with its office.js in place of the CDN's. */
  function servedUrl(url: string): string {
    const u = new URL(url);
    return `${config.appPrefix}${u.pathname.replace(/^\//, "")}${u.search}${u.hash}`;
  }

  function finishDialog(event: number | null): void {
    if (dialog === null) return;
    window.clearInterval(dialog.timer);
    const d = dialog;
    dialog = null;
    if (!d.win.closed) d.win.close();
    if (event !== null) {
      record("DialogEventReceived", event);
      toFrame({ kind: "dialogEvent", error: event });
    }
  }

  function openDialogWindow(id: number, url: string, options: { height?: number; width?: number }): boolean {
    const target = servedUrl(url);
    const win = window.open(target, "_blank", popupFeatures(options));
    if (win === null) return false;
    const opened = { win, closedByAddIn: false, timer: 0 };
    // The user closing the window is DialogEventReceived 12006.
    opened.timer = window.setInterval(() => {
      if (opened.win.closed && dialog === opened) finishDialog(DIALOG_CLOSED_EVENT);
    }, 250);
    dialog = opened;
    state.dialogs.push({ url, opened: target });
    record("displayDialogAsync", url);
    toFrame({ kind: "dialogResult", id });
    // No page at the URL: the dialog opens, then DialogEventReceived 12002.
    void fetch(target, { method: "HEAD", cache: "no-store" })
      .then((res) => {
        if (res.status === 404 && dialog === opened) {
          state.dialogs[state.dialogs.length - 1]!.error = DIALOG_PAGE_NOT_FOUND_EVENT;
          finishDialog(DIALOG_PAGE_NOT_FOUND_EVENT);
        }
      })
      .catch(() => undefined);
    return true;
  }

  /**
   * Office on the web opens the dialog in a browser window. When the browser would block it, Office
   * asks first ("Handling pop-up blockers with Office on the web"): Allow opens it from that click,
   * Ignore fails the call with 12009.
   */
  function displayDialog(id: number, url: string, options: { height?: number; width?: number }): void {
    const error = dialog !== null ? DIALOG_ALREADY_OPEN : dialogUrlError(url, appOrigin);
    if (error !== null) {
      state.dialogs.push({ url, opened: null, error: error.code });
      record("displayDialogAsync failed", error.code);
      toFrame({ kind: "dialogResult", id, error });
      return;
    }
    if (openDialogWindow(id, url, options)) return;
    prompt.hidden = false;
    const allow = byId<HTMLButtonElement>("devhost-dialog-allow");
    const ignore = byId<HTMLButtonElement>("devhost-dialog-ignore");
    const done = (): void => {
      prompt.hidden = true;
      allow.onclick = null;
      ignore.onclick = null;
    };
    allow.onclick = () => {
      done();
      if (!openDialogWindow(id, url, options)) {
        state.dialogs.push({ url, opened: null, error: DIALOG_IGNORED.code });
        toFrame({ kind: "dialogResult", id, error: DIALOG_IGNORED });
      }
    };
    ignore.onclick = () => {
      done();
      state.dialogs.push({ url, opened: null, error: DIALOG_IGNORED.code });
      toFrame({ kind: "dialogResult", id, error: DIALOG_IGNORED });
    };
  }

  window.addEventListener("message", (evt: MessageEvent<unknown>) => {
    const data = evt.data as OfficeToHost | null;
    if (data === null || typeof data !== "object" || data.channel !== CHANNEL) return;
    if (evt.origin !== appOrigin) return;
    const fromFrame = evt.source === frame.contentWindow;
    const fromDialog = dialog !== null && evt.source === dialog.win;
    if (!fromFrame && !fromDialog) return;
    switch (data.kind) {
      case "hello":
        (evt.source as Window).postMessage(
          { channel: CHANNEL, kind: "init", data: initData(fromDialog ? "dialog" : "taskpane") },
          appOrigin,
        );
        return;
      case "naa":
        if (fromFrame) void nestedAppAuth(data.data);
        return;
      case "displayDialog":
        if (fromFrame) displayDialog(data.id, data.url, data.options);
        return;
      case "dialogClose":
        if (fromFrame && dialog !== null) {
          dialog.closedByAddIn = true;
          finishDialog(null);
        }
        return;
      case "messageParent":
        if (!fromDialog) return;
        // DialogOrigin 1.1: a targetOrigin other than the task pane's drops the message.
        if (data.targetOrigin !== undefined && data.targetOrigin !== "*" && data.targetOrigin !== appOrigin) return;
        record("DialogMessageReceived", data.message.length);
        toFrame({ kind: "dialogMessage", message: data.message, origin: evt.origin });
        return;
    }
  });

  const naaSwitch = byId<HTMLInputElement>("devhost-naa");
  naaSwitch.checked = config.naa;
  naaSwitch.addEventListener("change", () => {
    const url = new URL(window.location.href);
    url.searchParams.set("naa", naaSwitch.checked ? "1" : "0");
    window.location.assign(url.toString());
  });

  void loadMessages().then(() => {
    selected =
      (config.select !== null ? messages.find((m) => m.internetMessageId === config.select) : messages[0]) ?? null;
    renderList();
    renderReading();
    frame.src = `${config.appPrefix}${config.appPage.replace(/^\//, "")}`;
  });
}

main();
