import { useCallback, useEffect, useState } from "react";
import type { MessageJournaling } from "../../core/contract/mailflow";
import type { BackendApi } from "../../services/backend/types";
import type { MailItemSource, SelectedMessage } from "../../services/host";

/** Polling bounds for "not known yet": the server's retryAfterSeconds, kept sensible. */
const MIN_POLL_SECONDS = 5;
const MAX_POLL_SECONDS = 600;
const DEFAULT_POLL_SECONDS = 60;

/** The message selected in Outlook, following ItemChanged. */
export function useSelectedMessage(source: MailItemSource): SelectedMessage | null {
  const [message, setMessage] = useState<SelectedMessage | null>(() => source.current());
  useEffect(() => {
    setMessage(source.current());
    return source.onChange(setMessage);
  }, [source]);
  return message;
}

export function pollDelaySeconds(answer: MessageJournaling): number {
  const wanted = answer.retryAfterSeconds ?? DEFAULT_POLL_SECONDS;
  return Math.min(MAX_POLL_SECONDS, Math.max(MIN_POLL_SECONDS, wanted));
}

export interface MessageJournalingState {
  readonly answer: MessageJournaling | null;
  readonly loading: boolean;
  readonly error: unknown;
  /** notYetKnown: seconds until the pane looks again. */
  readonly nextCheckSeconds: number | null;
  readonly retry: () => void;
}

/**
 * Asks the backend about the selected message; while the answer is "not known yet" (message
 * trace lags), asks again after the server's retryAfterSeconds. A newer selection cancels the
 * older one's answer and its poll.
 */
export function useMessageJournaling(backend: BackendApi, internetMessageId: string | null): MessageJournalingState {
  const [answer, setAnswer] = useState<MessageJournaling | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [nextCheckSeconds, setNextCheck] = useState<number | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    setAnswer(null);
    setError(null);
    setNextCheck(null);
    if (internetMessageId === null) {
      setLoading(false);
      return;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = (): void => {
      setLoading(true);
      backend
        .messageJournaling(internetMessageId)
        .then((result) => {
          if (!live) return;
          setAnswer(result);
          setError(null);
          if (result.verdict === "notYetKnown") {
            const seconds = pollDelaySeconds(result);
            setNextCheck(seconds);
            timer = setTimeout(ask, seconds * 1000);
          } else {
            setNextCheck(null);
          }
        })
        .catch((err: unknown) => {
          if (live) setError(err);
        })
        .finally(() => {
          if (live) setLoading(false);
        });
    };
    ask();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [backend, internetMessageId, generation]);

  const retry = useCallback(() => setGeneration((g) => g + 1), []);
  return { answer, loading, error, nextCheckSeconds, retry };
}
