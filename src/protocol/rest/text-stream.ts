// A response body produced piece by piece as the socket drains (HttpBodySource): the
// history, data and log answers can be far larger than the device's free RAM, so they
// are never built whole. `produce` appends the next items to the piece until it is full.
import type { HttpBodySource } from "../../net/http-types";
import { codeAt } from "../../net/text-scan";

export interface TextProducer {
  /** Text before the first item, and after the last. */
  readonly head: string;
  readonly tail: string;
  /** The next item's text, or null when there are no more. */
  nextItem(): string | null;
  /** Separator between items (e.g. "," in a JSON array, "" for CSV lines). */
  readonly separator: string;
}

export function textStream(producer: TextProducer): HttpBodySource {
  let started = false;
  let finished = false;
  let first = true;
  let carry = "";
  return {
    next(max: number): string | null {
      if (finished && carry === "") return null;
      let piece = carry;
      carry = "";
      if (!started) {
        started = true;
        piece += producer.head;
      }
      while (!finished && piece.length < max) {
        const item = producer.nextItem();
        if (item === null) {
          finished = true;
          piece += producer.tail;
          break;
        }
        piece += first ? item : producer.separator + item;
        first = false;
      }
      // Producers emit ASCII only (see asciiJson), so the length is the byte count.
      if (piece.length > max) {
        carry = piece.slice(max);
        piece = piece.slice(0, max);
      }
      return piece.length > 0 ? piece : null;
    },
  };
}

/** JSON text with every non-ASCII character escaped (\uXXXX): its length is its size in
 *  bytes, so streamed pieces can be cut by length. */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  const n = json.length;
  let i = 0;
  while (i < n && codeAt(json, i) < 0x7f) i++;
  if (i === n) return json;
  // Character by character, not by RegExp (see src/net/text-scan.ts).
  let out = json.slice(0, i);
  for (; i < n; i++) {
    const c = codeAt(json, i);
    out += c < 0x7f ? json.charAt(i) : "\\u" + ("000" + c.toString(16)).slice(-4);
  }
  return out;
}
