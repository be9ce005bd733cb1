import assert from "node:assert/strict";
import { AlarmSignal } from "../../drivers/buzzer";
import { Fan, FanTachometer } from "../../drivers/fan";
import { Heater } from "../../drivers/heater";
import { Humidifier } from "../../drivers/humidifier";
import { dutyToPwmValue } from "../../drivers/pwm-duty";
import { SimDigitalOut, SimPwm } from "../../host-sim/chips/io";

describe("actuator drivers", () => {
  it("maps duty 0..1 onto the PWM resolution, clamping and zeroing non-numbers", () => {
    assert.equal(dutyToPwmValue(0, 10), 0);
    assert.equal(dutyToPwmValue(1, 10), 1023);
    assert.equal(dutyToPwmValue(0.5, 8), 128);
    assert.equal(dutyToPwmValue(1.7, 12), 4095);
    assert.equal(dutyToPwmValue(-0.2, 10), 0);
    assert.equal(dutyToPwmValue(NaN, 10), 0);
    assert.equal(dutyToPwmValue(Infinity, 10), 0);
  });

  it("the heater writes 0 when the permit says no or throws, and never above its maximum", () => {
    const pwm = new SimPwm(12);
    let allowed: boolean | "throw" = false;
    const heater = new Heater(pwm, { heatAllowed: () => { if (allowed === "throw") throw new Error("safety layer down"); return allowed; } }, { maxDuty: 0.9 });
    assert.equal(heater.set(0.7, 0), 0);
    assert.equal(pwm.value, 0);
    allowed = true;
    assert.ok(Math.abs(heater.set(0.7, 1) - 0.7) < 0.001);
    assert.ok(Math.abs(heater.set(1, 2) - 0.9) < 0.001);
    allowed = "throw";
    assert.equal(heater.set(0.7, 3), 0);
    assert.equal(heater.interlocked, true);
    assert.throws(() => new Heater(pwm, { heatAllowed: () => true }, { maxDuty: 1.5 }), /maxDuty 1.5/);
  });

  it("a PWM write that throws becomes an error value, and the duty shown is the one last written", () => {
    const pwm = { resolution: 10, write: (v: number) => { if (v > 500) throw new Error("ledc busy"); } };
    const fan = new Fan(pwm);
    fan.set(0.3);
    assert.equal(fan.lastError, null);
    fan.set(0.9);
    assert.match(fan.lastError ?? "", /ledc busy/);
    assert.ok(Math.abs(fan.duty - 0.3) < 0.001);
  });

  it("the humidifier follows on/off", () => {
    const out = new SimDigitalOut();
    const h = new Humidifier(out);
    h.set(true);
    assert.equal(out.value, 1);
    h.set(false);
    assert.equal(out.value, 0);
    assert.equal(out.edges, 2);
  });

  it("the tachometer turns pulses per interval into rpm and reports a restarted counter", () => {
    let count = 0;
    const tach = new FanTachometer({ read: () => count }, { pulsesPerRevolution: 2 });
    assert.equal(tach.sample(0).fault, "stale");
    count = 60; // 30 revolutions in one second
    assert.deepEqual(tach.sample(1000), { value: 1800, atMs: 0 });
    count = 10;
    assert.equal(tach.sample(2000).fault, "stale");
    count = 10;
    assert.equal(tach.sample(3000).value, 0);
  });

  it("the alarm signal sets each output and reports a failed write instead of throwing", () => {
    const buzzer = new SimDigitalOut();
    const led = new SimDigitalOut();
    const signal = new AlarmSignal(buzzer, led);
    signal.set(true, true);
    assert.deepEqual([buzzer.value, led.value], [1, 1]);
    signal.set(false, true);
    assert.deepEqual(signal.state, { buzzer: false, led: true });
    const broken = new AlarmSignal({ write: () => { throw new Error("pin shorted"); } }, led);
    broken.set(true, false);
    assert.match(broken.lastError ?? "", /buzzer output write failed: .*pin shorted/);
    assert.deepEqual(broken.state, { buzzer: false, led: false });
    assert.equal(led.value, 0, "the LED is still written when the buzzer fails");
  });
});
