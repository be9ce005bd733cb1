// One banner per active alarm, as IEC 60601-1-8 asks of a visual alarm signal: colour and
// flashing by priority (high red 2 Hz, medium yellow 0.5 Hz, low cyan steady), the
// priority also in symbols and words (never colour alone), message, value and limit,
// time raised, acknowledged or not with the audio pause counting down; acknowledge here.
import { el, say, setAttr, setText } from "./dom";
import { clockTime, fixed, isoMs, minutesSeconds } from "./format";
import type { LiveModel } from "./live-model";
import type { AlarmData, CommandOutcome, Priority } from "./protocol";

/** Acknowledging pauses an alarm's audio this long (PRODUCT.md, Alarms). */
const AUDIO_PAUSE_MS = 10 * 60 * 1000;
const RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };
const SYMBOL: Record<Priority, string> = { high: "!!!", medium: "!!", low: "!" };
const WORD: Record<Priority, string> = { high: "High priority", medium: "Medium priority", low: "Low priority" };

export function priorityOf(alarm: AlarmData): Priority {
  if (alarm.priority) return alarm.priority;
  return alarm.level === "CRITICAL" ? "high" : alarm.level === "WARNING" ? "medium" : "low";
}

/** The unit and decimals of an alarm's value and limit. */
function unitOf(code: string): [string, number] {
  if (code.startsWith("HUMIDITY")) return [" %RH", 0];
  if (code === "FAN_FAILURE") return [" rpm", 0];
  return code.includes("TEMP") ? [" °C", 1] : ["", 1];
}

interface Banner {
  readonly root: HTMLElement;
  readonly head: HTMLElement;
  readonly message: HTMLElement;
  readonly detail: HTMLElement;
  readonly status: HTMLElement;
  readonly button: HTMLButtonElement;
  readonly answer: HTMLElement;
}

export function alarmBanners(container: HTMLElement, announcer: HTMLElement, model: LiveModel, acknowledge: (id: number) => Promise<CommandOutcome>): () => void {
  const banners = new Map<number, Banner>();
  const announced = new Set<number>();

  function make(alarm: AlarmData): Banner {
    const button = el("button", { type: "button", class: "ack" }, "Acknowledge");
    const answer = el("span", { class: "msg", role: "status" });
    const head = el("strong", { class: "head" });
    const message = el("span", { class: "message" });
    const detail = el("span", { class: "detail" });
    const status = el("span", { class: "status" });
    const root = el("div", { class: "banner", "data-id": String(alarm.id) },
      el("span", { class: "sig", "aria-hidden": "true" }),
      el("div", { class: "txt" }, head, message, detail, status),
      el("div", { class: "act" }, button, answer));
    button.addEventListener("click", async () => {
      button.disabled = true;
      say(answer, "Acknowledging…", "busy");
      const r = await acknowledge(alarm.id);
      say(answer, r.success ? "" : r.message, r.success ? "ok" : "error");
      button.disabled = false;
    });
    return { root, head, message, detail, status, button, answer };
  }

  return () => {
    const now = model.incubatorNow();
    const alarms = [...model.alarms.values()].sort((a, b) => RANK[priorityOf(a)] - RANK[priorityOf(b)] || (isoMs(a.raised_at) ?? 0) - (isoMs(b.raised_at) ?? 0));
    for (const [id, banner] of banners) {
      if (!model.alarms.has(id)) {
        banner.root.remove();
        banners.delete(id);
      }
    }
    let previous: HTMLElement | null = null;
    for (const alarm of alarms) {
      let banner = banners.get(alarm.id);
      if (!banner) {
        banner = make(alarm);
        banners.set(alarm.id, banner);
      }
      const p = priorityOf(alarm);
      const acknowledged = alarm.acknowledged === true;
      setAttr(banner.root, "data-priority", p);
      setAttr(banner.root, "data-ack", acknowledged ? "true" : "false");
      setText(banner.root.firstElementChild!, SYMBOL[p]);
      setText(banner.head, `${WORD[p]} · ${alarm.code}`);
      setText(banner.message, alarm.message);
      const [unit, digits] = unitOf(alarm.code);
      const parts: string[] = [];
      if (alarm.value !== undefined && alarm.value !== null) parts.push(`value ${fixed(alarm.value, digits)}${unit}`);
      if (alarm.limit !== undefined && alarm.limit !== null) parts.push(`limit ${fixed(alarm.limit, digits)}${unit}`);
      const raised = isoMs(alarm.raised_at);
      if (raised !== null) parts.push(`raised ${clockTime(raised)}`);
      setText(banner.detail, parts.join(" · "));
      const status: string[] = [];
      const ackAt = isoMs(alarm.acknowledged_at);
      if (acknowledged) {
        status.push(`Acknowledged${ackAt !== null ? ` ${clockTime(ackAt)}` : ""}`);
        if (ackAt !== null && now !== null && p !== "low") {
          const left = ackAt + AUDIO_PAUSE_MS - now;
          status.push(left > 0 ? `audio paused ${minutesSeconds(left)}` : "audio on again");
        }
      } else status.push("Not acknowledged");
      if (alarm.latching) status.push("latched: needs a reset once the cause is gone");
      setText(banner.status, status.join(" · "));
      banner.button.hidden = acknowledged;
      banner.button.setAttribute("aria-label", `Acknowledge ${alarm.code}`);
      // Keep DOM order = priority order, moving only what is out of place (focus stays).
      const want: ChildNode | null = previous ? previous.nextSibling : container.firstChild;
      if (want !== banner.root) container.insertBefore(banner.root, want);
      previous = banner.root;
      if (!announced.has(alarm.id)) {
        announced.add(alarm.id);
        setText(announcer, `${WORD[p]} alarm: ${alarm.message}`);
      }
    }
    setAttr(container, "data-count", String(alarms.length));
  };
}
