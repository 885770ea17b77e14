import { makeStyles, tokens } from "@fluentui/react-components";
import { codeText, plainList } from "../../common/useSharedStyles.styles";

export const useApplyStepStyles = makeStyles({
  list: plainList(tokens.spacingVerticalS),
  item: { display: "grid", gridTemplateColumns: "96px 1fr", columnGap: tokens.spacingHorizontalS, alignItems: "start" },
  cmdlet: {
    ...codeText,
    color: tokens.colorNeutralForeground2,
    overflowWrap: "anywhere",
  },
  retry: { color: tokens.colorPaletteMarigoldForeground2, fontSize: tokens.fontSizeBase200 },
  reconnecting: { color: tokens.colorPaletteMarigoldForeground2 },
  failure: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200 },
  footer: { display: "flex", flexWrap: "wrap", justifyContent: "flex-end", gap: tokens.spacingHorizontalS },
});
