// The Moddable SDK's own declaration of `onewire`, as in SDK 8.2.3
// ($MODDABLE/modules/drivers/onewire/onewire.d.ts, Copyright (c) 2023 Moddable Tech, Inc.
// and Thorsten von Eicken, licensed under Creative Commons Attribution 4.0,
// https://creativecommons.org/licenses/by/4.0/), copied unchanged below this comment.
// mcconfig compiles src/device against that file, not this one; this copy is what `npm test`
// compiles against (the SDK is not in CI). tests/device-typecheck.test.ts compares the two
// when $MODDABLE is set. @moddable/typings 5.6 has no onewire.
//
// What the ESP32 native (modules/drivers/onewire/esp32/modonewire.c) actually returns differs:
// read(count) and search() give ArrayBuffers; drivers/moddable-onewire.ts takes both.

declare module "onewire" {
  export default class OneWire {
    constructor(dictionary : Record<string,any>);
    close() : void;
    read(count : number) : number|Uint8Array;
    write(data : number|Uint8Array) : void;
    select(device : Uint8Array) : void;
    search() : Uint8Array[];
    isPresent(id : Uint8Array) : boolean;
    reset() : boolean;
    static crc(buffer : Uint8Array) : number;
    static hex(buffer : Uint8Array) : string;
    static fromHexString(str : string) : Uint8Array;
  }
}
