import { makeStyles, tokens } from "@fluentui/react-components";
import { codeText, fixedBadge, plainList } from "../../common/useSharedStyles.styles";

export const useApplyStepStyles = makeStyles({
  list: plainList(tokens.spacingVerticalS),
  item: {
    display: "grid",
    gridTemplateColumns: "auto 1fr",
    columnGap: tokens.spacingHorizontalS,
    alignItems: "start",
    overflowWrap: "anywhere",
  },
  badge: fixedBadge,
  cmdlet: {
    ...codeText,
    color: tokens.colorNeutralForeground2,
    overflowWrap: "anywhere",
  },
  retry: { color: tokens.colorPaletteMarigoldForeground2, fontSize: tokens.fontSizeBase200 },
  reconnecting: { color: tokens.colorPaletteMarigoldForeground2 },
  failure: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200 },
  note: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  footer: { display: "flex", flexWrap: "wrap", justifyContent: "flex-end", gap: tokens.spacingHorizontalS },
});
