import { makeStyles, tokens } from "@fluentui/react-components";
import { fixedBadge } from "../../common/useSharedStyles.styles";

export const useStatusStepStyles = makeStyles({
  table: { width: "100%", borderCollapse: "collapse", fontSize: tokens.fontSizeBase300 },
  cell: {
    textAlign: "start",
    verticalAlign: "top",
    paddingBlock: tokens.spacingVerticalXS,
    paddingInlineEnd: tokens.spacingHorizontalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: "anywhere",
  },
  // The state badge never breaks ("O/K" at 320 px); the part's text takes the rest of the width.
  stateCell: { whiteSpace: "nowrap", width: "1%", overflowWrap: "normal" },
  tableWrap: { overflowX: "auto" },
  badge: fixedBadge,
  drift: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, fontSize: tokens.fontSizeBase200 },
  empty: {
    margin: 0,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground2,
    // Invisible in light and dark; high contrast draws transparent strokes, so the tinted box keeps an edge.
    border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
    fontSize: tokens.fontSizeBase200,
    maxWidth: "480px",
  },
  chartRow: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  lastCheck: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL },
  legend: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, fontSize: tokens.fontSizeBase200 },
  swatch: { verticalAlign: "middle", marginInlineEnd: tokens.spacingHorizontalXXS },
  delivered: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  // Journaling addresses are long unbroken words: they wrap anywhere rather than widen a 320 px pane.
  wrapAnywhere: { overflowWrap: "anywhere", minWidth: 0 },
  // One line whose height does not change when "Checking…" comes and goes (no jump when fresh data lands).
  freshness: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    minHeight: "20px",
  },
  checking: { display: "inline-flex", minHeight: "16px" },
});
