import { tokens, type GriffelStyle } from "@fluentui/react-components";

/**
 * Style pieces several components share, spread into their own makeStyles so each keeps one
 * `useXStyles` hook (STYLE.md) while the look is defined once.
 */

/**
 * The raised white surface of the pane's cards and the wizard's step panel. Its border is
 * transparent in light and dark (the shadow lifts the card) and drawn in high contrast, where the
 * card and the page are both black and shadows don't show.
 */
export const cardSurface: GriffelStyle = {
  backgroundColor: tokens.colorNeutralBackground1,
  border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
  borderRadius: tokens.borderRadiusMedium,
  padding: tokens.spacingHorizontalL,
  boxShadow: tokens.shadow4,
};

/** A card whose content is a column of blocks. */
export const cardColumn: GriffelStyle = {
  ...cardSurface,
  display: "flex",
  flexDirection: "column",
  gap: tokens.spacingVerticalM,
};

/** In a 320 px pane the card's padding shrinks so the content keeps its width. */
export const narrowCardPadding: GriffelStyle = {
  "@media (max-width: 400px)": { padding: tokens.spacingHorizontalS },
};

/** A list without bullets or indent whose items stack with `gap` between them. */
export function plainList(gap: string): GriffelStyle {
  return { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap };
}

/** Buttons at the foot of a panel, split to both ends, under a thin rule. */
export const footerBar: GriffelStyle = {
  display: "flex",
  flexWrap: "wrap",
  justifyContent: "space-between",
  gap: tokens.spacingHorizontalS,
  borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  paddingTop: tokens.spacingVerticalM,
};

/** Small monospace text for cmdlet names and scripts. */
export const codeText: GriffelStyle = {
  fontFamily: tokens.fontFamilyMonospace,
  fontSize: tokens.fontSizeBase200,
};

/**
 * A state badge ("Done", "To remove", "Waiting") of one width in every row, so the text after it
 * starts at the same place; wide enough for the longest state word.
 */
export const fixedBadge: GriffelStyle = {
  minWidth: "80px",
  justifyContent: "center",
  flexShrink: 0,
};
