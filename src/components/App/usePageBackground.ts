import type { Theme } from "@fluentui/react-components";
import { useEffect } from "react";
import type { ThemeName } from "../../services/host";

/**
 * The document around the app takes the app's page colour, so no white frame or white overscroll
 * shows around it in dark or high contrast; `color-scheme` gives scroll bars and form controls the
 * theme's light or dark look. (The body's margin is removed by the app's static styles.)
 */
export function usePageBackground(theme: Theme, name: ThemeName): void {
  useEffect(() => {
    const root = document.documentElement;
    root.style.backgroundColor = theme.colorNeutralBackground2;
    root.style.colorScheme = name === "light" ? "light" : "dark";
  }, [theme, name]);
}
