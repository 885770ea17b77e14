import { makeStyles, tokens } from "@fluentui/react-components";

export const useApplyStepStyles = makeStyles({
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
  item: { display: "grid", gridTemplateColumns: "96px 1fr", columnGap: tokens.spacingHorizontalS, alignItems: "start" },
  cmdlet: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    overflowWrap: "anywhere",
  },
  retry: { color: tokens.colorPaletteMarigoldForeground2, fontSize: tokens.fontSizeBase200 },
  failure: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200 },
  footer: { display: "flex", flexWrap: "wrap", justifyContent: "flex-end", gap: tokens.spacingHorizontalS },
});
