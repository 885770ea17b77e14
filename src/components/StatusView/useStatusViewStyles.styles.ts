import { makeStyles, tokens } from "@fluentui/react-components";
import { cardColumn, narrowCardPadding } from "../common/useSharedStyles.styles";

export const useStatusViewStyles = makeStyles({
  view: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0 },
  card: { ...cardColumn, minWidth: 0, ...narrowCardPadding },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500 },
});
