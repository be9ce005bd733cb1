// Moddable's abort hook (manifest `defines.xs.abortHook`): XS calls globalThis.abort(message,
// exception) before it aborts on an unhandled exception or rejection, a memory or stack
// overflow. It only says why on the debug console and lets the abort go on: on the ESP32 that
// is esp_restart(), and the firmware boots into the saved therapy with POWER_FAILURE. (It
// never returns false, which would tell XS to carry on in a state nobody can vouch for.)
export function installAbortHook(): void {
  (globalThis as { abort?: unknown }).abort = (message: string, exception: unknown): void => {
    let detail = "";
    try {
      detail = exception instanceof Error ? `${exception.name}: ${exception.message}${exception.stack ? `\n${exception.stack}` : ""}` : String(exception);
    } catch {
      detail = "(the exception cannot be shown)";
    }
    trace(`XS abort: ${message}: ${detail}\nrestarting\n`);
  };
}
