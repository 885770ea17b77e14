import { makeStyles, tokens } from "@fluentui/react-components";
import { codeText, footerBar } from "../../common/useSharedStyles.styles";

export const useReviewStepStyles = makeStyles({
  actions: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
  cmdlet: {
    ...codeText,
    color: tokens.colorNeutralForeground2,
    display: "block",
    overflowWrap: "anywhere",
  },
  why: {
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    display: "block",
    overflowWrap: "anywhere",
  },
  scriptBox: {
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  scriptTools: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    padding: tokens.spacingHorizontalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  script: {
    ...codeText,
    padding: tokens.spacingHorizontalM,
    overflowY: "auto",
    overflowX: "hidden",
    maxHeight: "420px",
    whiteSpace: "pre-wrap",
    overflowWrap: "anywhere",
    margin: 0,
  },
  // A wrapped line continues indented under its first characters, so each command still reads as one.
  line: { display: "block", paddingInlineStart: "4ch", textIndent: "-4ch" },
  footer: footerBar,
});
