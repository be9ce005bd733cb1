// `text.charCodeAt(i)` without garbage on XS: every property access on a primitive string
// there (`s.length`, `s.charCodeAt(i)`) makes a String wrapper object, 2 slots a call, so a
// loop over a text's characters made 4 slots of garbage a character. Calling the
// prototype's function through `call` makes none (measured on xsnap: 190 slots for a
// 94-character loop with s.charCodeAt, 2 with codeAt). Read a text's length once per loop.
const charCodeAt = String.prototype.charCodeAt;

export function codeAt(text: string, i: number): number {
  return charCodeAt.call(text, i);
}
