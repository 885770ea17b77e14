import { makeStyles, tokens } from "@fluentui/react-components";

export const useWizardStyles = makeStyles({
  layout: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalL,
    alignItems: "flex-start",
  },
  nav: { flex: "1 1 180px", maxWidth: "240px", "@media (max-width: 600px)": { maxWidth: "none", flexBasis: "100%" } },
  stepList: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    "@media (max-width: 600px)": { flexDirection: "row", flexWrap: "wrap" },
  },
  stepButton: { justifyContent: "flex-start", textAlign: "start", width: "100%", minWidth: 0 },
  panel: {
    flex: "999 1 280px",
    minWidth: 0,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalL,
    boxShadow: tokens.shadow4,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    "@media (max-width: 400px)": { padding: tokens.spacingHorizontalS },
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500, outlineStyle: "none" },
  footer: {
    display: "flex",
    flexWrap: "wrap",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalM,
  },
  counter: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});
