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
  script: {
    ...codeText,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    overflowX: "auto",
    maxHeight: "420px",
    whiteSpace: "pre",
    margin: 0,
  },
  footer: footerBar,
});
