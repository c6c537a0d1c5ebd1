import type { ReactNode } from "react";

const HIDDEN_STYLE = {
  position: "absolute",
  width: "1px",
  height: "1px",
  padding: 0,
  margin: "-1px",
  overflow: "hidden",
  clip: "rect(0, 0, 0, 0)",
  whiteSpace: "nowrap",
  border: 0,
} as const;

/** Present for screen readers, invisible on screen (Polaris' Text visuallyHidden, for any element). */
export function VisuallyHidden({ children }: { children: ReactNode }) {
  return <div style={HIDDEN_STYLE}>{children}</div>;
}
