import type { NetworkControl, NetworkOptions, StartNetwork } from "./platform";

/** In Moddable's desktop simulator the host's network is up already: nothing to join. */
export const startNetwork: StartNetwork = (options: NetworkOptions): NetworkControl => {
  options.timers.after(0, () => options.onOnline("127.0.0.1"));
  return {
    status: () => ({ state: "host network", ip: "127.0.0.1", accessPointOpen: false }),
    clockFromHost: true,
    rejoin: () => options.log("Wi-Fi settings saved; the simulator uses the host's network"),
  };
};
