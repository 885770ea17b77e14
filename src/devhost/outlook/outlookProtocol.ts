/**
 * The dev host's Outlook mode (development and tests only): how its emulated office.js (in the task
 * pane's frame and in dialog windows) talks to the host page. Not Microsoft's wire protocol (that
 * one is internal to office.js); what is faithful is the office.js API the add-in sees
 * (./officeJs.ts). Pure: imported by the bundled scripts and by the server.
 */
import type { HostUser } from "../protocol";

export const OUTLOOK_PATH = "outlook/";
/** The add-in's pages as the dev host serves them, with the emulated office.js in place of the CDN's. */
export const OUTLOOK_APP_PATH = "outlook/app/";
/** The URL of office.js on Microsoft's CDN, as the add-in's pages load it. */
export const OFFICE_JS_CDN_URL = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

/** A message of the reading pane, in Graph's shape (the emulator's mailbox listing). */
export interface OutlookMessage {
  id: string;
  internetMessageId: string;
  subject: string;
  bodyPreview?: string;
  from: { emailAddress: { name: string; address: string } };
  toRecipients: { emailAddress: { name: string; address: string } }[];
  ccRecipients?: { emailAddress: { name: string; address: string } }[];
  receivedDateTime: string;
}

/** The selected item as office.js exposes it (Office.context.mailbox.item, message read). */
export interface OfficeItemData {
  itemId: string;
  internetMessageId: string;
  subject: string;
  from: { displayName: string; emailAddress: string };
  to: { displayName: string; emailAddress: string }[];
  cc: { displayName: string; emailAddress: string }[];
  dateTimeCreated: string;
}

export function officeItemOf(message: OutlookMessage): OfficeItemData {
  const address = (a: { emailAddress: { name: string; address: string } }): OfficeItemData["from"] => ({
    displayName: a.emailAddress.name,
    emailAddress: a.emailAddress.address,
  });
  return {
    itemId: message.id,
    internetMessageId: message.internetMessageId,
    subject: message.subject,
    from: address(message.from),
    to: message.toRecipients.map(address),
    cc: (message.ccRecipients ?? []).map(address),
    dateTimeCreated: message.receivedDateTime,
  };
}

export interface OutlookPageConfig {
  /** The add-in's page (the manifest's task pane page), e.g. `/taskpane.html`. */
  appPage: string;
  /** Whether the host supports the NestedAppAuth 1.1 requirement set (`?naa=0` turns it off). */
  naa: boolean;
  /** The message selected at start (internetMessageId), else the newest. */
  select: string | null;
  user: HostUser | null;
  userError: string | null;
  tokenPath: string;
  messagesPath: string;
  /** The prefix under which the add-in's pages are served with the emulated office.js. */
  appPrefix: string;
}

/** The context office.js gets from the host page when it starts. */
export interface OfficeInitData {
  role: "taskpane" | "dialog";
  host: "Outlook";
  platform: "OfficeOnline";
  naa: boolean;
  userProfile: { emailAddress: string; displayName: string; timeZone: string } | null;
  item: OfficeItemData | null;
}

export const CHANNEL = "devhost-office";

export type OfficeToHost =
  | { channel: typeof CHANNEL; kind: "hello"; role: "taskpane" | "dialog" }
  | { channel: typeof CHANNEL; kind: "naa"; data: string }
  | {
      channel: typeof CHANNEL;
      kind: "displayDialog";
      id: number;
      url: string;
      options: { height?: number; width?: number; displayInIframe?: boolean; promptBeforeOpen?: boolean };
    }
  | { channel: typeof CHANNEL; kind: "dialogClose" }
  | { channel: typeof CHANNEL; kind: "messageParent"; message: string; targetOrigin?: string };

export type HostToOffice =
  | { channel: typeof CHANNEL; kind: "init"; data: OfficeInitData }
  | { channel: typeof CHANNEL; kind: "itemChanged"; item: OfficeItemData | null }
  | { channel: typeof CHANNEL; kind: "naa"; data: string }
  | { channel: typeof CHANNEL; kind: "dialogResult"; id: number; error?: { code: number; message: string } }
  | { channel: typeof CHANNEL; kind: "dialogMessage"; message: string; origin: string }
  | { channel: typeof CHANNEL; kind: "dialogEvent"; error: number };

/**
 * displayDialogAsync's checks, in Microsoft's words ("Handle errors and events in the Office dialog
 * box", https://learn.microsoft.com/office/dev/add-ins/develop/dialog-handle-errors-events):
 * 12005 the URL uses HTTP; 12004 the URL's domain is not the add-in's (protocol, host and port).
 */
export function dialogUrlError(url: string, addInOrigin: string): { code: number; message: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { code: 12004, message: "The domain of the URL is not included in the AppDomains element in the manifest." };
  }
  if (parsed.protocol === "http:") {
    return { code: 12005, message: "The URL you supplied uses the HTTP protocol. HTTPS is required." };
  }
  if (parsed.origin !== addInOrigin) {
    return {
      code: 12004,
      message:
        "The domain of the URL is not included in the AppDomains element in the manifest, and is not subdomain of source location.",
    };
  }
  return null;
}

export const DIALOG_ALREADY_OPEN = {
  code: 12007,
  message:
    "A dialog box is already opened from this host window. A host window, such as a task pane, can only have one dialog box open at a time.",
};
export const DIALOG_IGNORED = { code: 12009, message: "The user chose to ignore the dialog box." };
export const DIALOG_CLOSED_EVENT = 12006;
export const DIALOG_PAGE_NOT_FOUND_EVENT = 12002;

/** A message without its channel tag (distributes over the union, so each kind keeps its fields). */
export type Unchanneled<T> = T extends unknown ? Omit<T, "channel"> : never;
