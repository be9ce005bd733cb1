// XS's `Object.freeze(obj, deep)` overload (xs.d.ts) would otherwise be tried first and
// widen frozen constant tables ({A: 4001} -> {A: number}); this restores the standard
// const-preserving signature in front of it.
interface ObjectConstructor {
  freeze<T extends { [idx: string]: U | null | undefined | object }, U extends string | bigint | number | boolean | symbol>(o: T): Readonly<T>;
  freeze<T>(o: T): Readonly<T>;
}
