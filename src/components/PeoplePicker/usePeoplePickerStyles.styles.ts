import { makeStyles, tokens } from "@fluentui/react-components";

export const usePeoplePickerStyles = makeStyles({
  combobox: { width: "100%", maxWidth: "420px", minWidth: 0 },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, overflowWrap: "anywhere" },
  refused: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});
