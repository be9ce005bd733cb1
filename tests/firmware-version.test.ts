// One firmware version: src/core/firmware-version.ts is what REST (/api/status), MQTT
// (status, discovery) and the logs' boot entry report on both platforms; the npm package
// carries the same number, so a release bumps one and this test names the other.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { FIRMWARE_VERSION } from "../src/core/firmware-version";
import { firmwareVersion } from "../host-sim/mqtt/host-mqtt";

describe("firmware version", () => {
  it("package.json and src/core/firmware-version.ts give the same version; host-sim's MQTT reports it", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    assert.equal(pkg.version, FIRMWARE_VERSION);
    assert.equal(firmwareVersion(), FIRMWARE_VERSION);
  });

  it("no module of the firmware defines a version of its own", () => {
    for (const file of ["src/device/mqtt-start.ts", "src/device/device-logs.ts", "host-sim/mqtt/host-mqtt.ts", "host-sim/host-system-info.ts"]) {
      const text = readFileSync(file, "utf8");
      assert.match(text, /import \{[^}]*FIRMWARE_VERSION[^}]*\} from "[./]+\/(?:src\/)?core\/firmware-version"/, `${file} imports the version`);
      assert.doesNotMatch(text, /=\s*"\d+\.\d+\.\d+"/, `${file} has no version literal`);
    }
  });
});
