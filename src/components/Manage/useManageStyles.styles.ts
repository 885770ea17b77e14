import { makeStyles, tokens } from "@fluentui/react-components";

export const useManageStyles = makeStyles({
  // A card like the wizard's panel; nothing wider than the pane (320 px).
  card: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
    marginBlockEnd: tokens.spacingVerticalL,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  // Stays a list item (its number or bullet shows); long addresses wrap at 320 px.
  item: { overflowWrap: "anywhere", marginBlockEnd: tokens.spacingVerticalXS },
});
