// Live / Events / Settings, chosen by the URL's fragment (#live, #events, #settings).
import { $ } from "./dom";
import { eventsView } from "./events-view";
import type { Rest } from "./rest";
import { settingsView } from "./settings-view";

const VIEWS = ["live", "events", "settings"] as const;
type View = (typeof VIEWS)[number];

export function setUpViews(rest: Rest): { onNewKey(): void } {
  const events = eventsView(rest);
  const settings = settingsView(rest);
  let current: View | null = null;
  const show = () => {
    const name = location.hash.slice(1) as View;
    const view: View = VIEWS.includes(name) ? name : "live";
    if (view === current) return;
    current = view;
    for (const v of VIEWS) {
      $(`view-${v}`).hidden = v !== view;
      const tab = $(`tab-${v}`);
      if (v === view) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
    if (view === "events") events.refresh();
    if (view === "settings") settings.refresh();
  };
  addEventListener("hashchange", show);
  show();
  return {
    onNewKey() {
      if (current === "events") events.refresh();
      if (current === "settings") settings.refresh();
    },
  };
}
