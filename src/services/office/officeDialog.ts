import type { HostDialog, HostDialogOpener } from "../host";
import { OFFICE_EVENT, type OfficeGlobal } from "./officeTypes";

/**
 * Office's dialog API as a promise (Office.context.ui.displayDialogAsync). Error codes, from "Handle
 * errors and events in the Office dialog box"
 * (https://learn.microsoft.com/office/dev/add-ins/develop/dialog-handle-errors-events):
 * opening: 12004 untrusted domain, 12005 http URL, 12007 a dialog is already open, 12009 the user
 * ignored the dialog, 12011 the browser blocks pop-ups; in the dialog (DialogEventReceived):
 * 12002 no page at the URL, 12003 the dialog went to an http URL, 12006 the user closed it.
 */
export const DIALOG_ERRORS = {
  pageNotFound: 12002,
  insecureUrl: 12003,
  untrustedDomain: 12004,
  httpUrl: 12005,
  closedByUser: 12006,
  alreadyOpen: 12007,
  ignoredByUser: 12009,
  popupsBlocked: 12011,
} as const;

export class OfficeDialogError extends Error {
  override readonly name = "OfficeDialogError";
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function officeDialogOpener(office: OfficeGlobal): HostDialogOpener | undefined {
  const ui = office.context?.ui;
  if (ui === undefined) return undefined;
  const types = office.EventType ?? {};
  return (url, size) =>
    new Promise<HostDialog>((resolve, reject) => {
      ui.displayDialogAsync(
        url,
        // Percentages of the screen; promptBeforeOpen stays Office's default (its own "allow" prompt on the web).
        { height: size.height, width: size.width, displayInIframe: false },
        (result) => {
          if (result.status !== "succeeded") {
            reject(new OfficeDialogError(result.error?.code ?? 0, result.error?.message ?? "the dialog did not open"));
            return;
          }
          const dialog = result.value;
          resolve({
            onMessage: (handler) =>
              dialog.addEventHandler(types.DialogMessageReceived ?? OFFICE_EVENT.DialogMessageReceived, (arg) =>
                handler(arg.message ?? "", arg.origin),
              ),
            onEvent: (handler) =>
              dialog.addEventHandler(types.DialogEventReceived ?? OFFICE_EVENT.DialogEventReceived, (arg) =>
                handler(arg.error ?? 0),
              ),
            close: () => dialog.close(),
          });
        },
      );
    });
}
