import { makeStyles, tokens } from "@fluentui/react-components";

export const useServiceAddressStepStyles = makeStyles({
  input: { maxWidth: "360px", width: "100%" },
  result: {
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    minHeight: "48px",
    // Invisible in light and dark; high contrast draws transparent strokes, so the tinted box keeps an edge.
    border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
  },
});
