// `text.charCodeAt(i)` without garbage on XS. Every property access on a primitive string
// there (`s.length`, `s.charCodeAt(i)`) makes a String wrapper object, 2 slots a call. On
// the device, where built-in functions in flash are primitives too, even
// `String.prototype.charCodeAt.call(s, i)` made a wrapper of the function: 3 slots a
// character (measured in the simulator: 48,000 B of slots for a 500-character loop, which
// made the UTF-8 encoding of every text sent the firmware's largest source of garbage).
// A bound `call`, made once, reads a code with no allocation on both (0 B measured).
// Read a text's length once per loop.
export const codeAt: (text: string, i: number) => number = Function.prototype.call.bind(String.prototype.charCodeAt) as never;
