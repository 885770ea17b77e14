/**
 * The dev host's office.js (development and tests only): the part of Office.js's API an Outlook
 * add-in uses, answered by the dev host's Outlook page (./outlookPage.ts). The dev host serves it
 * in place of Microsoft's CDN copy on the add-in's pages (./outlookServer.ts). Names, values and
 * callback shapes follow Microsoft's reference:
 * - Office.onReady / Office.initialize, Office.HostType, Office.PlatformType, Office.AsyncResultStatus:
 *   https://learn.microsoft.com/javascript/api/office
 * - Office.EventType (ItemChanged "olkItemSelectedChanged", DialogMessageReceived "dialogMessageReceived",
 *   DialogEventReceived "dialogEventReceived"): https://learn.microsoft.com/javascript/api/office/office.eventtype
 * - mailbox.item (message read), userProfile, addHandlerAsync:
 *   https://learn.microsoft.com/javascript/api/outlook/office.mailbox
 * - context.requirements.isSetSupported: https://learn.microsoft.com/javascript/api/office/office.requirementsetsupport
 * - ui.displayDialogAsync / messageParent / Dialog: https://learn.microsoft.com/javascript/api/office/office.ui
 * - NAA: office.js installs `window.nestedAppAuthBridge` for MSAL where NestedAppAuth 1.1 is supported.
 */
import {
  CHANNEL,
  type HostToOffice,
  type OfficeInitData,
  type OfficeItemData,
  type OfficeToHost,
  type Unchanneled,
} from "./outlookProtocol";

type Callback<T> = (result: AsyncResult<T>) => void;
interface AsyncResult<T> {
  status: "succeeded" | "failed";
  value: T;
  error?: { code: number; name: string; message: string };
  asyncContext?: unknown;
}

const EventType = {
  ItemChanged: "olkItemSelectedChanged",
  DialogMessageReceived: "dialogMessageReceived",
  DialogEventReceived: "dialogEventReceived",
} as const;

/** Requirement sets Outlook on the web supports (plus NestedAppAuth when the page says so). */
const SUPPORTED_SETS: Record<string, string> = {
  mailbox: "1.13",
  dialogapi: "1.2",
  dialogorigin: "1.1",
  identityapi: "1.3",
};

function versionAtLeast(have: string, want: string): boolean {
  const a = have.split(".").map(Number);
  const b = want.split(".").map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

function succeeded<T>(value: T, asyncContext?: unknown): AsyncResult<T> {
  return { status: "succeeded", value, ...(asyncContext === undefined ? {} : { asyncContext }) };
}

function failed<T>(code: number, message: string, value: T): AsyncResult<T> {
  return { status: "failed", value, error: { code, name: "Error", message } };
}

function hostWindow(): { target: Window; role: "taskpane" | "dialog" } | null {
  if (window.opener !== null && window.opener !== window) return { target: window.opener as Window, role: "dialog" };
  if (window.parent !== window) return { target: window.parent, role: "taskpane" };
  return null;
}

function install(): void {
  const host = hostWindow();
  const send = (message: Unchanneled<OfficeToHost>): void => {
    host?.target.postMessage({ channel: CHANNEL, ...message }, window.location.origin);
  };

  let init: OfficeInitData | null = null;
  let item: OfficeItemData | null = null;
  const itemHandlers: ((arg: { type: string }) => void)[] = [];
  const naaListeners = new Set<(response: string) => void>();
  const dialogCallbacks = new Map<number, (error?: { code: number; message: string }) => void>();
  let dialogHandlers: { message: ((arg: unknown) => void)[]; event: ((arg: unknown) => void)[] } | null = null;
  let nextDialogId = 1;
  let resolveReady: (info: { host: string | null; platform: string | null }) => void = () => undefined;
  const ready = new Promise<{ host: string | null; platform: string | null }>((r) => (resolveReady = r));

  const mailItem = (): Record<string, unknown> | null =>
    item === null
      ? null
      : {
          itemType: "message",
          itemId: item.itemId,
          internetMessageId: item.internetMessageId,
          subject: item.subject,
          from: item.from,
          sender: item.from,
          to: item.to,
          cc: item.cc,
          dateTimeCreated: new Date(item.dateTimeCreated),
        };

  const Office = {
    HostType: { Outlook: "Outlook" },
    PlatformType: { OfficeOnline: "OfficeOnline" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    EventType,
    initialize: undefined as undefined | ((reason: string) => void),
    onReady(callback?: (info: { host: string | null; platform: string | null }) => void) {
      return ready.then((info) => {
        callback?.(info);
        return info;
      });
    },
    context: {
      get officeTheme() {
        return { bodyBackgroundColor: "#ffffff", bodyForegroundColor: "#000000" };
      },
      requirements: {
        isSetSupported(name: string, minVersion = "1.1"): boolean {
          const key = name.toLowerCase();
          if (key === "nestedappauth") return init?.naa === true && versionAtLeast("1.1", minVersion);
          const have = SUPPORTED_SETS[key];
          return have !== undefined && versionAtLeast(have, minVersion);
        },
      },
      mailbox: {
        get item() {
          return mailItem();
        },
        get userProfile() {
          return init?.userProfile ?? undefined;
        },
        addHandlerAsync(type: string, handler: (arg: { type: string }) => void, ...rest: unknown[]): void {
          const callback = rest.find((r): r is Callback<void> => typeof r === "function");
          const options = rest.find((r) => typeof r === "object" && r !== null) as
            { asyncContext?: unknown } | undefined;
          if (type !== EventType.ItemChanged) {
            callback?.(failed(5000, `The event type ${type} is not supported by this dev host.`, undefined));
            return;
          }
          itemHandlers.push(handler);
          callback?.(succeeded(undefined, options?.asyncContext));
        },
      },
      ui: {
        displayDialogAsync(url: string, ...rest: unknown[]): void {
          const callback = rest.find((r): r is Callback<unknown> => typeof r === "function");
          const options = (rest.find((r) => typeof r === "object" && r !== null) ?? {}) as Record<string, unknown>;
          const id = nextDialogId++;
          dialogCallbacks.set(id, (error) => {
            if (error !== undefined) {
              dialogHandlers = null;
              callback?.(failed(error.code, error.message, undefined));
              return;
            }
            const handlers = { message: [] as ((arg: unknown) => void)[], event: [] as ((arg: unknown) => void)[] };
            dialogHandlers = handlers;
            const dialog = {
              addEventHandler(type: string, handler: (arg: unknown) => void, cb?: Callback<void>): void {
                if (type === EventType.DialogMessageReceived) handlers.message.push(handler);
                else if (type === EventType.DialogEventReceived) handlers.event.push(handler);
                else return void cb?.(failed(5000, `The event type ${type} is not supported.`, undefined));
                cb?.(succeeded(undefined));
              },
              close(): void {
                if (dialogHandlers === handlers) dialogHandlers = null;
                send({ kind: "dialogClose" });
              },
              messageChild(): void {
                // Not used by the add-in; Office would post to the dialog (DialogApi 1.2).
              },
            };
            callback?.(succeeded(dialog, options.asyncContext));
          });
          send({
            kind: "displayDialog",
            id,
            url,
            options: {
              ...(typeof options.height === "number" ? { height: options.height } : {}),
              ...(typeof options.width === "number" ? { width: options.width } : {}),
              ...(typeof options.displayInIframe === "boolean" ? { displayInIframe: options.displayInIframe } : {}),
              ...(typeof options.promptBeforeOpen === "boolean" ? { promptBeforeOpen: options.promptBeforeOpen } : {}),
            },
          });
        },
        messageParent(message: string, options?: { targetOrigin?: string }): void {
          send({
            kind: "messageParent",
            message: String(message),
            ...(options?.targetOrigin ? { targetOrigin: options.targetOrigin } : {}),
          });
        },
      },
    },
  };

  window.addEventListener("message", (evt: MessageEvent<unknown>) => {
    if (host === null || evt.source !== host.target || evt.origin !== window.location.origin) return;
    const data = evt.data as HostToOffice | null;
    if (data === null || typeof data !== "object" || data.channel !== CHANNEL) return;
    switch (data.kind) {
      case "init": {
        if (init !== null) return;
        init = data.data;
        item = init.item;
        if (init.naa && init.role === "taskpane") {
          // MSAL's nested app auth looks for this bridge (msal-browser naa/BridgeProxy.ts).
          (window as unknown as { nestedAppAuthBridge: unknown }).nestedAppAuthBridge = {
            postMessage: (request: string) => send({ kind: "naa", data: request }),
            addEventListener: (_name: string, cb: (response: string) => void) => naaListeners.add(cb),
            removeEventListener: (_name: string, cb: (response: string) => void) => naaListeners.delete(cb),
          };
        }
        const info = { host: init.host, platform: init.platform };
        Office.initialize?.("");
        resolveReady(info);
        return;
      }
      case "itemChanged":
        item = data.item;
        for (const handler of itemHandlers) handler({ type: EventType.ItemChanged });
        return;
      case "naa":
        for (const listener of naaListeners) listener(data.data);
        return;
      case "dialogResult": {
        const cb = dialogCallbacks.get(data.id);
        dialogCallbacks.delete(data.id);
        cb?.(data.error);
        return;
      }
      case "dialogMessage":
        for (const h of dialogHandlers?.message ?? [])
          h({ type: EventType.DialogMessageReceived, message: data.message, origin: data.origin });
        return;
      case "dialogEvent": {
        const handlers = dialogHandlers;
        // A closed dialog sends nothing more (Office forgets it after 12006).
        if (data.error === 12006) dialogHandlers = null;
        for (const h of handlers?.event ?? []) h({ type: EventType.DialogEventReceived, error: data.error });
        return;
      }
    }
  });

  (window as unknown as { Office: typeof Office }).Office = Office;
  if (host === null) {
    // Outside Office, office.js reports no host (the add-in then runs as a plain page).
    resolveReady({ host: null, platform: null });
  } else {
    send({ kind: "hello", role: host.role });
  }
}

install();
