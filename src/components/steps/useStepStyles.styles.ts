import { makeStyles, tokens } from "@fluentui/react-components";

/** Layout shared by the steps (each step adds its own pieces in its useXStyles file). */
export const useStepStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  // Notes quote Exchange (host names, SMTP replies): long tokens must wrap in a 320 px pane.
  note: {
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    margin: 0,
    overflowWrap: "anywhere",
  },
  mono: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: "anywhere" },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
});
