import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FileSettingsStore, type FileOps } from "../../host-sim/file-store";
import { loadSettings, saveSettings } from "../../src/core/settings-codec";

const OLD = { setpoints: { air: 34.5, skin: 36.5, humidity: 55, override: false }, mode: "air" as const, therapyActive: true };
const NEW = { setpoints: { air: 35.5, skin: 36.8, humidity: 65, override: false }, mode: "skin" as const, therapyActive: false };

/** Real file operations until the power is cut at operation number `cutAt`: a write at
 *  that moment lands only half its text; every later operation does nothing. */
class PowerCut implements FileOps {
  private count = 0;
  dead = false;
  constructor(private readonly cutAt: number) {}
  private step(): void {
    if (this.dead) throw new Error("no power");
    if (++this.count === this.cutAt) {
      this.dead = true;
      throw new Error("power cut");
    }
  }
  readFileSync(file: string, encoding: "utf8"): string { return fs.readFileSync(file, encoding); }
  existsSync(file: string): boolean { return fs.existsSync(file); }
  unlinkSync(file: string): void { this.step(); fs.unlinkSync(file); }
  openSync(file: string, flags: string): number { this.step(); return fs.openSync(file, flags); }
  writeSync(fd: number, text: string): number {
    if (!this.dead && this.count + 1 === this.cutAt) fs.writeSync(fd, text.slice(0, text.length >> 1));
    this.step();
    return fs.writeSync(fd, text);
  }
  fsyncSync(fd: number): void { this.step(); fs.fsyncSync(fd); }
  closeSync(fd: number): void { if (!this.dead) this.count++; fs.closeSync(fd); } // closing is harmless either way
  renameSync(from: string, to: string): void { this.step(); fs.renameSync(from, to); }
}

describe("file settings store", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "incunest-store-")); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it("survives a restart: what was saved is what loads", () => {
    const file = path.join(dir, "settings.json");
    saveSettings(new FileSettingsStore(file), OLD);
    const again = new FileSettingsStore(file);
    assert.deepEqual(again.problems, []);
    const { settings, problems } = loadSettings(again);
    assert.deepEqual(settings.setpoints, OLD.setpoints);
    assert.equal(settings.therapyActive, true);
    assert.ok(problems.every((p) => !p.includes("setpoint")), problems.join("|"));
    assert.ok(!fs.existsSync(`${file}.tmp`));
  });

  it("a power cut at any step of a save leaves the old settings or the new, never a mixture", () => {
    const file = path.join(dir, "settings.json");
    let sawOld = false;
    let sawNew = false;
    for (let cutAt = 1; cutAt < 80; cutAt++) {
      fs.rmSync(file, { force: true });
      saveSettings(new FileSettingsStore(file), OLD);
      const errors: string[] = [];
      const dying = new FileSettingsStore(file, (m) => errors.push(m), new PowerCut(cutAt));
      saveSettings(dying, NEW); // several keys change: several atomic file replacements
      const rebooted = new FileSettingsStore(file);
      const { settings } = loadSettings(rebooted);
      assert.ok(rebooted.problems.every((p) => p.includes("interrupted write")), rebooted.problems.join("|"));
      assert.ok(!fs.existsSync(`${file}.tmp`), "temp file cleaned up");
      // Every key is either its old or its new value (each replacement is atomic).
      const air = settings.setpoints.air;
      assert.ok(air === OLD.setpoints.air || air === NEW.setpoints.air, `air ${air} at cut ${cutAt}`);
      assert.ok(settings.mode === OLD.mode || settings.mode === NEW.mode);
      if (air === OLD.setpoints.air && settings.mode === OLD.mode && settings.therapyActive === OLD.therapyActive) sawOld = true;
      if (air === NEW.setpoints.air && settings.mode === NEW.mode && settings.therapyActive === NEW.therapyActive) sawNew = true;
      if (!errors.length) break; // the cut came after the whole save
      assert.match(errors[0], /could not save settings .*(power cut|no power)/);
    }
    assert.ok(sawOld && sawNew, "the cut points covered before and after the save");
  });

  it("sets a corrupt file aside, starts empty and says why", () => {
    const file = path.join(dir, "settings.json");
    fs.writeFileSync(file, '{"air": 3650, "skin":');
    const store = new FileSettingsStore(file);
    assert.match(store.problems[0], /is corrupt \(not JSON: .*\); set aside as settings.json.corrupt/);
    assert.ok(fs.existsSync(`${file}.corrupt`));
    const { settings, problems } = loadSettings(store);
    assert.equal(settings.therapyActive, false);
    assert.equal(settings.setpoints.air, 36);
    assert.ok(problems.length > 0);
  });

  it("reads wrong-typed values as corrupt, not as numbers", () => {
    const file = path.join(dir, "settings.json");
    fs.writeFileSync(file, JSON.stringify({ air: "3650", skin: [3600], therapy: true, mode: 0 }));
    const { settings, problems } = loadSettings(new FileSettingsStore(file));
    assert.equal(settings.setpoints.air, 36);
    assert.equal(settings.therapyActive, false);
    assert.match(problems.join("|"), /corrupt stored \(not an integer: NaN\) air setpoint/);
    assert.match(problems.join("|"), /corrupt stored \(NaN\) therapy state/);
  });

  it("reports a failed write without throwing into the caller", () => {
    const file = path.join(dir, "missing-dir", "settings.json");
    const errors: string[] = [];
    const store = new FileSettingsStore(file, (m) => errors.push(m));
    store.setInt("air", 3600);
    assert.equal(store.getInt("air"), 3600, "kept in memory for this run");
    assert.match(errors[0], /could not save settings to .*missing-dir/);
  });
});
