// GET /api/config and POST /api/config (partial update: device name and calibration
// offsets; the rest is read-only). A change answers once it is stored.
import { configView, ConfigFieldError, parseConfigPatch } from "../../config/config-document";
import { fail, FieldError, ok } from "./envelope";
import type { RestOptions, RestRoute } from "./rest-context";
import { jsonBody } from "./request-input";

export function configRoutes(o: RestOptions): RestRoute[] {
  const view = () =>
    configView({
      deviceId: o.system.deviceId,
      name: o.settings.name,
      calibration: o.settings.offsets,
      snapshot: o.api.snapshot(),
      network: o.system.network(),
    });
  return [
    { method: "GET", path: "/api/config", handle: () => ok(view()) },
    {
      method: "POST",
      path: "/api/config",
      handle: async (request, _params, origin) => {
        const body = jsonBody(request);
        let change;
        try {
          change = parseConfigPatch(view(), body);
        } catch (error) {
          if (error instanceof ConfigFieldError) throw new FieldError(error.field, error.message);
          throw error;
        }
        let changed: string[];
        try {
          changed = await o.settings.apply(change, origin);
        } catch (error) {
          if (error instanceof RangeError) throw new FieldError("body", error.message);
          return fail(500, "STORAGE_ERROR", `the configuration could not be stored, nothing changed: ${error instanceof Error ? error.message : String(error)}`);
        }
        return ok({ changed, config: view() }, changed.length ? `updated ${changed.join(", ")}` : "nothing to change");
      },
    },
  ];
}
