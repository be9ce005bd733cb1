import { strict as assert } from "node:assert";
import { MemoryLogStore } from "../../host-sim/memory-log-store";
import { crc16 } from "../../src/logs/crc16";
import { SlotRing } from "../../src/logs/slot-ring";

const TAG = 0x54;
const SLOT = 32;

function record(value: number): Uint8Array {
  const slot = new Uint8Array(SLOT);
  new DataView(slot.buffer).setUint32(4, value, true);
  return slot;
}

function append(ring: SlotRing, value: number): number {
  const slot = record(value);
  ring.seal(slot);
  return ring.append(slot);
}

/** Every valid record's value, oldest first, and how many slots failed their checksum. */
function readAll(ring: SlotRing): { values: number[]; ids: number[]; invalid: number } {
  const values: number[] = [];
  const ids: number[] = [];
  let invalid = 0;
  const buf = new Uint8Array(SLOT * 8);
  let id = ring.oldestId;
  while (id < ring.nextId) {
    const n = ring.readRun(id, buf, 8);
    if (n === 0) {
      id = (Math.floor(id / ring.recordsPerBlock) + 1) * ring.recordsPerBlock;
      continue;
    }
    for (let i = 0; i < n; i++) {
      if (ring.isValid(buf, i * SLOT)) {
        values.push(new DataView(buf.buffer).getUint32(i * SLOT + 4, true));
        ids.push(id + i);
      } else invalid++;
    }
    id += n;
  }
  return { values, ids, invalid };
}

function reopen(store: MemoryLogStore): { ring: SlotRing; store: MemoryLogStore; report: ReturnType<SlotRing["open"]> } {
  const copy = store.snapshot();
  const ring = new SlotRing(copy, TAG, SLOT);
  return { ring, store: copy, report: ring.open() };
}

describe("the slot ring under the logs", () => {
  it("checks CRC-16/CCITT-FALSE against its check value", () => {
    const text = new TextEncoder().encode("123456789");
    assert.equal(crc16(text, 0, text.length), 0x29b1);
  });

  it("keeps its records and ids across a reboot", () => {
    const store = new MemoryLogStore(4096, 4);
    const ring = new SlotRing(store, TAG, SLOT);
    assert.deepEqual(ring.open(), { blocksInUse: 0, tornSlots: 0, blocksWithoutHeader: 4, readError: null });
    const ids = [];
    for (let v = 0; v < 200; v++) ids.push(append(ring, v));
    assert.deepEqual(ids, [...Array(200).keys()], "ids count up from 0 across a block boundary");
    const after = reopen(store);
    assert.equal(after.report.tornSlots, 0);
    assert.equal(after.ring.nextId, 200);
    assert.deepEqual(readAll(after.ring).values, [...Array(200).keys()]);
    assert.equal(append(after.ring, 200), 200, "appending goes on where it stopped");
    assert.equal(after.ring.countRecords(), 201);
  });

  it("reuses its oldest block once full, keeping at least all but one block of records", () => {
    const store = new MemoryLogStore(4096, 4);
    const ring = new SlotRing(store, TAG, SLOT);
    ring.open();
    const perBlock = ring.recordsPerBlock;
    assert.equal(perBlock, 127);
    const total = perBlock * 4 * 3 + 50; // three laps and a bit
    for (let v = 0; v < total; v++) {
      append(ring, v);
      const held = ring.nextId - ring.oldestId;
      if (v >= perBlock * 4) assert.ok(held >= perBlock * 3, `after ${v + 1} records ${held} are held`);
    }
    const { values } = readAll(reopen(store).ring);
    assert.equal(values[values.length - 1], total - 1);
    assert.ok(values.length >= perBlock * 3 && values.length <= perBlock * 4);
    assert.deepEqual(values, values.map((_, i) => values[0] + i), "oldest to newest, none missing");
    assert.equal(store.erases, 4 * 3 + 1, "one erase per block used");
  });

  it("skips a record torn by a power cut and writes on after it without rewriting flash", () => {
    for (let cut = 0; cut <= SLOT; cut += 3) {
      const store = new MemoryLogStore(4096, 4);
      const ring = new SlotRing(store, TAG, SLOT);
      ring.open();
      for (let v = 0; v < 10; v++) append(ring, v);
      store.cutPowerAfter = cut;
      assert.throws(() => append(ring, 10));
      const after = reopen(store);
      const torn = cut > 0 ? 1 : 0;
      assert.equal(after.report.tornSlots, torn, `cut after ${cut} bytes`);
      // strict store: a write over programmed bytes would throw here
      for (let v = 11; v < 140; v++) append(after.ring, v);
      const { values, invalid } = readAll(reopen(after.store).ring);
      assert.deepEqual(values, [...Array(10).keys(), ...Array.from({ length: 129 }, (_, i) => 11 + i)]);
      assert.equal(invalid, torn);
    }
  });

  it("skips a corrupt record in the middle, and a block whose header is corrupt", () => {
    const store = new MemoryLogStore(4096, 4);
    const ring = new SlotRing(store, TAG, SLOT);
    ring.open();
    for (let v = 0; v < 300; v++) append(ring, v);
    store.bytes[1 * SLOT + 6] ^= 0x10; // record 0
    store.bytes[40 * SLOT + 9] ^= 0x01; // record 39
    const first = reopen(store);
    const read = readAll(first.ring);
    assert.equal(read.invalid, 2);
    assert.equal(read.values.length, 298);
    assert.ok(!read.values.includes(0) && !read.values.includes(39));
    store.bytes[4096 + 8] ^= 0xff; // header of block 1 (records 127..253)
    const second = readAll(reopen(store).ring);
    assert.equal(second.values.length, 300 - 2 - 127);
    assert.ok(!second.values.includes(200) && second.values.includes(254) && second.values.includes(126));
  });

  it("starts empty on a store of random bytes or one it cannot read, never throwing", () => {
    const bytes = new Uint8Array(4096 * 4);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = x >> 16;
    }
    const store = new MemoryLogStore(4096, 4, true, bytes);
    const ring = new SlotRing(store, TAG, SLOT);
    const report = ring.open();
    assert.equal(report.blocksInUse, 0);
    for (let v = 0; v < 5; v++) append(ring, v);
    assert.deepEqual(readAll(reopen(store).ring).values, [0, 1, 2, 3, 4]);

    const broken = new MemoryLogStore(4096, 4);
    broken.read = () => {
      throw new Error("flash read failed");
    };
    const unreadable = new SlotRing(broken, TAG, SLOT).open();
    assert.equal(unreadable.readError, "flash read failed");
  });

  it("ignores another ring's blocks (the event log beside it)", () => {
    const store = new MemoryLogStore(4096, 2);
    const other = new SlotRing(store, 0x45, 128);
    other.open();
    const slot = new Uint8Array(128);
    other.seal(slot);
    other.append(slot);
    const ring = new SlotRing(store, TAG, SLOT);
    assert.equal(ring.open().blocksInUse, 0);
  });
});
