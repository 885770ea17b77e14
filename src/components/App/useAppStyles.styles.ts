import { makeStaticStyles, makeStyles, tokens } from "@fluentui/react-components";
import { cardSurface } from "../common/useSharedStyles.styles";

/** The page fills the window edge to edge: no browser margin (a white frame) around the app. */
export const useDocumentStyles = makeStaticStyles({
  "html, body": { margin: 0, padding: 0 },
});

export const useAppStyles = makeStyles({
  // The page's layout and colour, on a div inside FluentProvider (never on the provider: Fluent
  // copies its classes onto the portal layer that drop-downs render in, which then covered the page).
  page: {
    minHeight: "100vh",
    boxSizing: "border-box",
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  header: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalS,
    paddingBlock: tokens.spacingVerticalS,
    paddingInline: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  session: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    minWidth: 0,
    fontSize: tokens.fontSizeBase200,
  },
  who: { overflowWrap: "anywhere" },
  main: {
    maxWidth: "960px",
    marginInline: "auto",
    padding: tokens.spacingHorizontalM,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  card: cardSurface,
});
