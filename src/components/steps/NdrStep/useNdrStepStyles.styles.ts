import { makeStyles, tokens } from "@fluentui/react-components";

export const useNdrStepStyles = makeStyles({
  advice: { margin: 0, color: tokens.colorNeutralForeground2 },
  warnings: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});
