/**
 * A cumulative amount as a stable id fragment, `String(Number(value.toPrecision(12)))`: float noise
 * must not make two ids for one state (fill ids, the paper exchange's trade ids).
 * @example amountKey(0.1 + 0.2) // "0.3"
 */
export function amountKey(value: number): string {
  // A fill's amount is keyed twice in a row (the venue's trade id, then the executor's fill id).
  if (value === lastValue) return lastKey;
  // Without the round trip when it changes nothing: a number whose shortest spelling has at most 12
  // significant digits is the double nearest its own 12-digit rounding, so it prints the same.
  const text = String(value);
  const key = significantDigits(text) <= 12 ? text : String(Number(value.toPrecision(12)));
  lastValue = value;
  lastKey = key;
  return key;
}

let lastValue = Number.NaN;
let lastKey = "NaN";

/** Digits of a number's spelling from the first non-zero one, exponent left out (an upper bound). */
function significantDigits(text: string): number {
  let count = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 /* e */) break;
    if (c < 48 || c > 57) continue;
    if (leading && c === 48) continue;
    leading = false;
    count++;
  }
  return count;
}
