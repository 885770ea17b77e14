import { makeStyles, tokens } from "@fluentui/react-components";

export const useProgressViewStyles = makeStyles({
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalL,
    boxShadow: tokens.shadow4,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    minWidth: 0,
    "@media (max-width: 400px)": { padding: tokens.spacingHorizontalS },
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500 },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase400 },
  steps: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  history: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, fontSize: tokens.fontSizeBase200 },
  dl: { display: "grid", gridTemplateColumns: "minmax(100px, auto) 1fr", gap: tokens.spacingHorizontalS, margin: 0 },
  dd: { margin: 0, overflowWrap: "anywhere" },
});
