import type React from "react";

const HIDDEN: React.CSSProperties = {
  position: "absolute",
  // Without a left edge the 1 px box sits where it would have flowed, which can be past a narrow
  // pane's right edge and make the page scroll sideways.
  left: 0,
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
  // Paint containment keeps wide content (a table's caption) from adding to the page's scroll width.
  contain: "strict",
};

/** Text for screen readers only (`as="div"` when it holds block content such as a table). */
export function VisuallyHidden({
  children,
  as: Tag = "span",
}: {
  children: React.ReactNode;
  as?: "span" | "div";
}): React.JSX.Element {
  return <Tag style={HIDDEN}>{children}</Tag>;
}
