/**
 * Where Microsoft's admin consent endpoint sends the admin back (the monitor's redirect_uri is the
 * pane's root): `?admin_consent=True&tenant=…&state=…` on success, `?error=…&error_description=…`
 * otherwise (https://learn.microsoft.com/entra/identity-platform/v2-admin-consent, "Successful
 * response" / "Error response"). That page is the consent window the pane opened: it says what
 * happened and closes; the pane that opened it learns the outcome from the backend (GET /api/monitor).
 */
const MONITOR_CONSENT_STATE = "monitor-consent";

export function isConsentReturn(search: string): boolean {
  const q = new URLSearchParams(search);
  return q.has("admin_consent") || (q.get("state") === MONITOR_CONSENT_STATE && q.has("error"));
}

export async function finishConsentWindow(win: Window, root: HTMLElement): Promise<void> {
  const q = new URLSearchParams(win.location.search);
  const ok = (q.get("admin_consent") ?? "").toLowerCase() === "true" && !q.has("error");
  const text = ok
    ? "Admin consent recorded. You can close this window; the Journaling Assistant continues on its own."
    : `Admin consent was not given (${q.get("error_description") ?? q.get("error") ?? "no reason given"}). Close this window and choose Grant admin consent again.`;
  const p = win.document.createElement("p");
  p.textContent = text;
  p.style.font = "14px 'Segoe UI', system-ui, sans-serif";
  p.style.margin = "24px";
  root.replaceChildren(p);
  // Teams' authentication window: teams-js tells the host, so authentication.authenticate settles.
  // A browser pop-up has no host to answer: after the wait it just closes.
  try {
    const { app, authentication } = await import(/* webpackChunkName: "host-teams" */ "@microsoft/teams-js");
    await Promise.race([app.initialize(), new Promise((_, reject) => setTimeout(reject, 3000))]);
    if (ok) authentication.notifySuccess("consented");
    else authentication.notifyFailure(q.get("error") ?? "consent_not_given");
    return;
  } catch {
    // No host answered.
  }
  win.close();
}
