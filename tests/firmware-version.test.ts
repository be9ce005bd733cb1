// One firmware version: src/core/firmware-version.ts is what REST (/api/status), MQTT
// (status, discovery) and the logs' boot entry report on both platforms; the npm package
// carries the same number, so a release bumps one and this test names the other.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { FIRMWARE_VERSION } from "../src/core/firmware-version";

describe("the firmware version", () => {
  it("is one version: package.json's is the one REST, MQTT and the event log report", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    assert.equal(FIRMWARE_VERSION, pkg.version, "bump src/core/firmware-version.ts with package.json");
  });

  it("no module of the firmware defines a version of its own", () => {
    for (const file of ["src/device/mqtt-start.ts", "src/device/device-logs.ts", "host-sim/mqtt/host-mqtt.ts", "host-sim/host-system-info.ts"]) {
      const text = readFileSync(file, "utf8");
      assert.match(text, /import \{[^}]*FIRMWARE_VERSION[^}]*\} from "[./]+\/(?:src\/)?core\/firmware-version"/, `${file} imports the version`);
      assert.doesNotMatch(text, /=\s*"\d+\.\d+\.\d+"/, `${file} has no version literal`);
    }
  });
});
