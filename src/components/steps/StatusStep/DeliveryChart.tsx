import { tokens } from "@fluentui/react-components";
import type React from "react";
import type { HourlyCount } from "../../../services/backend/types";

const WIDTH = 240;
const HEIGHT = 48;

/** 24 hourly bars, delivered (green) stacked on failed (red); the numbers are in the accessible name. */
export function DeliveryChart({
  address,
  hourly,
}: {
  address: string;
  hourly: readonly HourlyCount[];
}): React.JSX.Element {
  const delivered = hourly.reduce((n, h) => n + h.delivered, 0);
  const failed = hourly.reduce((n, h) => n + h.failed, 0);
  const max = Math.max(1, ...hourly.map((h) => h.delivered + h.failed));
  const bar = WIDTH / Math.max(hourly.length, 24);
  return (
    <svg
      role="img"
      aria-label={`Journal reports to ${address} in the last 24 hours: ${delivered} delivered, ${failed} failed`}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      style={{ maxWidth: WIDTH, height: HEIGHT }}
      preserveAspectRatio="none"
    >
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
              fill={tokens.colorPaletteRedBackground3}
            />
            <rect
              x={i * bar + 1}
              width={bar - 2}
              y={HEIGHT - dh}
              height={dh}
              fill={tokens.colorPaletteGreenBackground3}
            />
          </g>
        );
      })}
      <line x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} stroke={tokens.colorNeutralStroke1} />
    </svg>
  );
}
