import { makeStyles, tokens } from "@fluentui/react-components";
import { plainList } from "../../common/useSharedStyles.styles";

export const useCheckStepStyles = makeStyles({
  list: plainList(tokens.spacingVerticalM),
  item: {
    display: "grid",
    gridTemplateColumns: "auto 1fr",
    columnGap: tokens.spacingHorizontalS,
    alignItems: "start",
  },
  label: { fontWeight: tokens.fontWeightSemibold },
  value: { overflowWrap: "anywhere" },
  reason: { color: tokens.colorNeutralForeground2, margin: 0 },
});
