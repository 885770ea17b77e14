import type { DirectoryUser } from "../directory/types";
import { sameName } from "./cmdlets/context";
import type { MailboxMessage, TenantRecord } from "./types";

/**
 * The tenant's mailbox contents (Graph's messages of each user with a mailbox): where ./mailboxes
 * (mail users send) and ./journalNdr (undeliverable journal reports) put what they deliver.
 */
const MAX_PER_MAILBOX = 5_000;

export function mailboxesOf(record: TenantRecord): Record<string, MailboxMessage[]> {
  record.exchange.mailboxes ??= {};
  return record.exchange.mailboxes;
}

/** The user with a mailbox at this address (mail or UPN), if any. */
export function mailboxUser(record: TenantRecord, address: string): DirectoryUser | undefined {
  return record.directory.users.find(
    (u) =>
      u.mail !== null &&
      (u.recipientTypeDetails === "UserMailbox" || u.recipientTypeDetails === "SharedMailbox") &&
      (sameName(u.mail, address) || sameName(u.userPrincipalName, address)),
  );
}

/** Puts a message into a user's mailbox (the oldest go past MAX_PER_MAILBOX). */
export function storeMessage(record: TenantRecord, userId: string, message: MailboxMessage): void {
  const boxes = mailboxesOf(record);
  const box = (boxes[userId] ??= []);
  box.push(message);
  if (box.length > MAX_PER_MAILBOX) box.splice(0, box.length - MAX_PER_MAILBOX);
}
