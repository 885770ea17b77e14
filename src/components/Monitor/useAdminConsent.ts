import { useCallback, useEffect, useRef, useState } from "react";
import type { BackendApi, MonitorSettings } from "../../services/backend/types";
import type { HostService } from "../../services/host";

const POLL_MS = 2000;
const GIVE_UP_MS = 10 * 60_000;
/**
 * After the window closed the backend may still answer from its short cache of the identity's state
 * (seconds), so the pane keeps asking this long before it says the consent did not arrive.
 */
const AFTER_CLOSE_MS = 30_000;

/**
 * - `idle`: nothing under way;
 * - `waiting`: the consent window is open; the backend is asked every 2 s whether consent arrived;
 * - `blocked`: the browser refused to open the window (pop-up blocker);
 * - `closed`: the window was closed and the backend still sees no consent.
 */
export type ConsentPhase = "idle" | "waiting" | "blocked" | "closed";

export interface AdminConsent {
  readonly phase: ConsentPhase;
  readonly start: (consentUrl: string) => void;
}

/**
 * The admin consent for the monitor's app-only identity: Microsoft's admin consent page opens in a
 * window (teams-js `authentication.authenticate` in Teams, a pop-up in a browser) and the pane asks
 * the backend (GET /api/monitor) until the identity no longer needs consent, whatever the window's
 * last page does. `onSettings` gets each answer, so the walkthrough moves on by itself.
 */
export function useAdminConsent(
  backend: BackendApi,
  host: HostService,
  onSettings: (settings: MonitorSettings) => void,
): AdminConsent {
  const [phase, setPhase] = useState<ConsentPhase>("idle");
  const stop = useRef<(() => void) | null>(null);
  const report = useRef(onSettings);
  report.current = onSettings;
  useEffect(() => () => stop.current?.(), []);

  const start = useCallback(
    (consentUrl: string) => {
      stop.current?.();
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let popup: Window | null = null;
      const finish = (next: ConsentPhase): void => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        setPhase(next);
      };
      stop.current = () => {
        done = true;
        if (timer !== undefined) clearTimeout(timer);
      };
      const check = async (): Promise<boolean> => {
        const settings = await backend.monitorSettings();
        if (done) return true;
        report.current(settings);
        return settings.identity.state !== "needsConsent";
      };
      const startedAt = Date.now();
      let closedAt: number | null = null;
      const poll = (delay = POLL_MS): void => {
        timer = setTimeout(() => {
          if (closedAt === null && popup !== null && popup.closed) closedAt = Date.now();
          check()
            .then((consented) => {
              if (consented) {
                popup?.close();
                finish("idle");
              } else if (closedAt !== null && Date.now() - closedAt > AFTER_CLOSE_MS) finish("closed");
              else if (Date.now() - startedAt > GIVE_UP_MS) finish("idle");
              else poll();
            })
            // A failed check (network) is tried again at the next tick.
            .catch(() => (done ? undefined : poll()));
        }, delay);
      };

      if (host.authenticate) {
        setPhase("waiting");
        poll();
        // Teams settles when the window reports back or is closed; the polling says what came of it.
        void host.authenticate(consentUrl).finally(() => {
          closedAt ??= Date.now();
          if (done) return;
          // Ask at once: the window's last page has just reported back.
          if (timer !== undefined) clearTimeout(timer);
          poll(0);
        });
        return;
      }
      popup = window.open(consentUrl, "ja-admin-consent", "popup,width=600,height=700");
      if (popup === null) {
        finish("blocked");
        return;
      }
      setPhase("waiting");
      poll();
    },
    [backend, host],
  );
  return { phase, start };
}
