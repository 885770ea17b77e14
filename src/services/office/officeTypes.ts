/**
 * The few members of office.js the pane uses, typed here (the project has no @types/office-js).
 * Shapes and constants as Microsoft documents them:
 * https://learn.microsoft.com/javascript/api/office (Office.context, Office.EventType, AsyncResult),
 * https://learn.microsoft.com/javascript/api/outlook/office.messageread (the item in read mode).
 */
export interface OfficeAsyncResult<T> {
  readonly status: "succeeded" | "failed";
  readonly value: T;
  readonly error?: { readonly code: number; readonly name?: string; readonly message: string };
}

export interface OfficeEmailAddress {
  readonly displayName: string;
  readonly emailAddress: string;
}

/** `Office.context.mailbox.item` in message read mode (only what the pane reads). */
export interface OfficeMessageRead {
  readonly itemType?: string;
  readonly internetMessageId?: string;
  readonly subject?: string;
  readonly from?: OfficeEmailAddress;
  readonly dateTimeCreated?: Date | string;
}

/** `Dialog` (Office.context.ui.displayDialogAsync's value). */
export interface OfficeDialog {
  addEventHandler(
    type: string,
    handler: (arg: { message?: string; origin?: string; error?: number }) => void,
    callback?: (result: OfficeAsyncResult<void>) => void,
  ): void;
  close(): void;
}

export interface OfficeDialogOptions {
  height?: number;
  width?: number;
  displayInIframe?: boolean;
  promptBeforeOpen?: boolean;
}

export interface OfficeGlobal {
  onReady(): Promise<{ host: string | null; platform: string | null }>;
  readonly EventType?: Record<string, string>;
  context?: {
    requirements?: { isSetSupported(name: string, minVersion?: string): boolean };
    officeTheme?: { bodyBackgroundColor?: string };
    mailbox?: {
      userProfile?: { emailAddress?: string; displayName?: string };
      item?: OfficeMessageRead | null;
      addHandlerAsync?(
        type: string,
        handler: (arg: unknown) => void,
        callback?: (result: OfficeAsyncResult<void>) => void,
      ): void;
    };
    ui?: {
      displayDialogAsync(
        url: string,
        options: OfficeDialogOptions,
        callback: (result: OfficeAsyncResult<OfficeDialog>) => void,
      ): void;
      messageParent?(message: string, options?: { targetOrigin?: string }): void;
    };
  };
}

/** Documented event type names (Office.EventType), used when the host's enum is missing. */
export const OFFICE_EVENT = {
  ItemChanged: "olkItemSelectedChanged",
  DialogMessageReceived: "dialogMessageReceived",
  DialogEventReceived: "dialogEventReceived",
} as const;

export function officeOf(win: Window): OfficeGlobal | undefined {
  return (win as unknown as { Office?: OfficeGlobal }).Office;
}
