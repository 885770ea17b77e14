import { makeStyles, tokens } from "@fluentui/react-components";
import { cardColumn, footerBar, narrowCardPadding, plainList } from "../common/useSharedStyles.styles";

export const useWizardStyles = makeStyles({
  layout: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalL,
    alignItems: "flex-start",
  },
  nav: { flex: "1 1 180px", maxWidth: "240px", "@media (max-width: 600px)": { maxWidth: "none", flexBasis: "100%" } },
  stepList: {
    ...plainList(tokens.spacingVerticalXXS),
    "@media (max-width: 600px)": { flexDirection: "row", flexWrap: "wrap" },
  },
  stepButton: { justifyContent: "flex-start", textAlign: "start", width: "100%", minWidth: 0 },
  // The label keeps its own width, so the tick follows the last word instead of the button's far edge.
  stepLabel: { flex: "0 1 auto", minWidth: 0 },
  stepDone: { flexShrink: 0, marginInlineStart: tokens.spacingHorizontalXS },
  panel: { flex: "999 1 280px", minWidth: 0, ...cardColumn, ...narrowCardPadding },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500, outlineStyle: "none" },
  footer: footerBar,
  counter: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});
