import { makeStyles, tokens } from "@fluentui/react-components";
import { cardColumn, fixedBadge, narrowCardPadding, plainList } from "../common/useSharedStyles.styles";

export const useProgressViewStyles = makeStyles({
  card: { ...cardColumn, minWidth: 0, ...narrowCardPadding },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500 },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase400 },
  steps: plainList(tokens.spacingVerticalXS),
  history: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, fontSize: tokens.fontSizeBase200 },
  dl: {
    display: "grid",
    gridTemplateColumns: "minmax(100px, auto) 1fr",
    gap: tokens.spacingHorizontalS,
    margin: 0,
    // In a 320 px pane each choice goes under its name, so the addresses keep the width.
    "@media (max-width: 400px)": { gridTemplateColumns: "1fr", rowGap: 0 },
  },
  dd: { margin: 0, overflowWrap: "anywhere", "@media (max-width: 400px)": { marginBottom: tokens.spacingVerticalS } },
  badge: fixedBadge,
  note: {
    margin: 0,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: "anywhere",
  },
  health: {
    margin: 0,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground2,
    overflowWrap: "anywhere",
  },
  healthy: { borderLeftColor: tokens.colorPaletteGreenBorder2 },
  attention: { borderLeftColor: tokens.colorPaletteMarigoldBorder2 },
});
