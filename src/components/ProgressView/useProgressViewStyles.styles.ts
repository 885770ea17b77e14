import { makeStyles, tokens } from "@fluentui/react-components";
import { cardColumn, narrowCardPadding, plainList } from "../common/useSharedStyles.styles";

export const useProgressViewStyles = makeStyles({
  card: { ...cardColumn, minWidth: 0, ...narrowCardPadding },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500 },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase400 },
  steps: plainList(tokens.spacingVerticalXS),
  history: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, fontSize: tokens.fontSizeBase200 },
  dl: { display: "grid", gridTemplateColumns: "minmax(100px, auto) 1fr", gap: tokens.spacingHorizontalS, margin: 0 },
  dd: { margin: 0, overflowWrap: "anywhere" },
});
