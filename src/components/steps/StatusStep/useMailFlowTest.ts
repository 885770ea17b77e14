import { useCallback, useEffect, useRef, useState } from "react";
import type { MailFlowTest } from "../../../core/contract/mailflow";
import { useServices } from "../../services/ServicesContext";

const POLL_MS = 1500;

/** A region of the applied setup whose list's members may send its test message. */
export interface SenderChoice {
  readonly region: string;
  readonly members: readonly string[];
}

/** The regions with a list, from the desired state last applied (the server checks membership again). */
export function senderChoices(desired: unknown): SenderChoice[] {
  const regions = (desired as { journaling?: { regions?: unknown } } | null)?.journaling?.regions;
  if (!Array.isArray(regions)) return [];
  return regions.flatMap((r: { region?: unknown; group?: { members?: unknown } }) =>
    typeof r.region === "string" && Array.isArray(r.group?.members)
      ? [{ region: r.region, members: r.group.members.filter((m): m is string => typeof m === "string") }]
      : [],
  );
}

export interface MailFlowTestModel {
  /** The running test, or the tenant's latest one (maybe a colleague's); null when none yet. */
  readonly test: MailFlowTest | null;
  readonly running: boolean;
  readonly error: unknown;
  /** Only people who may change the setup send test messages; everybody sees the latest result. */
  readonly canSend: boolean;
  readonly recipient: string;
  readonly setRecipient: (value: string) => void;
  /** Per region, who may send its message (members of its list); empty for an "everyone" setup. */
  readonly choices: readonly SenderChoice[];
  /** The chosen sender per region ("" or absent: you if you are in the list, else its first member). */
  readonly senders: Readonly<Record<string, string>>;
  readonly setSender: (region: string, upn: string) => void;
  readonly send: () => void;
}

/** "Send a test message": starts a mail-flow test and follows it until every region has its answer. */
export function useMailFlowTest(enabled: boolean): MailFlowTestModel {
  const { backend, session } = useServices();
  const [test, setTest] = useState<MailFlowTest | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [recipient, setRecipient] = useState("");
  const [choices, setChoices] = useState<readonly SenderChoice[]>([]);
  const [senders, setSenders] = useState<Readonly<Record<string, string>>>({});
  const canSend = session.canChange;

  useEffect(() => {
    if (!enabled || !canSend) return;
    let live = true;
    backend
      .appliedSetup()
      .then((a) => live && setChoices(senderChoices(a.desired)))
      // Without the lists the test still runs with its default senders.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [backend, enabled, canSend]);
  const polling = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    backend
      .latestMailFlowTest()
      .then((t) => {
        if (live && !polling.current) setTest(t);
      })
      // The latest result is a nicety next to the send button: a failed read shows nothing.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [backend, enabled]);

  useEffect(() => () => polling.current?.abort(), []);

  const send = useCallback(() => {
    polling.current?.abort();
    const controller = new AbortController();
    polling.current = controller;
    setRunning(true);
    setError(null);
    const to = recipient.trim();
    const chosen = Object.fromEntries(Object.entries(senders).filter(([, upn]) => upn !== ""));
    const run = async (): Promise<void> => {
      const { testId } = await backend.startMailFlowTest({
        ...(to === "" ? {} : { recipient: to }),
        ...(Object.keys(chosen).length > 0 ? { senders: chosen } : {}),
      });
      for (;;) {
        const t = await backend.getMailFlowTest(testId);
        if (controller.signal.aborted) return;
        setTest(t);
        if (t.state !== "running") return;
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (controller.signal.aborted) return;
      }
    };
    run()
      .catch((err: unknown) => !controller.signal.aborted && setError(err))
      .finally(() => {
        if (!controller.signal.aborted) setRunning(false);
      });
  }, [backend, recipient, senders]);

  const setSender = useCallback((region: string, upn: string) => setSenders((s) => ({ ...s, [region]: upn })), []);
  return { test, running, error, canSend, recipient, setRecipient, choices, senders, setSender, send };
}
