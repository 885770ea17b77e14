import { Badge, Button } from "@fluentui/react-components";
import type React from "react";
import { useCallback } from "react";
import type { Alert } from "../../services/backend/types";
import { ErrorMessage } from "../common/ErrorMessage";
import { StepSkeleton } from "../common/StepSkeleton";
import { useLoad } from "../common/useLoad";
import { useServices } from "../services/ServicesContext";
import { useStepStyles } from "../steps/useStepStyles.styles";
import { useMonitorStyles } from "./useMonitorStyles.styles";

const when = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
};

const KIND: Record<Alert["notified"][number]["kind"], string> = {
  raised: "told",
  updated: "updated",
  resolved: "told it is resolved",
};

/** "channel:<team>/<channel>" is a channel notification; anything else a person's UPN. */
function who(upn: string): string {
  return upn.startsWith("channel:") ? "the team channel" : upn;
}

/** Who was told, each person once, with what they were last told and when. */
function toldLine(alert: Alert): string {
  if (alert.notified.length === 0) return "Nobody was notified (no recipients were set).";
  const last = new Map<string, Alert["notified"][number]>();
  for (const n of alert.notified) {
    const seen = last.get(n.upn);
    if (!seen || Date.parse(n.at) >= Date.parse(seen.at)) last.set(n.upn, n);
  }
  return `Notified in Teams: ${[...last.values()].map((n) => `${who(n.upn)} (${KIND[n.kind]} ${when(n.at)})`).join(", ")}.`;
}

function AlertItem({ alert }: { alert: Alert }): React.JSX.Element {
  const styles = useMonitorStyles();
  const step = useStepStyles();
  const open = alert.state === "open";
  return (
    <li className={styles.alert} aria-label={`${open ? "Open" : "Resolved"}: ${alert.title}`}>
      <span className={styles.title}>
        <Badge appearance="tint" color={open ? "danger" : "success"} className={styles.badge}>
          {open ? "Open" : "Resolved"}
        </Badge>
        <strong>{alert.title}</strong>
      </span>
      <p className={styles.text}>{alert.text}</p>
      {open ? (
        <p className={styles.text}>
          <strong>Next:</strong> {alert.action}
        </p>
      ) : null}
      <p className={step.note}>
        Since {when(alert.since)}
        {alert.resolvedAt ? `, resolved ${when(alert.resolvedAt)}` : `, last updated ${when(alert.updatedAt)}`}.
      </p>
      <p className={step.note}>{toldLine(alert)}</p>
    </li>
  );
}

/** The monitor's alerts, newest first: open ones say what to do; each says whom it told in Teams. */
export default function AlertHistory(): React.JSX.Element {
  const { backend } = useServices();
  const styles = useMonitorStyles();
  const step = useStepStyles();
  const read = useCallback(() => backend.alerts(), [backend]);
  const { value, loading, error, reload } = useLoad(read);
  let body: React.JSX.Element;
  if (!value && loading) body = <StepSkeleton label="Loading the alerts" rows={2} />;
  else if (!value) body = <ErrorMessage error={error} onRetry={reload} />;
  else if (value.alerts.length === 0) {
    body = (
      <p className={step.note}>
        No alerts. While Keep watching is on, the monitor checks the setup on its own and raises an alert here and in
        Teams when something breaks.
      </p>
    );
  } else {
    const open = value.alerts.filter((a) => a.state === "open").length;
    body = (
      <>
        <p className={step.note}>{open === 0 ? "No open alerts." : `${open} open alert${open === 1 ? "" : "s"}.`}</p>
        <ul className={styles.list} aria-label="Alerts">
          {value.alerts.map((a) => (
            <AlertItem key={a.id} alert={a} />
          ))}
        </ul>
      </>
    );
  }
  return (
    <section className={styles.card} aria-labelledby="alerts-heading" aria-busy={loading}>
      <h2 id="alerts-heading" className={styles.heading}>
        Alerts
      </h2>
      {value && error ? <ErrorMessage error={error} onRetry={reload} /> : null}
      {body}
      {value ? (
        <div className={step.row}>
          <Button appearance="subtle" onClick={reload} disabledFocusable={loading}>
            Refresh alerts
          </Button>
        </div>
      ) : null}
    </section>
  );
}
