import { useCallback, useEffect, useRef, useState } from "react";
import type { MailFlowTest } from "../../../core/contract/mailflow";
import { useServices } from "../../services/ServicesContext";

const POLL_MS = 1500;

export interface MailFlowTestModel {
  /** The running test, or the tenant's latest one (maybe a colleague's); null when none yet. */
  readonly test: MailFlowTest | null;
  readonly running: boolean;
  readonly error: unknown;
  /** Only people who may change the setup send test messages; everybody sees the latest result. */
  readonly canSend: boolean;
  readonly recipient: string;
  readonly setRecipient: (value: string) => void;
  readonly send: () => void;
}

/** "Send a test message": starts a mail-flow test and follows it until every region has its answer. */
export function useMailFlowTest(enabled: boolean): MailFlowTestModel {
  const { backend, session } = useServices();
  const [test, setTest] = useState<MailFlowTest | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [recipient, setRecipient] = useState("");
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
    const run = async (): Promise<void> => {
      const { testId } = await backend.startMailFlowTest(to === "" ? {} : { recipient: to });
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
  }, [backend, recipient]);

  return { test, running, error, canSend: session.canChange, recipient, setRecipient, send };
}
