import { makeStyles, tokens } from "@fluentui/react-components";
import { cardColumn, narrowCardPadding } from "../common/useSharedStyles.styles";

export const useMessageJournalingStyles = makeStyles({
  card: { ...cardColumn, minWidth: 0, ...narrowCardPadding, marginBottom: tokens.spacingVerticalL },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400 },
  subject: { color: tokens.colorNeutralForeground3, overflowWrap: "anywhere" },
  sentence: { margin: 0, fontSize: tokens.fontSizeBase400, overflowWrap: "anywhere" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, overflowWrap: "anywhere" },
  evidence: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});
