import type { RunningEmulator } from "../emulator/server";
import { mailboxesOf, mailboxUser, submitMessage } from "../emulator/exchange/mailboxes";

/**
 * A few messages in the dev host user's mailbox for the demo (`npm start`), so the Outlook mode's
 * reading pane has something to ask "was this journaled?" about: one from outside, one reply going
 * out, one internal. They go through the emulator's mail flow like any message (journal reports when
 * rules exist). Only into an empty mailbox, so a restart with saved state adds nothing.
 */
export function seedDemoMailbox(emulator: RunningEmulator, upn: string): void {
  const tenant = emulator.state.getTenant(upn.split("@")[1] ?? "");
  const user = tenant ? mailboxUser(tenant, upn) : undefined;
  if (!tenant || !user || (mailboxesOf(tenant)[user.id]?.length ?? 0) > 0) return;
  const me = { address: upn };
  const minutesAgo = (m: number): Date => new Date(Date.now() - m * 60_000);
  const messages = [
    {
      from: { name: "Megan at Fabrikam", address: "megan@fabrikam.example" },
      to: [me],
      subject: "Contract draft for review",
      at: minutesAgo(45),
    },
    {
      from: me,
      to: [{ address: "megan@fabrikam.example" }],
      subject: "RE: Contract draft for review",
      at: minutesAgo(30),
    },
    {
      from: { address: `admin@${upn.split("@")[1]}` },
      to: [me],
      subject: "Team meeting moved to Thursday",
      at: minutesAgo(10),
    },
  ];
  for (const m of messages) submitMessage(tenant, m, m.at);
}
