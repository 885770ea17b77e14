// Only controls the setup's own views already load (Checkbox, Field, Input…): the section adds no
// Fluent code of its own to what the pane has loaded by the end of the setup (bench/pane.ts).
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
} from "@fluentui/react-components";
import type React from "react";
import type { MonitorSettings } from "../../services/backend/types";
import { PaneError } from "../../services/errors";
import { ErrorMessage } from "../common/ErrorMessage";
import { StepSkeleton } from "../common/StepSkeleton";
import { PeoplePicker } from "../PeoplePicker/PeoplePicker";
import { useServices } from "../services/ServicesContext";
import { useStepStyles } from "../steps/useStepStyles.styles";
import type { KeepWatchingModel } from "./KeepWatching.types";
import { useKeepWatching } from "./useKeepWatching";
import { useMonitorStyles } from "./useMonitorStyles.styles";

const when = (iso: string | undefined): string => (iso ? new Date(iso).toLocaleString() : "");

function minutes(n: number): string {
  return `${n} minute${n === 1 ? "" : "s"}`;
}

/** Where watching stands now, as saved in the backend. */
function StateLine({ settings }: { settings: MonitorSettings }): React.JSX.Element {
  const step = useStepStyles();
  if (!settings.watching) {
    return (
      <p className={step.note}>Not watching: nobody is told when the setup breaks until someone opens the pane.</p>
    );
  }
  return (
    <p className={step.note}>
      Watching: the setup is checked every {minutes(settings.intervalMinutes)}
      {settings.enabledBy ? `, turned on by ${settings.enabledBy}` : ""}
      {settings.enabledAt ? ` on ${when(settings.enabledAt)}` : ""}.
      {settings.lastCheckedAt ? ` Last check ${when(settings.lastCheckedAt)}.` : ""}
      {settings.nextCheckAt ? ` Next check ${when(settings.nextCheckAt)}.` : ""}
    </p>
  );
}

/**
 * The monitor's app-only identity, step by step: admin consent for its application permissions,
 * then an Exchange role for its service principal. Each step says what is missing and how to give
 * it; "Check again" asks the backend once more.
 */
function IdentityWalkthrough({ m }: { m: KeepWatchingModel }): React.JSX.Element | null {
  const step = useStepStyles();
  const styles = useMonitorStyles();
  const identity = m.settings?.identity;
  if (!identity || identity.state === "ready") return null;
  const consentDone = identity.state !== "needsConsent" && identity.state !== "unavailable";
  let current: React.JSX.Element;
  if (identity.state === "unavailable") {
    current = (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>The monitor has no identity to run with</MessageBarTitle>
          {identity.text} <strong>Next:</strong> whoever runs the backend configures its app (JA_CLIENT_ID with a secret
          or certificate), then choose Check again.
        </MessageBarBody>
      </MessageBar>
    );
  } else if (identity.state === "needsConsent") {
    current = (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Step 1 of 2: an administrator's consent</MessageBarTitle>
          {identity.text}
          {identity.missingPermissions && identity.missingPermissions.length > 0
            ? ` Permissions still to grant: ${identity.missingPermissions.join(", ")}.`
            : ""}{" "}
          <strong>Next:</strong>{" "}
          {m.canChange
            ? "choose Grant admin consent and accept in the Microsoft window that opens (a Global Administrator or Privileged Role Administrator can)."
            : "ask a Global Administrator to grant it from this pane."}
          {m.consent === "waiting" ? (
            <p className={step.note} role="status">
              Waiting for the consent in the Microsoft window…
            </p>
          ) : null}
          {m.consent === "blocked" ? (
            <p className={step.note}>
              The browser blocked the consent window. Allow pop-ups for this site and choose Grant admin consent again,
              or open{" "}
              <a href={identity.consentUrl} target="_blank" rel="noopener noreferrer">
                Microsoft&apos;s consent page
              </a>{" "}
              in a new tab, then choose Check again.
            </p>
          ) : null}
          {m.consent === "closed" ? (
            <p className={step.note}>
              The consent window closed before the consent arrived. Choose Grant admin consent to open it again.
            </p>
          ) : null}
        </MessageBarBody>
      </MessageBar>
    );
  } else {
    current = (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Step 2 of 2: an Exchange role for the app</MessageBarTitle>
          {identity.text}
          {identity.exchangeRoleHelp ? <p className={step.note}>{identity.exchangeRoleHelp}</p> : null}
          <strong>Next:</strong> give the role, wait a few minutes for Exchange to pick it up, then choose Check again.
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <div className={step.stack} role="group" aria-label="Set up the monitor's identity">
      <ol className={styles.steps}>
        <li>
          Admin consent for the app ({identity.clientId || "not configured"}): {consentDone ? "done" : "to do"}
        </li>
        <li>
          Exchange role for the app:{" "}
          {identity.state === "needsExchangeRole" ? "to do" : consentDone ? "done" : "after consent"}
        </li>
      </ol>
      {current}
      {/* Readers can neither consent nor give roles: they read where it stands, with nothing to press. */}
      {m.canChange ? (
        <div className={step.row}>
          {identity.state === "needsConsent" && identity.consentUrl ? (
            <Button appearance="primary" disabledFocusable={m.consent === "waiting"} onClick={m.grantConsent}>
              Grant admin consent
            </Button>
          ) : null}
          <Button onClick={m.checkAgain} disabledFocusable={m.loading}>
            Check again
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** A save the backend refused: its message as it is (what is missing or wrong), then what to do. */
function SaveError({ error }: { error: unknown }): React.JSX.Element {
  if (error instanceof PaneError && (error.details.status === 400 || error.details.status === 409)) {
    const notReady = error.details.status === 409;
    return (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>
            {notReady ? "Watching can't be turned on yet" : "The settings were not saved"}
          </MessageBarTitle>
          {error.message} <strong>Next:</strong>{" "}
          {notReady
            ? "finish the steps above, then choose Save again; your choices are kept."
            : "correct what is marked, then choose Save again; your choices are kept."}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return <ErrorMessage error={error} />;
}

/**
 * Keep watching (issue 14): the backend checks the setup every few minutes with its own identity and
 * tells the chosen admins (or a team channel's members) in Teams when something breaks. Admins change
 * it; readers see it read-only.
 */
export default function KeepWatching(): React.JSX.Element {
  const m = useKeepWatching();
  const { session } = useServices();
  const step = useStepStyles();
  const styles = useMonitorStyles();
  const readOnly = !m.canChange;
  let body: React.JSX.Element;
  if (!m.settings && m.loading) body = <StepSkeleton label="Loading the monitor's settings" rows={2} />;
  else if (!m.settings) body = <ErrorMessage error={m.loadError} onRetry={m.checkAgain} />;
  else {
    const { settings, form, fieldErrors } = m;
    const channelHere = m.hereChannel;
    body = (
      <>
        <StateLine settings={settings} />
        <IdentityWalkthrough m={m} />
        {readOnly ? (
          <p className={step.note}>Changing these settings needs the {session.requiredRoles.join(" or ")} role.</p>
        ) : null}
        <Checkbox
          label="Keep watching"
          checked={form.watching}
          disabled={readOnly}
          onChange={(_, data) => m.setWatching(data.checked === true)}
        />
        <Field
          label="Check every (minutes)"
          hint="From 1 to 1440 (a day). Microsoft's own configuration checks run every 6 hours."
          validationState={fieldErrors.interval ? "error" : "none"}
          validationMessage={fieldErrors.interval}
        >
          <Input
            className={styles.interval}
            type="number"
            inputMode="numeric"
            min={1}
            max={1440}
            value={form.interval}
            disabled={readOnly}
            onChange={(_, data) => m.setInterval(data.value)}
          />
        </Field>
        <div className={step.stack}>
          <span id="recipients-label">People told in Teams</span>
          {form.recipients.length === 0 ? (
            <p className={step.note}>Nobody yet.</p>
          ) : (
            <ul className={styles.recipients} aria-labelledby="recipients-label">
              {form.recipients.map((r) => (
                <li key={r.upn}>
                  {r.displayName ? `${r.displayName} (${r.upn})` : r.upn}{" "}
                  {readOnly ? null : (
                    <Button
                      size="small"
                      appearance="subtle"
                      aria-label={`Remove ${r.displayName ?? r.upn}`}
                      onClick={() => m.removeRecipient(r.upn)}
                    >
                      Remove
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {readOnly ? null : (
            <PeoplePicker
              label="Add a person to tell"
              value={form.query}
              onValueChange={m.setQuery}
              onPick={m.addRecipient}
              validationState={fieldErrors.recipients ? "error" : "none"}
              {...(fieldErrors.recipients ? { validationMessage: fieldErrors.recipients } : {})}
            />
          )}
          {readOnly && fieldErrors.recipients ? <p className={step.note}>{fieldErrors.recipients}</p> : null}
        </div>
        <Field
          label="Team channel (optional)"
          validationState={fieldErrors.channel ? "error" : "none"}
          validationMessage={fieldErrors.channel}
        >
          {channelHere ? (
            <Checkbox
              label={`Also tell the members of this channel${channelHere.name ? ` (${channelHere.name})` : ""}`}
              checked={form.channel?.channelId === channelHere.channelId}
              disabled={readOnly}
              onChange={(_, data) => m.setChannel(data.checked ? channelHere : null)}
            />
          ) : form.channel ? (
            <span>
              {form.channel.name ?? "A team channel"} is told too.{" "}
              {readOnly ? null : (
                <Button size="small" appearance="subtle" onClick={() => m.setChannel(null)}>
                  Stop telling the channel
                </Button>
              )}
            </span>
          ) : (
            <span className={step.note}>
              To tell a team channel&apos;s members, open these settings from the Journaling Assistant tab in that
              channel.
            </span>
          )}
        </Field>
        {m.saveError ? <SaveError error={m.saveError} /> : null}
        <div className={step.row} aria-live="polite">
          {readOnly ? null : (
            <Button appearance="primary" onClick={m.save} disabledFocusable={m.saving}>
              Save
            </Button>
          )}
          {m.saving ? <span className={step.note}>Saving…</span> : null}
          {m.saved ? <span>{m.saved}</span> : null}
        </div>
        {settings.watching && !readOnly ? (
          <div className={step.row} aria-live="polite">
            <Button onClick={m.checkNow}>Check now</Button>
            {m.checkNote ? <span className={step.note}>{m.checkNote}</span> : null}
          </div>
        ) : null}
        {m.checkError ? <ErrorMessage error={m.checkError} onRetry={m.checkNow} /> : null}
      </>
    );
  }
  return (
    <section className={styles.section} aria-labelledby="keep-watching-heading" aria-busy={m.loading || m.saving}>
      <h4 id="keep-watching-heading" className={styles.heading}>
        Keep watching
      </h4>
      <p className={step.note}>
        The backend checks the setup on its own every few minutes (rules switched off, journal reports that don&apos;t
        get through, lists that miss people, changes made by hand) and tells the people below in Teams, once per
        problem, with the fix, and again when it is resolved.
      </p>
      {body}
    </section>
  );
}
