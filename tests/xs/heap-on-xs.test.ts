import { strict as assert } from "node:assert";
import { startXS, type XSSession } from "../../host-sim/xs/run-on-xs";
import type { FirmwareStatus, Scenario } from "./entries/firmware-run";

const ENTRY = "tests/xs/entries/firmware-run.ts";

/**
 * Strings whose length follows the values (readings, times, alarm ids in the persisted
 * history, the last /ws frame) make the snapshot differ by a few bytes between two points
 * with the same slots; a string that grows every tick would exceed this within minutes.
 */
const SNAPSHOT_SLACK_BYTES = 256;

interface HeapPoint {
  readonly status: FirmwareStatus;
  readonly slots: number;
  readonly snapshotBytes: number;
}

async function heapAt(xs: XSSession, second: number, from: number): Promise<HeapPoint> {
  const advanced = await xs.call<number>({ op: "advance", seconds: second - from });
  assert.equal(advanced.results, second);
  const status = (await xs.call<FirmwareStatus>({ op: "status" })).results;
  const slots = (await xs.call({ op: "noop" })).heapSlots;
  return { status, slots, snapshotBytes: await xs.snapshotBytes() };
}

/** Live heap (after a full collection) of the firmware on XS at two simulated times. */
async function twoPoints(scenario: Scenario, early: number, late: number): Promise<[HeapPoint, HeapPoint]> {
  const xs = await startXS(ENTRY);
  try {
    await xs.call({ op: "start", scenario });
    const a = await heapAt(xs, early, 0);
    const b = await heapAt(xs, late, early);
    return [a, b];
  } finally {
    await xs.close();
  }
}

function assertFlat(a: HeapPoint, b: HeapPoint): void {
  const at = `${a.status.second} s → ${b.status.second} s`;
  assert.equal(b.slots, a.slots, `live XS slots ${at}: ${a.slots} → ${b.slots}`);
  const grew = b.snapshotBytes - a.snapshotBytes;
  assert.ok(Math.abs(grew) <= SNAPSHOT_SLACK_BYTES, `XS snapshot (slots and strings) ${at}: ${a.snapshotBytes} → ${b.snapshotBytes} B`);
}

describe("the firmware's live heap on Moddable's XS engine", function () {
  this.timeout(120_000);

  it("does not grow between the first and the second hour of operation", async () => {
    // Every window (heater response samples: about 10 minutes) is full well before 1 h.
    const [a, b] = await twoPoints("hour", 3600, 7200);
    assert.equal(a.status.state, "OPERATING");
    assert.equal(b.status.state, "OPERATING");
    assertFlat(a, b);
  });

  it("does not grow while alarms keep being raised, cleared and acknowledged once the history is full", async () => {
    // TEMP_HIGH every 20 s: the 50-entry alarm history is full after about 20 minutes.
    const [a, b] = await twoPoints("alarm-churn", 1500, 3900);
    assert.equal(a.status.alarmHistory, 50, "the alarm history is full at the first point");
    assert.equal(b.status.alarmHistory, 50);
    assert.ok(b.status.lastAlarmId - a.status.lastAlarmId >= 100, `alarms kept coming: ids ${a.status.lastAlarmId} → ${b.status.lastAlarmId}`);
    assertFlat(a, b);
  });
});
