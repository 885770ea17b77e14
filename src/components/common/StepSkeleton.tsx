import { Skeleton, SkeletonItem, makeStyles, tokens } from "@fluentui/react-components";
import type React from "react";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    paddingBlock: tokens.spacingVerticalS,
  },
});

/** Placeholder with the shape of a step, so nothing jumps when the data arrives. */
export function StepSkeleton({ label, rows = 4 }: { label: string; rows?: number }): React.JSX.Element {
  const styles = useStyles();
  return (
    <Skeleton aria-label={label} className={styles.root}>
      <SkeletonItem size={24} style={{ width: "60%" }} />
      {Array.from({ length: rows }, (_, i) => (
        <SkeletonItem key={i} size={16} />
      ))}
    </Skeleton>
  );
}
