import type { MailItemSource, SelectedMessage } from "../host";
import { OFFICE_EVENT, type OfficeGlobal, type OfficeMessageRead } from "./officeTypes";

/**
 * The message selected in Outlook's reading pane, and its changes. A pinned task pane stays open
 * while the user selects other messages: Outlook then fires ItemChanged and `mailbox.item` is the
 * new message (or null when nothing is selected). Docs: "Implement a pinnable task pane in Outlook"
 * (https://learn.microsoft.com/office/dev/add-ins/outlook/pinnable-taskpane).
 */
export function selectedMessageOf(item: OfficeMessageRead | null | undefined): SelectedMessage | null {
  const id = item?.internetMessageId;
  // A draft (compose mode) has no Internet message id yet: nothing to look up.
  if (item === null || item === undefined || typeof id !== "string" || id === "") return null;
  return {
    internetMessageId: id,
    ...(item.subject ? { subject: item.subject } : {}),
    ...(item.from?.emailAddress ? { from: item.from.emailAddress } : {}),
  };
}

export function officeMailItemSource(office: OfficeGlobal): MailItemSource | undefined {
  const mailbox = office.context?.mailbox;
  if (mailbox === undefined) return undefined;
  const handlers = new Set<(message: SelectedMessage | null) => void>();
  let registered = false;
  const register = (): void => {
    if (registered || mailbox.addHandlerAsync === undefined) return;
    registered = true;
    mailbox.addHandlerAsync(office.EventType?.ItemChanged ?? OFFICE_EVENT.ItemChanged, () => {
      const current = selectedMessageOf(mailbox.item);
      for (const handler of handlers) handler(current);
    });
  };
  return {
    current: () => selectedMessageOf(mailbox.item),
    onChange(handler) {
      handlers.add(handler);
      register();
      return () => handlers.delete(handler);
    },
  };
}
