// The event log (REST): alarms, state, setpoint, mode and calibration changes with the
// interface they came from, reboots.
import { $, el, say } from "./dom";
import { dateTime, isoMs } from "./format";
import type { Rest } from "./rest";

interface EventEntry {
  readonly timestamp?: string;
  readonly level?: string;
  readonly event?: string;
  readonly message?: string;
  readonly origin?: { readonly via?: string; readonly client?: string } | string | null;
}

/** "alarm_raised" → "Alarm raised". */
function eventName(e: EventEntry): string {
  const name = (e.event ?? e.level ?? "").replace(/_/g, " ");
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function originText(origin: EventEntry["origin"]): string {
  if (!origin) return "";
  if (typeof origin === "string") return origin;
  return [origin.via, origin.client].filter(Boolean).join(" ");
}

export function eventsView(rest: Rest): { refresh(): void } {
  const rows = $("ev-rows"), message = $("m-events");
  async function refresh(): Promise<void> {
    say(message, "Loading the event log…", "busy");
    try {
      const data = await rest.get<{ entries?: EventEntry[]; logs?: EventEntry[] } | EventEntry[]>("/api/system/logs?lines=500");
      const list = Array.isArray(data) ? data : (data.entries ?? data.logs ?? []);
      const sorted = [...list].sort((a, b) => (isoMs(b.timestamp) ?? 0) - (isoMs(a.timestamp) ?? 0));
      rows.replaceChildren(...sorted.map((e) => {
        const at = isoMs(e.timestamp);
        return el("tr", { "data-level": (e.level ?? "").toLowerCase() },
          el("td", {}, at === null ? "" : dateTime(at)), el("td", {}, eventName(e)), el("td", {}, e.message ?? ""), el("td", {}, originText(e.origin)));
      }));
      say(message, `${list.length} events, newest first`, "");
    } catch (error) {
      say(message, `Event log not available: ${(error as Error).message}`, "error");
    }
  }
  $("ev-refresh").addEventListener("click", () => void refresh());
  return { refresh: () => void refresh() };
}
