// Setpoints, mode and therapy: each sent as a /ws command, the firmware's answer shown
// where the user acted. The firmware validates; the app only asks for confirmation
// where a slip would matter (override above 37 °C, standby, reset).
import { $, say } from "./dom";
import { fixed } from "./format";
import type { LiveModel } from "./live-model";
import type { CommandOutcome } from "./protocol";
import { confirmAction } from "./dialogs";

type Send = (action: string, data: Record<string, unknown>) => Promise<CommandOutcome>;

/** Air setpoints above this need "override": true, up to OVERRIDE_MAX (PRODUCT.md). */
const AIR_MAX = 37.0;
const OVERRIDE_MAX = 39.0;

/** A success note fades after this; a refusal stays until the next try. */
const OK_NOTE_MS = 8000;

async function run(message: HTMLElement, busy: string, send: () => Promise<CommandOutcome>): Promise<boolean> {
  say(message, busy, "busy");
  const r = await send();
  const note = r.success ? `✓ ${r.message}` : `✗ ${r.message}`;
  say(message, note, r.success ? "ok" : "error");
  if (r.success) setTimeout(() => message.textContent === note && say(message, "", ""), OK_NOTE_MS);
  return r.success;
}

/** A number field that follows the incubator's value until the user edits it. */
function follower(input: HTMLInputElement): { show(value: number | undefined, digits: number): void; release(): void } {
  let editing = false;
  input.addEventListener("input", () => (editing = true));
  return {
    show(value, digits) {
      if (!editing && document.activeElement !== input && value !== undefined) input.value = fixed(value, digits, "");
    },
    release() {
      editing = false;
    },
  };
}

export function controls(model: LiveModel, send: Send): () => void {
  const inTemp = $<HTMLInputElement>("in-temp"), inHum = $<HTMLInputElement>("in-hum");
  const mTemp = $("m-temp"), mHum = $("m-hum"), mMode = $("m-mode"), mState = $("m-state");
  const tempLabel = $("in-temp-label");
  const bAir = $("b-air"), bSkin = $("b-skin");
  const temp = follower(inTemp), hum = follower(inHum);

  $("f-temp").addEventListener("submit", async (event) => {
    event.preventDefault();
    const setpoint = inTemp.valueAsNumber;
    if (!Number.isFinite(setpoint)) return say(mTemp, "✗ Enter a temperature in °C", "error");
    const data: Record<string, unknown> = { setpoint };
    if ((model.sensor?.mode ?? "air") === "air" && setpoint > AIR_MAX && setpoint <= OVERRIDE_MAX) {
      const ok = await confirmAction(
        "Air above 37.0 °C",
        `Set the air temperature to ${setpoint.toFixed(1)} °C? Above ${AIR_MAX.toFixed(1)} °C is an override for special cases (up to ${OVERRIDE_MAX.toFixed(1)} °C); the over-temperature cut-out moves to 40.0 °C.`,
        "Override and set",
      );
      if (!ok) return say(mTemp, "Not changed", "");
      data.override = true;
    }
    if (await run(mTemp, "Setting…", () => send("set_temperature", data))) temp.release();
  });

  $("f-hum").addEventListener("submit", async (event) => {
    event.preventDefault();
    const setpoint = inHum.valueAsNumber;
    if (!Number.isFinite(setpoint)) return say(mHum, "✗ Enter a humidity in %RH", "error");
    if (await run(mHum, "Setting…", () => send("set_humidity", { setpoint }))) hum.release();
  });

  for (const [button, mode] of [[bAir, "air"], [bSkin, "skin"]] as const) {
    button.addEventListener("click", () => void run(mMode, "Changing mode…", () => send("set_mode", { mode })));
  }

  $("b-start").addEventListener("click", () => void run(mState, "Starting…", () => send("set_state", { state: "start" })));
  $("b-standby").addEventListener("click", async () => {
    if (!(await confirmAction("Standby", "Stop therapy? The heater and the humidifier turn off; monitoring goes on.", "Standby"))) return;
    await run(mState, "Going to standby…", () => send("set_state", { state: "standby" }));
  });
  const reset = async (message: HTMLElement) => {
    if (!(await confirmAction("Reset", "Reset the incubator out of FAULT? It leaves FAULT only if the cause is gone, and acknowledges the alarms that caused it.", "Reset"))) return;
    await run(message, "Resetting…", () => send("set_state", { state: "reset" }));
  };
  $("b-reset").addEventListener("click", () => void reset(mState));
  $("b-reset-fault").addEventListener("click", () => void reset($("m-fault")));
  const fault = $("fault"), faultWhy = $("fault-why");

  const buttons = [...document.querySelectorAll<HTMLButtonElement>(".controls button, #b-reset-fault")];
  return () => {
    const s = model.sensor;
    const mode = s?.mode ?? "air";
    tempLabel.textContent = mode === "skin" ? "Skin setpoint (°C)" : "Air setpoint (°C)";
    if (s?.setpoint) {
      temp.show(s.setpoint.temperature, 1);
      hum.show(s.setpoint.humidity, 0);
    }
    bAir.setAttribute("aria-pressed", String(s !== null && mode === "air"));
    bSkin.setAttribute("aria-pressed", String(s !== null && mode === "skin"));
    const offline = model.link.kind !== "open";
    for (const b of buttons) b.disabled = offline;
    fault.hidden = model.state !== "FAULT";
    // The reason starts with the alarm code that forced the FAULT; its banner says the rest.
    const reason = model.stateReason;
    const code = /^([A-Z_]{4,}):/.exec(reason)?.[1];
    faultWhy.textContent = code ? `Cause: ${code}.` : reason ? `${reason.replace(/[.;]?\s*$/, "")}.` : "";
  };
}
