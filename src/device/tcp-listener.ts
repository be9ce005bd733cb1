// The device's binding of the firmware's server to Moddable's ECMA-419 TCP listener and
// socket (`embedded:io/socket/listener`, `embedded:io/socket/tcp`: lwip on the ESP32, the
// host's sockets in the simulator). The byte-socket logic (counts, early bytes, guarded
// callbacks) is src/net/ecma419-socket.ts, tested on Node and XS; this only constructs the
// platform's objects. The listener's callback is a native callback: nothing escapes it.
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import type { ByteSocketAcceptor } from "../net/byte-socket";
import { acceptEcma419, type Ecma419Tcp } from "../net/ecma419-socket";

export interface TcpListenerOptions {
  readonly port: number;
  readonly acceptor: ByteSocketAcceptor;
  /** A failed accept or a throw that reached the binding. */
  readonly report: (text: string) => void;
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
          acceptEcma419(options.acceptor, (callbacks) => new TCP({ from: accepted, format: "buffer", ...callbacks }) as unknown as Ecma419Tcp, options.report);
        }
      } catch (e) {
        options.report(`listener: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  });
  return listener;
}
