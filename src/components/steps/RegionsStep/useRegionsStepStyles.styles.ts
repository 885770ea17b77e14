import { makeStyles, tokens } from "@fluentui/react-components";

export const useRegionsStepStyles = makeStyles({
  regionCard: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    minWidth: 0,
  },
  regionTitle: { margin: 0, fontSize: tokens.fontSizeBase400 },
  residency: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, display: "block" },
  input: { width: "100%", maxWidth: "420px" },
  tags: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
  fieldset: { border: "none", margin: 0, padding: 0, minWidth: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, paddingBottom: tokens.spacingVerticalXS },
});
