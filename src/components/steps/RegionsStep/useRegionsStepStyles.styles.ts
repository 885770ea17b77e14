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
  // One column at 320 px, two or three side by side when there is room; every cell the same width.
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 240px), 1fr))",
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    alignItems: "start",
  },
  choice: { minWidth: 0 },
  regionId: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusSmall,
    paddingInline: tokens.spacingHorizontalXXS,
    whiteSpace: "nowrap",
  },
  host: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    display: "block",
    overflowWrap: "anywhere",
  },
  legend: { fontWeight: tokens.fontWeightSemibold, paddingBottom: tokens.spacingVerticalXS },
});
