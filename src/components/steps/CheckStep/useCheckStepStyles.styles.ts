import { makeStyles, tokens } from "@fluentui/react-components";

export const useCheckStepStyles = makeStyles({
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  item: {
    display: "grid",
    gridTemplateColumns: "auto 1fr",
    columnGap: tokens.spacingHorizontalS,
    alignItems: "start",
  },
  label: { fontWeight: tokens.fontWeightSemibold },
  value: { overflowWrap: "anywhere" },
  reason: { color: tokens.colorNeutralForeground2, margin: 0 },
});
