import { makeStyles, tokens } from "@fluentui/react-components";
import { cardColumn, fixedBadge, narrowCardPadding, plainList } from "../common/useSharedStyles.styles";

export const useMonitorStyles = makeStyles({
  card: { ...cardColumn, minWidth: 0, ...narrowCardPadding },
  section: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    minWidth: 0,
    paddingBlockStart: tokens.spacingVerticalM,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  list: plainList(tokens.spacingVerticalM),
  alert: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    paddingBlockEnd: tokens.spacingVerticalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: "anywhere",
    minWidth: 0,
  },
  title: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  badge: fixedBadge,
  text: { margin: 0 },
  // The interval box stays narrow; people's addresses wrap at 320 px.
  interval: { maxWidth: "160px" },
  recipients: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, overflowWrap: "anywhere" },
  steps: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalL,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
});
