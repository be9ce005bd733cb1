import { strict as assert } from "node:assert";
import { parseTarget, utf8Length } from "../src/device/request-target";

describe("device HTTP front: request targets", () => {
  it("splits the path from the query and decodes the parameters", () => {
    assert.deepEqual(parseTarget("/ws?api-key=abc%2Fdef&x=1+2&flag"), { path: "/ws", query: { "api-key": "abc/def", x: "1 2", flag: "" } });
    assert.deepEqual(parseTarget("/v2/api/ws/device-feed"), { path: "/v2/api/ws/device-feed", query: {} });
  });

  it("ignores a parameter with a malformed escape instead of throwing", () => {
    assert.deepEqual(parseTarget("/ws?api-key=%E0%A4%A&ok=1"), { path: "/ws", query: { ok: "1" } });
  });

  it("counts UTF-8 bytes as the frame header needs them", () => {
    for (const text of ["", "abc", "36.5 °C", "€", "😀 ok", "x".repeat(200)]) assert.equal(utf8Length(text), Buffer.byteLength(text, "utf8"), text);
  });
});
