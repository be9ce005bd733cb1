import type { NetworkControl, NetworkOptions, StartNetwork } from "./platform";
import { WifiManager } from "./wifi-manager";

export const startNetwork: StartNetwork = (options: NetworkOptions): NetworkControl => {
  const wifi = new WifiManager({ ...options, attemptsBeforeAccessPoint: 3 });
  wifi.start();
  return {
    status: () => ({ state: wifi.state, ip: wifi.ip, accessPointOpen: wifi.accessPointOpen }),
    clockFromHost: false,
    rejoin: () => wifi.restart(),
  };
};
