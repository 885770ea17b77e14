import { dialogPageUrl, parseDialogMessage } from "../../../src/services/auth/dialogMessage";
import { createOfficeDialogAuth, dialogOpenError } from "../../../src/services/auth/officeDialogAuth";
import { NestedAppAuthUnavailableError, withSsoFallback } from "../../../src/services/auth/hostFallback";
import { createAuthFor } from "../../../src/services/auth/selectAuth";
import type { PaneConfig } from "../../../src/services/config";
import { PaneError } from "../../../src/services/errors";
import type { HostDialog, HostDialogOpener } from "../../../src/services/host";
import { startOutlookTaskPane } from "../../../src/services/hostOutlook";
import { officeMailItemSource, selectedMessageOf } from "../../../src/services/office/mailItem";
import { officeDialogOpener, OfficeDialogError } from "../../../src/services/office/officeDialog";
import type { OfficeGlobal } from "../../../src/services/office/officeTypes";
import { dialogUrlError } from "../../../src/devhost/outlook/outlookProtocol";

/**
 * The Office adapter pieces: the selected message and ItemChanged, the dialog API as a promise
 * with Office's error codes, and sign-in through the dialog (the message the dialog page sends,
 * what a closed or blocked dialog becomes). office.js is faked at its documented surface.
 */
const ORIGIN = "https://pane.test";
const config = { apiScope: "api://pane/access_as_user", clientId: "c" } as PaneConfig;

function fakeOffice(over: { naa?: boolean; item?: unknown; ui?: boolean } = {}): {
  office: OfficeGlobal;
  fireItemChanged(item: unknown): void;
  dialogCalls: { url: string; options: unknown }[];
  nextDialog: { status: "succeeded" | "failed"; code?: number; dialog?: HostDialogLike };
} {
  let item: unknown = over.item ?? null;
  const handlers: ((arg: unknown) => void)[] = [];
  const dialogCalls: { url: string; options: unknown }[] = [];
  const state = {
    nextDialog: { status: "succeeded" } as { status: "succeeded" | "failed"; code?: number; dialog?: HostDialogLike },
  };
  const office: OfficeGlobal = {
    onReady: () => Promise.resolve({ host: "Outlook", platform: "OfficeOnline" }),
    EventType: {
      ItemChanged: "olkItemSelectedChanged",
      DialogMessageReceived: "dialogMessageReceived",
      DialogEventReceived: "dialogEventReceived",
    },
    context: {
      requirements: { isSetSupported: (name) => name === "NestedAppAuth" && over.naa === true },
      mailbox: {
        userProfile: { emailAddress: "megan@contoso.com" },
        get item() {
          return item as never;
        },
        addHandlerAsync: (_type, handler) => void handlers.push(handler),
      },
      ...(over.ui === false
        ? {}
        : {
            ui: {
              displayDialogAsync: (url, options, callback) => {
                dialogCalls.push({ url, options });
                const next = state.nextDialog;
                if (next.status === "failed") {
                  callback({
                    status: "failed",
                    value: undefined as never,
                    error: { code: next.code ?? 0, message: "no" },
                  });
                } else {
                  callback({ status: "succeeded", value: next.dialog ?? new HostDialogLike() });
                }
              },
            },
          }),
    },
  };
  return {
    office,
    fireItemChanged(next) {
      item = next;
      for (const h of handlers) h({ type: "olkItemSelectedChanged" });
    },
    dialogCalls,
    get nextDialog() {
      return state.nextDialog;
    },
    set nextDialog(v) {
      state.nextDialog = v;
    },
  };
}

/** Office's Dialog object: handlers by event type, close() recorded. */
class HostDialogLike {
  handlers = new Map<string, (arg: { message?: string; origin?: string; error?: number }) => void>();
  closed = false;
  addEventHandler(type: string, handler: (arg: { message?: string; origin?: string; error?: number }) => void): void {
    this.handlers.set(type, handler);
  }
  close(): void {
    this.closed = true;
  }
  message(message: string, origin = ORIGIN): void {
    this.handlers.get("dialogMessageReceived")?.({ message, origin });
  }
  event(error: number): void {
    this.handlers.get("dialogEventReceived")?.({ error });
  }
}

function win(office: OfficeGlobal | undefined, path = "/taskpane.html"): Window {
  return {
    Office: office,
    location: { origin: ORIGIN, pathname: path },
    navigator: { clipboard: { writeText: () => Promise.resolve() } },
  } as unknown as Window;
}

const success = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({
    kind: "ja-sign-in",
    status: "success",
    account: { username: "megan@contoso.com", name: "Megan", tenantId: "t1" },
    accessToken: "token-1",
    scopes: [config.apiScope],
    expiresOn: Date.now() + 3_600_000,
    ...over,
  });

describe("the selected message (mailbox.item, ItemChanged)", () => {
  it("reads the Internet message id, subject and sender of a message in read mode", () => {
    expect(
      selectedMessageOf({
        internetMessageId: "<a@b>",
        subject: "Hi",
        from: { displayName: "P", emailAddress: "p@fabrikam.com" },
      }),
    ).toEqual({ internetMessageId: "<a@b>", subject: "Hi", from: "p@fabrikam.com" });
    // Compose mode has no Internet message id; nothing selected is null.
    expect(selectedMessageOf({ subject: "draft" })).toBeNull();
    expect(selectedMessageOf(null)).toBeNull();
  });

  it("calls back with the new message when Outlook fires ItemChanged", () => {
    const fake = fakeOffice({ item: { internetMessageId: "<1@x>" } });
    const source = officeMailItemSource(fake.office)!;
    expect(source.current()?.internetMessageId).toBe("<1@x>");
    const seen: (string | null)[] = [];
    const stop = source.onChange((m) => seen.push(m?.internetMessageId ?? null));
    fake.fireItemChanged({ internetMessageId: "<2@x>" });
    fake.fireItemChanged(null);
    stop();
    fake.fireItemChanged({ internetMessageId: "<3@x>" });
    expect(seen).toEqual(["<2@x>", null]);
  });
});

describe("the Outlook task pane host", () => {
  it("uses nested app auth where Outlook supports NestedAppAuth 1.1, else Office's dialog", async () => {
    const withNaa = await startOutlookTaskPane(win(fakeOffice({ naa: true }).office), 1000);
    expect(withNaa?.signInMode).toBe("naa");
    const without = await startOutlookTaskPane(win(fakeOffice({ naa: false }).office), 1000);
    expect(without?.signInMode).toBe("office-dialog");
    expect(without?.context?.loginHint).toBe("megan@contoso.com");
    expect(without?.mailItem).toBeDefined();
    const noUi = await startOutlookTaskPane(win(fakeOffice({ naa: false, ui: false }).office), 1000);
    expect(noUi?.signInMode).toBe("unsupported");
  });

  it("switches to Office's dialog when the nested app auth bridge turns out unusable", async () => {
    const unavailable = (): Promise<never> => Promise.reject(new NestedAppAuthUnavailableError("no bridge"));
    const naa = {
      initialize: unavailable,
      signIn: unavailable,
      signOut: () => Promise.resolve(),
      getToken: unavailable,
    };
    const dialogAuth = {
      initialize: () => Promise.resolve(null),
      signIn: () => Promise.resolve(),
      signOut: () => Promise.resolve(),
      getToken: () => Promise.resolve("t"),
    };
    const auth = withSsoFallback(naa, () => Promise.resolve(dialogAuth), "Outlook", "office-dialog");
    await expect(auth.initialize()).resolves.toBeNull();
    expect(auth.signInMode()).toBe("office-dialog");
  });

  it("selects the dialog sign-in for that mode", async () => {
    const host = (await startOutlookTaskPane(win(fakeOffice({ naa: false }).office), 1000))!;
    const auth = await createAuthFor(host, config);
    expect(auth.signInMode?.()).toBe("office-dialog");
  });
});

describe("Office's dialog API as a promise", () => {
  it("opens the page and passes messages and events on", async () => {
    const fake = fakeOffice();
    const dialog = new HostDialogLike();
    fake.nextDialog = { status: "succeeded", dialog };
    const opened = await officeDialogOpener(fake.office)!("https://pane.test/auth-dialog.html", {
      height: 60,
      width: 30,
    });
    const got: unknown[] = [];
    opened.onMessage((m, o) => got.push([m, o]));
    opened.onEvent((code) => got.push(code));
    dialog.message("hello");
    dialog.event(12006);
    opened.close();
    expect(got).toEqual([["hello", ORIGIN], 12006]);
    expect(dialog.closed).toBe(true);
    expect(fake.dialogCalls[0]).toEqual({
      url: "https://pane.test/auth-dialog.html",
      options: { height: 60, width: 30, displayInIframe: false },
    });
  });

  it("rejects with Office's error code when the dialog can't open", async () => {
    const fake = fakeOffice();
    fake.nextDialog = { status: "failed", code: 12011 };
    await expect(
      officeDialogOpener(fake.office)!("https://pane.test/x.html", { height: 1, width: 1 }),
    ).rejects.toMatchObject({
      code: 12011,
    });
  });

  it("turns the opening errors into what the pane explains", () => {
    expect(dialogOpenError(new OfficeDialogError(12009, "ignored")).code).toBe("popup_blocked");
    expect(dialogOpenError(new OfficeDialogError(12011, "blocked")).code).toBe("popup_blocked");
    expect(dialogOpenError(new OfficeDialogError(12007, "open")).code).toBe("dialog_already_open");
    expect(dialogOpenError(new OfficeDialogError(12004, "domain")).code).toBe("sign_in_failed");
  });
});

describe("sign-in through Office's dialog", () => {
  const asHost = (d: HostDialogLike): HostDialog => ({
    onMessage: (h) => d.addEventHandler("dialogMessageReceived", (a) => h(a.message ?? "", a.origin)),
    onEvent: (h) => d.addEventHandler("dialogEventReceived", (a) => h(a.error ?? 0)),
    close: () => d.close(),
  });

  it("signs in with the account and token the dialog page hands back, and keeps the token", async () => {
    const dialog = new HostDialogLike();
    const urls: string[] = [];
    const open: HostDialogOpener = (url) => {
      urls.push(url);
      return Promise.resolve(asHost(dialog));
    };
    const auth = createOfficeDialogAuth(config, { hostName: "Outlook", loginHint: "megan@contoso.com" }, open, ORIGIN);
    expect(await auth.initialize()).toBeNull();
    const signingIn = auth.signIn();
    await Promise.resolve();
    await Promise.resolve();
    // A message from another origin is not ours.
    dialog.message(success({ accessToken: "evil" }), "https://evil.test");
    dialog.message(success());
    await signingIn;
    expect(dialog.closed).toBe(true);
    expect(urls).toEqual(["https://pane.test/auth-dialog.html?loginHint=megan%40contoso.com"]);
    expect(await auth.initialize()).toEqual({ username: "megan@contoso.com", name: "Megan", tenantId: "t1" });
    expect(await auth.getToken([config.apiScope])).toBe("token-1");
    expect(urls).toHaveLength(1);
  });

  it("explains a dialog the user closed, and a failure the dialog page reports", async () => {
    const closed = new HostDialogLike();
    const auth = createOfficeDialogAuth(config, undefined, () => Promise.resolve(asHost(closed)), ORIGIN);
    const first = auth.signIn();
    await Promise.resolve();
    await Promise.resolve();
    closed.event(12006);
    await expect(first).rejects.toMatchObject({ code: "dialog_closed" });

    const failing = new HostDialogLike();
    const auth2 = createOfficeDialogAuth(config, undefined, () => Promise.resolve(asHost(failing)), ORIGIN);
    const second = auth2.signIn();
    await Promise.resolve();
    await Promise.resolve();
    failing.message(
      JSON.stringify({ kind: "ja-sign-in", status: "failure", code: "consent_required", message: "AADSTS65001" }),
    );
    await expect(second).rejects.toMatchObject({ code: "consent_required" });
  });

  it("reports a blocked dialog as blocked (the pane offers Try again)", async () => {
    const auth = createOfficeDialogAuth(
      config,
      undefined,
      () => Promise.reject(new OfficeDialogError(12011, "pop-ups blocked")),
      ORIGIN,
    );
    const err = await auth.signIn().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PaneError);
    expect((err as PaneError).code).toBe("popup_blocked");
  });

  it("opens the dialog again once the token is about to expire", async () => {
    const dialogs: HostDialogLike[] = [];
    let now = 1_000_000;
    const auth = createOfficeDialogAuth(
      config,
      undefined,
      () => {
        const d = new HostDialogLike();
        dialogs.push(d);
        return Promise.resolve(asHost(d));
      },
      ORIGIN,
      () => now,
    );
    const first = auth.signIn();
    await new Promise((r) => setTimeout(r, 0));
    dialogs[0]!.message(success({ expiresOn: now + 3_600_000 }));
    await first;
    now += 3_600_000 - 60_000;
    const renewed = auth.getToken([config.apiScope]);
    await new Promise((r) => setTimeout(r, 0));
    expect(dialogs).toHaveLength(2);
    dialogs[1]!.message(success({ accessToken: "token-2", expiresOn: now + 3_600_000 }));
    expect(await renewed).toBe("token-2");
  });
});

describe("the dialog page's message and address", () => {
  it("parses only well-formed messages of ours", () => {
    expect(parseDialogMessage(success())?.status).toBe("success");
    expect(parseDialogMessage("not json")).toBeNull();
    expect(parseDialogMessage(JSON.stringify({ kind: "other" }))).toBeNull();
    expect(parseDialogMessage(JSON.stringify({ kind: "ja-sign-in", status: "success" }))).toBeNull();
    expect(dialogPageUrl(ORIGIN, undefined)).toBe("https://pane.test/auth-dialog.html");
  });

  it("checks a dialog URL as Office does (12005 http, 12004 another domain)", () => {
    expect(dialogUrlError("https://pane.test/auth-dialog.html", ORIGIN)).toBeNull();
    expect(dialogUrlError("http://pane.test/auth-dialog.html", ORIGIN)?.code).toBe(12005);
    expect(dialogUrlError("https://evil.test/auth-dialog.html", ORIGIN)?.code).toBe(12004);
    expect(dialogUrlError("https://pane.test:8443/x.html", ORIGIN)?.code).toBe(12004);
  });
});
