// The device's AssetSource: the bedside app's gzip files, carried by the manifest's
// "data" as Moddable resources in flash. A response reads them a piece at a time
// (Resource#slice copies only that piece), so no file is ever whole in RAM.
import Resource from "Resource";
import { parseAssetIndex, type AssetEntry, type AssetReader, type AssetSource } from "../webapp/asset-source";

export const ASSET_INDEX = "assets.json";

export function flashAssets(log: (text: string) => void): AssetSource {
  let entries: AssetEntry[] = [];
  try {
    if (!Resource.exists(ASSET_INDEX)) log(`bedside app not in this build (no ${ASSET_INDEX}: run npm run build:web before mcconfig)`);
    else entries = parseAssetIndex(String.fromArrayBuffer(new Resource(ASSET_INDEX).slice(0)));
    for (const e of entries) if (!Resource.exists(e.file)) throw new Error(`${e.file} is listed but not in flash`);
  } catch (error) {
    entries = [];
    log(`bedside app not served: ${String(error)}`);
  }
  return {
    entries,
    open(file: string): AssetReader {
      const resource = new Resource(file);
      const length = resource.byteLength;
      return {
        length,
        read: (offset, max) => new Uint8Array(resource.slice(offset, Math.min(length, offset + max))),
      };
    },
  };
}
