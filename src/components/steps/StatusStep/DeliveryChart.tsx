import { tokens } from "@fluentui/react-components";
import type React from "react";
import { useId } from "react";
import type { HourlyCount } from "../../../services/backend/types";
import { VisuallyHidden } from "../../common/VisuallyHidden";
import { useStatusStepStyles } from "./useStatusStepStyles.styles";

const WIDTH = 240;
const HEIGHT = 48;
const DELIVERED = tokens.colorPaletteGreenBackground3;
const FAILED = tokens.colorPaletteRedBackground3;
/** Why a report sent a moment ago is not counted yet (Message trace's own delay). */
export const TRACE_DELAY = "Exchange lists messages up to an hour late";

/**
 * Failed bars are hatched, not just red: high-contrast themes map both colours to the same system
 * colour, and red/green alone fails colour-blind admins.
 */
function Hatch({ id }: { id: string }): React.JSX.Element {
  return (
    <pattern id={id} width={4} height={4} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width={4} height={4} fill={tokens.colorNeutralBackground1} />
      <line x1={1} y1={0} x2={1} y2={4} stroke={FAILED} strokeWidth={2} />
    </pattern>
  );
}

function Swatch({ fill, stroke, className }: { fill: string; stroke?: string; className: string }): React.JSX.Element {
  return (
    <svg width={10} height={10} aria-hidden="true" className={className}>
      <rect x={0.5} y={0.5} width={9} height={9} fill={fill} stroke={stroke ?? fill} />
    </svg>
  );
}

function hourLabel(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/**
 * Hourly bars, delivered (green) stacked on failed (red). Screen readers get the totals as the
 * image's name and the numbers per hour as a table (a chart alone says nothing to them).
 */
export function DeliveryChart({
  address,
  delivered,
  failed,
  hourly,
}: {
  address: string;
  /** Totals over the 24 hours (the server's count). */
  delivered: number;
  failed: number;
  hourly: readonly HourlyCount[];
}): React.JSX.Element {
  const styles = useStatusStepStyles();
  const hatch = `hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const withReports = hourly.filter((h) => h.delivered + h.failed > 0);
  if (delivered + failed === 0 && withReports.length === 0) {
    // Empty bars say nothing; a fresh setup needs to hear that nothing is there *yet*, and why.
    return <p className={styles.empty}>No journal reports in the last 24 hours yet — {TRACE_DELAY}.</p>;
  }
  const max = Math.max(1, ...hourly.map((h) => h.delivered + h.failed));
  const bar = WIDTH / Math.max(hourly.length, 24);
  return (
    <>
      <svg
        role="img"
        aria-label={`Journal reports to ${address} in the last 24 hours: ${delivered} delivered, ${failed} failed`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ maxWidth: WIDTH, height: HEIGHT }}
        preserveAspectRatio="none"
      >
        <defs>
          <Hatch id={hatch} />
        </defs>
        {hourly.map((h, i) => {
          const dh = (h.delivered / max) * HEIGHT;
          const fh = (h.failed / max) * HEIGHT;
          return (
            <g key={h.hour}>
              <rect
                x={i * bar + 1}
                width={bar - 2}
                y={HEIGHT - dh - fh}
                height={fh}
                fill={`url(#${hatch})`}
                stroke={FAILED}
                strokeWidth={fh > 0 ? 1 : 0}
              />
              <rect x={i * bar + 1} width={bar - 2} y={HEIGHT - dh} height={dh} fill={DELIVERED} />
            </g>
          );
        })}
        <line x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} stroke={tokens.colorNeutralStroke1} />
      </svg>
      <span className={styles.legend}>
        <span className={styles.delivered}>
          <Swatch fill={DELIVERED} className={styles.swatch} />
          {delivered} delivered
        </span>
        <span className={styles.failed}>
          <Swatch fill={`url(#${hatch})`} stroke={FAILED} className={styles.swatch} />
          {failed} failed
        </span>
      </span>
      <VisuallyHidden as="div">
        {withReports.length === 0 ? (
          <p>No journal reports to {address} in the last 24 hours.</p>
        ) : (
          <table>
            <caption>Journal reports to {address} per hour (hours without reports left out)</caption>
            <thead>
              <tr>
                <th scope="col">Hour starting</th>
                <th scope="col">Delivered</th>
                <th scope="col">Failed</th>
              </tr>
            </thead>
            <tbody>
              {withReports.map((h) => (
                <tr key={h.hour}>
                  <th scope="row">{hourLabel(h.hour)}</th>
                  <td>{h.delivered}</td>
                  <td>{h.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </VisuallyHidden>
    </>
  );
}
