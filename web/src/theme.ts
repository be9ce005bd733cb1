// Light, dark (night shift) or following the system; the choice kept in localStorage.
import { $ } from "./dom";

const KEY = "theme";
const ORDER = ["auto", "light", "dark"] as const;
type Theme = (typeof ORDER)[number];
const LABEL: Record<Theme, string> = { auto: "automatic", light: "light", dark: "dark (night)" };
const ICON: Record<Theme, string> = { auto: "◐", light: "☀", dark: "☾" };

function read(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    return (ORDER as readonly string[]).includes(t ?? "") ? (t as Theme) : "auto";
  } catch {
    return "auto";
  }
}

/** Whether the page shows dark colours now. */
export function isDark(): boolean {
  const t = document.documentElement.dataset.theme;
  return t === "dark" || (t !== "light" && matchMedia("(prefers-color-scheme: dark)").matches);
}

export function setUpTheme(changed: () => void): void {
  const button = $("theme");
  const apply = (t: Theme) => {
    document.documentElement.dataset.theme = t;
    button.textContent = ICON[t];
    button.setAttribute("aria-label", `Colour theme: ${LABEL[t]} (change)`);
    button.title = `Theme: ${LABEL[t]}`;
  };
  let current = read();
  apply(current);
  button.addEventListener("click", () => {
    const next = ORDER[(ORDER.indexOf(current) + 1) % ORDER.length];
    current = next;
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // not kept
    }
    apply(next);
    changed();
  });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", changed);
}
