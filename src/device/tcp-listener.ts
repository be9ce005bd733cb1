// The device's binding of the firmware's server to Moddable's ECMA-419 TCP listener and
// socket (`embedded:io/socket/listener`, `embedded:io/socket/tcp`: lwip on the ESP32, the
// host's sockets in the simulator). The byte-socket logic (counts, early bytes, guarded
// callbacks) is src/net/ecma419-socket.ts, tested on Node and XS; this only constructs the
// platform's objects. The listener's callback is a native callback: nothing escapes it.
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import type { ByteSocketAcceptor } from "../net/byte-socket";
import { acceptEcma419, type Ecma419Tcp } from "../net/ecma419-socket";
import type { AllocationProfile } from "./allocation-profile";

export interface TcpListenerOptions {
  readonly port: number;
  readonly acceptor: ByteSocketAcceptor;
  /** A failed accept or a throw that reached the binding. */
  readonly report: (text: string) => void;
  /** With the memory report: the sockets' callbacks measured. */
  readonly profile?: AllocationProfile;
}

function profiled<C extends object>(callbacks: C, profile: AllocationProfile | undefined): C {
  if (!profile?.enabled) return callbacks;
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(callbacks)) out[name] = typeof fn === "function" ? profile.wrap(`socket ${name}`, fn as (arg: unknown) => void) : fn;
  return out as C;
}

/** Listens on `port` and hands every accepted connection to the acceptor. */
export function listenTcp(options: TcpListenerOptions): Listener {
  const listener: Listener = new Listener({
    port: options.port,
    onReadable(count: number) {
      try {
        for (let i = 0; i < count; i++) {
          const accepted = listener.read();
          if (!accepted) return;
          acceptEcma419(options.acceptor, (callbacks) => new TCP({ from: accepted, format: "buffer", ...profiled(callbacks, options.profile) }) as unknown as Ecma419Tcp, options.report);
        }
      } catch (e) {
        options.report(`listener: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  });
  return listener;
}
