// Runs inside the isolate, before any plugin code. Pure ECMAScript: no Node, no host objects.

/**
 * Globals a strategy has no use for and that widen what it can do: WebAssembly (native-speed code and,
 * through shared memory, SharedArrayBuffer), SharedArrayBuffer and Atomics (Atomics.wait blocks the
 * thread outside our timeout's reach), WeakRef and FinalizationRegistry (callbacks that run at garbage
 * collection, outside any hook and so outside any time limit; also a source of nondeterminism).
 */
const REMOVED_GLOBALS = ["WebAssembly", "SharedArrayBuffer", "Atomics", "WeakRef", "FinalizationRegistry"];

/**
 * Locks the isolate's realm down before the plugin runs: removes the globals above, deep-freezes the
 * intrinsics reachable from the global object (constructors, prototypes, their methods and accessors,
 * plus the iterator and generator prototypes that no global names), and makes the standard global
 * bindings read-only.
 *
 * Why: a plugin that could replace `Array.prototype.push`, `JSON.stringify` or `Object.keys` could make
 * the bootstrap lie about its own output. The host validates every output anyway (that is the real
 * barrier), but frozen intrinsics keep the bootstrap's guarantees (rate limits, intent caps, state cap)
 * true too. Assigning over an inherited built-in (`obj.toString = f`) then throws in a plugin's
 * strict-mode code, which docs/plugin-api.md mentions.
 *
 * Two exceptions, for speed: Object.prototype and the typed-array prototypes stay unfrozen, because V8
 * deoptimises object literals and typed-array element access once they are frozen (measured 5x and 3x
 * slower per candle). The bootstrap does not rely on them: what it looks up by key lives on null
 * prototypes, it writes its answer by hand (serialize.ts) rather than with JSON.stringify of objects,
 * and it took Float64Array.prototype.subarray before any plugin code ran.
 * @example harden(); Object.isFrozen(Array.prototype) // true
 */
export function harden(): void {
  const g = globalThis as Record<string, unknown>;
  for (const name of REMOVED_GLOBALS) Reflect.deleteProperty(g, name);

  const typedArray = Object.getPrototypeOf(Int8Array) as { prototype: object };
  const unfrozen: object[] = [Object.prototype, typedArray.prototype];
  for (const name of Object.getOwnPropertyNames(g)) {
    const value = g[name];
    if (typeof value === "function" && Object.getPrototypeOf(value) === typedArray) {
      unfrozen.push((value as { prototype: object }).prototype);
    }
  }

  const roots: unknown[] = Object.getOwnPropertyNames(g).map((name) => g[name]);
  roots.push(
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async () => {}),
    Object.getPrototypeOf(async function* () {}),
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    Object.getPrototypeOf(new Set()[Symbol.iterator]()),
    Object.getPrototypeOf(""[Symbol.iterator]()),
    Object.getPrototypeOf(/x/[Symbol.matchAll]("")),
    typedArray,
  );
  deepFreeze(roots, [g, ...unfrozen]);

  for (const name of Object.getOwnPropertyNames(g)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(g, name);
    if (descriptor && "value" in descriptor && descriptor.configurable) {
      Reflect.defineProperty(g, name, { writable: false, configurable: false });
    }
  }
}

/**
 * Freezes every object reachable from `roots` through properties, accessors and prototypes, except `skip`
 * and plain methods (functions without their own `prototype`): nothing hangs off a method that the
 * bootstrap reads, and leaving the ~1,500 of them alone halves the cost of a cold start's hardening.
 */
export function deepFreeze(roots: readonly unknown[], skip: readonly object[] = []): void {
  const seen = new Set<unknown>(skip);
  const stack = [...roots];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || (typeof value !== "object" && typeof value !== "function")) continue;
    if (seen.has(value)) continue;
    seen.add(value);
    if (typeof value === "function" && !Object.hasOwn(value, "prototype")) continue;
    Object.freeze(value);
    stack.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      if ("value" in descriptor) stack.push(descriptor.value);
    }
  }
}
