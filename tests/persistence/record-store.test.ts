// The A/B record store on both media: the host's files and the device's `preference` (as the
// ESP32 port implements it). A power cut at every step of every save, between and within
// writes, leaves the last acknowledged record or the one being written, never a mix.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { crc32 } from "node:zlib";
import fc from "fast-check";
import { AbRecordStore, type SlotMedium } from "../../src/core/ab-record-store";
import { crc32Utf8 } from "../../src/core/crc32";
import { PreferenceSlots } from "../../src/core/preference-slots";
import { decodeSlot, encodeSlot, isNewer, MAX_RECORD_BYTES } from "../../src/core/record-slot";
import type { RecordStore } from "../../src/core/record-store";
import { StorageHealth } from "../../src/core/storage-health";
import { FileSlots, NODE_FILE_OPS, type FileOps } from "../../host-sim/file-store";
import { PowerCutFiles } from "../support/power-cut-files";
import { SimEsp32Preference } from "../support/sim-esp32-preference";

const now = (work: () => void) => work();
/** Saves of one record, each a different length, one with non-ASCII text. */
const TEXTS = ['{"v":2,"air":3600}', '{"v":2,"air":3500,"skin":3650,"humidity":6000,"mode":"air","therapy":true}', "short", `{"note":"ünïcødé 𝄞 ${"x".repeat(300)}"}`, '{"v":2,"air":3450}'];

interface Rig {
  /** The store over a medium that loses power at step `cutAt` (null: never). */
  dying(cutAt: number | null): RecordStore;
  /** A store over what survived: the next boot. */
  reboot(): RecordStore;
}

async function sweep(open: () => Rig): Promise<{ cuts: number; previous: number; next: number }> {
  let previous = 0;
  let next = 0;
  for (let cutAt = 1; cutAt < 500; cutAt++) {
    const rig = open();
    const store = rig.dying(cutAt);
    let acknowledged: string | null = null;
    let inFlight: string | null = null;
    for (const text of TEXTS) {
      inFlight = text;
      try {
        await store.save("settings", text);
      } catch {
        break;
      }
      acknowledged = text;
      inFlight = null;
    }
    const loaded = rig.reboot().load("settings");
    if (inFlight === null) return { cuts: cutAt - 1, previous, next }; // this cut came after every save
    assert.ok(loaded === acknowledged || loaded === inFlight, `cut at step ${cutAt}: loaded ${JSON.stringify(loaded)}, acknowledged ${JSON.stringify(acknowledged)}, in flight ${JSON.stringify(inFlight)}`);
    if (loaded === acknowledged) previous++;
    else next++;
  }
  throw new Error("the saves never completed");
}

describe("record slots (checksum and generation)", () => {
  it("CRC-32 is the standard one over UTF-8", () => {
    assert.equal(crc32Utf8("123456789"), 0xcbf43926);
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => crc32Utf8(s) === crc32(Buffer.from(s, "utf8"))));
  });

  it("reads back what was written; any change of one character is detected", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 0, max: 0xffffffff }), fc.nat(), fc.integer({ min: 1, max: 0xffff }), (text, generation, at, delta) => {
        const slot = encodeSlot("settings", generation, text);
        const back = decodeSlot("settings", slot);
        assert.ok(back.ok && back.text === text && back.generation === generation);
        const i = at % slot.length;
        const changed = slot.slice(0, i) + String.fromCharCode((slot.charCodeAt(i) + delta) % 0x10000) + slot.slice(i + 1);
        if (changed !== slot) assert.equal(decodeSlot("settings", changed).ok, false, `changed at ${i}`);
        for (let cut = 0; cut < slot.length; cut += Math.max(1, slot.length >> 3)) assert.equal(decodeSlot("settings", slot.slice(0, cut)).ok, false, `cut at ${cut}`);
        assert.equal(decodeSlot("apikey", slot).ok, false, "a slot copied under another name");
      }),
    );
  });

  it("a UTF-8 byte order mark is not corruption", () => {
    const back = decodeSlot("settings", `\ufeff${encodeSlot("settings", 7, "{}")}`);
    assert.ok(back.ok && back.generation === 7);
  });

  it("generations wrap: 0 is newer than 0xffffffff", () => {
    assert.equal(isNewer(0, 0xffffffff), true);
    assert.equal(isNewer(0xffffffff, 0), false);
    assert.equal(isNewer(5, 5), false);
  });
});

describe("A/B record store on the host's files", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "incunest-records-")); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  const fileRig = (): Rig => {
    const sub = fs.mkdtempSync(path.join(dir, "cut-"));
    const file = path.join(sub, "state.json");
    return {
      dying: (cutAt) => new AbRecordStore({ medium: new FileSlots(file, new PowerCutFiles(cutAt)), schedule: now }),
      reboot: () => new AbRecordStore({ medium: new FileSlots(file), schedule: now }),
    };
  };

  it("a power cut at any step of any save leaves the last acknowledged record or the one being written", async () => {
    const r = await sweep(fileRig);
    assert.ok(r.cuts >= 3 * TEXTS.length, `${r.cuts} cut points`); // open (truncate), write, fsync; + the directory for a new file
    assert.ok(r.previous > 0 && r.next > 0, `both outcomes seen: previous ${r.previous}, new ${r.next}`);
  });

  it("the slots alternate, the files are the owner's only, the newest generation wins", async () => {
    const file = path.join(dir, "state.json");
    const store = new AbRecordStore({ medium: new FileSlots(file), schedule: now });
    for (let i = 1; i <= 3; i++) await store.save("settings", `text ${i}`);
    const a = decodeSlot("settings", fs.readFileSync(path.join(dir, "state.settings.a"), "utf8"));
    const b = decodeSlot("settings", fs.readFileSync(path.join(dir, "state.settings.b"), "utf8"));
    assert.ok(a.ok && b.ok);
    assert.deepEqual([a.generation, a.text, b.generation, b.text], [3, "text 3", 2, "text 2"]);
    assert.equal(fs.statSync(path.join(dir, "state.settings.a")).mode & 0o777, 0o600);
    assert.equal(new AbRecordStore({ medium: new FileSlots(file), schedule: now }).load("settings"), "text 3");
  });

  it("keeps every unreadable copy, numbered, and never replaces one kept before", async () => {
    const file = path.join(dir, "state.json");
    const slot = (s: string) => path.join(dir, `state.settings.${s}`);
    await new AbRecordStore({ medium: new FileSlots(file), schedule: now }).save("settings", "good");
    fs.writeFileSync(slot("a"), "first garbage");
    fs.writeFileSync(slot("b"), "R1:00000009:00000000:forged");
    const one = new AbRecordStore({ medium: new FileSlots(file), schedule: now });
    assert.equal(one.load("settings"), null);
    assert.match(one.loss("settings") ?? "", /state\.settings\.a is unreadable \(no record header.*kept as state\.settings\.a\.corrupt-1.*state\.settings\.b is unreadable \(checksum/);
    fs.writeFileSync(slot("a"), "second garbage");
    const two = new AbRecordStore({ medium: new FileSlots(file), schedule: now });
    assert.equal(two.load("settings"), null);
    assert.equal(fs.readFileSync(`${slot("a")}.corrupt-1`, "utf8"), "first garbage");
    assert.equal(fs.readFileSync(`${slot("a")}.corrupt-2`, "utf8"), "second garbage");
    assert.equal(fs.readFileSync(`${slot("b")}.corrupt-1`, "utf8"), "R1:00000009:00000000:forged");
    // The next save writes over a bad slot; the store is whole again.
    await two.save("settings", "again");
    assert.equal(new AbRecordStore({ medium: new FileSlots(file), schedule: now }).load("settings"), "again");
  });

  it("one unreadable slot: the other one is used and the loss is not reported", async () => {
    const file = path.join(dir, "state.json");
    const store = new AbRecordStore({ medium: new FileSlots(file), schedule: now });
    await store.save("settings", "old");
    await store.save("settings", "new");
    fs.writeFileSync(path.join(dir, "state.settings.b"), "R1:0000"); // torn by a cut
    const again = new AbRecordStore({ medium: new FileSlots(file), schedule: now });
    assert.equal(again.load("settings"), "old");
    assert.equal(again.loss("settings"), null);
    assert.match(again.problems.join("\n"), /settings\.b is unreadable.*using the other slot \(generation 1\)/);
  });

  it("a failed write (no file descriptors left, a path that is not a directory) is reported, never swallowed; the previous copy stays", async () => {
    const file = path.join(dir, "state.json");
    let exhausted = false;
    const ops: FileOps = {
      ...NODE_FILE_OPS,
      openSync: (f, flags, mode) => {
        if (exhausted) throw Object.assign(new Error("EMFILE: too many open files, open"), { code: "EMFILE" });
        return fs.openSync(f, flags, mode);
      },
    };
    const health = new StorageHealth();
    const store = new AbRecordStore({ medium: new FileSlots(file, ops), schedule: now, health });
    await store.save("settings", "kept");
    exhausted = true;
    await assert.rejects(store.save("settings", "lost"), /could not write file state\.settings\.b: EMFILE: too many open files/);
    assert.deepEqual(health.current().map((f) => f.store), ["settings"]);
    assert.match(health.current()[0].reason, /EMFILE/);
    assert.equal(new AbRecordStore({ medium: new FileSlots(file), schedule: now }).load("settings"), "kept");
    exhausted = false;
    await store.save("settings", "written");
    assert.deepEqual(health.current(), [], "recovered once a write succeeds");
    assert.equal(new AbRecordStore({ medium: new FileSlots(file), schedule: now }).load("settings"), "written");

    fs.writeFileSync(path.join(dir, "plain-file"), "");
    const bad = new AbRecordStore({ medium: new FileSlots(path.join(dir, "plain-file", "state.json")), schedule: now, health });
    await assert.rejects(bad.save("settings", "x"), /could not write file state\.settings\.a: ENOTDIR/);
  });

  it("refuses what a record cannot hold, by name", async () => {
    const store = new AbRecordStore({ medium: new FileSlots(path.join(dir, "s.json")), schedule: now });
    await assert.rejects(store.save("Settings!", "x"), /record name "Settings!" must be 1 to 8 characters of a-z and 0-9/);
    await assert.rejects(store.save("big", "x".repeat(MAX_RECORD_BYTES + 1)), /3979 bytes exceed the 3978 a record holds/);
    await assert.rejects(store.save("nul", "a\u0000b"), /NUL/);
    await store.save("big", "é".repeat(MAX_RECORD_BYTES >> 1));
  });

  it("writes after the current task, one slot write per turn, merging saves queued behind each other", async () => {
    const queue: Array<() => void> = [];
    const writes: string[] = [];
    const medium: SlotMedium = { ...new FileSlots(path.join(dir, "s.json")), read: () => null, write: (k, c) => { writes.push(`${k}=${decodeSlot(k.slice(0, -2), c).ok ? (decodeSlot(k.slice(0, -2), c) as { text: string }).text : "?"}`); }, erase: () => {}, keepCorrupt: () => "", keys: () => [], describe: (k) => k };
    const store = new AbRecordStore({ medium, schedule: (w) => queue.push(w) });
    const done: string[] = [];
    void store.save("settings", "1").then(() => done.push("1"));
    void store.save("alarms", "A").then(() => done.push("A"));
    void store.save("settings", "2").then(() => done.push("2"));
    void store.save("settings", "3").then(() => done.push("3"));
    assert.deepEqual(writes, [], "nothing written inside the caller's task");
    while (queue.length) queue.shift()!();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writes, ["settings.a=3", "alarms.a=A"]);
    assert.deepEqual(done.sort(), ["1", "2", "3", "A"]);
  });
});

describe("A/B record store on the device's preference (simulated ESP32 NVS)", () => {
  for (const tear of [false, true]) {
    it(`a power cut at any step of any save (${tear ? "within a key's write: half the value lands" : "between a key's erase and its write"}) leaves the last acknowledged record or the one being written`, async () => {
      const r = await sweep(() => {
        let flash: SimEsp32Preference | null = null;
        return {
          dying: (cutAt) => new AbRecordStore({ medium: new PreferenceSlots((flash = new SimEsp32Preference(cutAt, tear))), schedule: now }),
          reboot: () => new AbRecordStore({ medium: new PreferenceSlots((flash as SimEsp32Preference).reboot()), schedule: now }),
        };
      });
      assert.equal(r.cuts, 2 * TEXTS.length, "erase and write per save");
      // The write is a save's last step, so a cut always finds the previous record (the new
      // one is acknowledged as soon as it has landed).
      assert.equal(r.previous, r.cuts);
    });
  }

  it("the sweep catches a store that writes one key in place (each record as one preference string)", async () => {
    // What the device had before: Preference.set(domain, name, text) per record.
    const naive = (pref: SimEsp32Preference): RecordStore => ({
      load: (name) => (pref.get("rec", name) as string | undefined) ?? null,
      save: (name, text) => { try { pref.set("rec", name, text); return Promise.resolve(); } catch (e) { return Promise.reject(e); } },
    });
    await assert.rejects(
      sweep(() => {
        let flash: SimEsp32Preference | null = null;
        return { dying: (cutAt) => naive((flash = new SimEsp32Preference(cutAt))), reboot: () => naive((flash as SimEsp32Preference).reboot()) };
      }),
      /cut at step 4: loaded null, acknowledged/, // between the erase and the write of the second save
    );
  });

  it("keys fit NVS (≤ 15 characters), one string value per slot; corrupt copies are kept, at most 3 per slot", async () => {
    const pref = new SimEsp32Preference();
    const store = new AbRecordStore({ medium: new PreferenceSlots(pref), schedule: now });
    await store.save("appasswd", "x".repeat(MAX_RECORD_BYTES));
    await store.save("appasswd", "y");
    assert.deepEqual(pref.keys("incunest-rec").sort(), ["appasswd.a", "appasswd.b"]);
    for (let i = 1; i <= 4; i++) {
      const flash = pref.reboot();
      flash.flash.get("incunest-rec")!.set("appasswd.a", `garbage ${i}`);
      for (const [k, v] of flash.flash.get("incunest-rec")!) pref.flash.get("incunest-rec")!.set(k, v);
      const again = new AbRecordStore({ medium: new PreferenceSlots(pref), schedule: now });
      assert.equal(again.load("appasswd"), "y", "the intact slot is used");
      if (i <= 3) assert.match(again.problems.join(), new RegExp(`kept as preference incunest-rec/appasswd\\.a~${i}`));
      else assert.match(again.problems.join(), /could not keep a copy \(3 copies of appasswd\.a are kept already/);
    }
  });

  it("a flash that refuses writes: the save is refused with the reason, the previous copy stays", async () => {
    const pref = new SimEsp32Preference();
    const health = new StorageHealth();
    const store = new AbRecordStore({ medium: new PreferenceSlots(pref), schedule: now, health });
    await store.save("settings", "kept");
    pref.failWrites = "nvs set fail";
    await assert.rejects(store.save("settings", "lost"), /could not write preference incunest-rec\/settings\.b: nvs set fail/);
    assert.equal(health.current()[0]?.store, "settings");
    assert.equal(new AbRecordStore({ medium: new PreferenceSlots(pref.reboot()), schedule: now }).load("settings"), "kept");
  });
});
