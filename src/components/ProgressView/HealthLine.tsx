import { mergeClasses } from "@fluentui/react-components";
import type React from "react";
import type { StatusResponse } from "../../services/backend/types";
import { PaneError } from "../../services/errors";
import { describeAge } from "../common/describeAge";
import { describeChecked } from "../common/useSnapshotStatus";
import { describeError } from "../errors/describeError";
import type { HealthModel } from "./ProgressView.types";
import { useProgressViewStyles } from "./useProgressViewStyles.styles";

export interface Health {
  readonly state: "healthy" | "attention" | "none";
  /** "Healthy", "Paused", "Needs attention", "Not set up yet". */
  readonly headline: string;
  /** What follows the headline after " — ". */
  readonly detail: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The status report in one line: "Healthy — checked 2 minutes ago", or what is wrong and what to do. */
export function describeHealth(status: StatusResponse, now: number, checkedText?: string): Health {
  if (!status.hasSetup) {
    return { state: "none", headline: "Not set up yet", detail: "nothing is applied, so there is nothing to check." };
  }
  // A snapshot says who checked it ("checked 4 minutes ago by the monitor").
  const checked = checkedText ?? `checked ${describeAge(Math.max(0, (now - Date.parse(status.checkedAt)) / 1000))}`;
  // A rule switched off on purpose (the setup is paused) is the state asked for, not a problem.
  const problems: string[] = status.resources
    .filter((r) => r.state !== "ok" && r.state !== "paused")
    .map((r) =>
      r.state === "missing"
        ? `${r.label} is missing`
        : r.state === "drifted"
          ? `${r.label} differs (${r.drift.map((d) => d.property).join(", ")})`
          : `${r.label} should be removed`,
    );
  const failed = status.messageTrace.perAddress.reduce((n, a) => n + a.failed, 0);
  if (failed > 0) problems.push(`${plural(failed, "journal report", "journal reports")} failed in the last 24 hours`);
  if (status.connectorValidation?.state === "failed") problems.push("the last connector validation failed");
  if (problems.length === 0 && status.setupState === "paused") {
    const since = status.paused
      ? ` since ${new Date(status.paused.since).toLocaleString()} by ${status.paused.by}`
      : "";
    return { state: "healthy", headline: "Paused", detail: `journaling is paused${since}; ${checked}.` };
  }
  if (problems.length === 0) return { state: "healthy", headline: "Healthy", detail: `${checked}.` };
  return {
    state: "attention",
    headline: "Needs attention",
    detail: `${checked}: ${problems.join("; ")}. Next: an admin opens Status in the setup for the details; reviewing and applying the setup again fixes what differs.`,
  };
}

/** Whether the setup is healthy now, for everyone who opens the shared progress. */
export function HealthLine({ health }: { health: HealthModel }): React.JSX.Element {
  const styles = useProgressViewStyles();
  let line: React.ReactNode;
  let tone = "";
  if (health.status) {
    const now = Date.now();
    const h = describeHealth(
      health.status,
      now,
      health.source ? describeChecked(health.source, health.status, now) : undefined,
    );
    tone = h.state === "healthy" ? styles.healthy : h.state === "attention" ? styles.attention : "";
    line = (
      <>
        <strong>{h.headline}</strong> — {h.detail}
        {/* The snapshot stays on screen while the live read runs: a quiet note, not a skeleton. */}
        {health.loading ? " Checking…" : null}
      </>
    );
  } else if (health.loading) {
    line = "Checking whether the setup is healthy…";
  } else if (health.error instanceof PaneError && health.error.code === "forbidden_role") {
    line = "Only Exchange admins and readers (such as Global Reader) can see whether the setup is healthy.";
  } else {
    const e = describeError(health.error);
    line = `Couldn't check whether the setup is healthy: ${e.title}. ${e.next}`;
  }
  return (
    <p className={mergeClasses(styles.health, tone)} aria-live="polite" aria-busy={health.loading}>
      {line}
    </p>
  );
}
